// Pure aggregation of the audit statistics and duty records: quantiles, rates, two-seat
// counting, referral facts, months of a period, CSV and the draft duty report.
import { describe, expect, it } from 'vitest';
import { computeAttendanceStatistics } from '../../../../functions/attendance/statistics';
import { buildReport } from '../../../../functions/activity-workflow/report';
import { dutyScopeFor, statisticsStreetFor } from '../../../../functions/audit-stats/access';
import {
  aggregateStatistics,
  buildDutyRecord,
  daysToAnswer,
  median,
  monthsBetween,
  quantile,
  rate,
} from '../../../../functions/audit-stats/domain';
import {
  activityStatsItem,
  completionStatsWrites,
  referralFactsOf,
  referralStatsUpdate,
  statsMonthOf,
} from '../../../../functions/audit-stats/items';
import {
  csvCell,
  dutyRecordCsv,
  dutyReportText,
  statisticsCsv,
  UTF8_BOM,
} from '../../../../functions/audit-stats/render';
import { statisticsQuerySchema, dutyQuerySchema } from '../../../../functions/audit-stats/schemas';
import { NotFoundError, ForbiddenError } from '../../../../functions/shared/errors';
import { asCaller } from '../../../support/callers';
import { referralFacts } from './fixtures';

/** The header row of a CSV, which must open with the BOM that makes Excel read it as UTF-8. */
const headerOf = (csv: string) => {
  expect(csv.startsWith(UTF8_BOM)).toBe(true);
  return csv.slice(1).split('\r\n')[0];
};

describe('quantiles and rates', () => {
  it('median and 90th percentile by interpolation; null when empty', () => {
    expect(median([])).toBeNull();
    expect(quantile([], 0.9)).toBeNull();
    expect(median([5])).toBe(5);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    const tenDays = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(quantile(tenDays, 0.9)).toBe(9.1);
    expect(quantile(tenDays, 1)).toBe(10);
    expect(quantile(tenDays, 0)).toBe(1);
  });

  it('rates are null without a denominator, else rounded to 4 decimals', () => {
    expect(rate(1, 0)).toBeNull();
    expect(rate(2, 3)).toBe(0.6667);
    expect(rate(19, 28)).toBe(0.6786);
  });

  it('days to answer need both ends and never go negative', () => {
    expect(daysToAnswer({ sentAt: null, answeredAt: '2020-07-01T00:00:00Z' })).toBeNull();
    expect(daysToAnswer({ sentAt: '2020-07-01T00:00:00Z', answeredAt: null })).toBeNull();
    expect(
      daysToAnswer({ sentAt: '2020-07-01T00:00:00Z', answeredAt: '2020-07-02T12:00:00Z' }),
    ).toBe(1.5);
    expect(
      daysToAnswer({ sentAt: '2020-07-02T00:00:00Z', answeredAt: '2020-07-01T00:00:00Z' }),
    ).toBeNull();
  });
});

describe('two-seat counting, from check-in to the period', () => {
  it('a deputy with two seats counts at both levels and once in the total', () => {
    const seats: Record<string, { level: 'MUNICIPAL' | 'DISTRICT' | 'TOWN' }[]> = {
      'dep-0015': [{ level: 'MUNICIPAL' }, { level: 'DISTRICT' }],
      'dep-0041': [{ level: 'DISTRICT' }],
    };
    const attendance = computeAttendanceStatistics(
      [
        { deputyId: 'dep-0015', checkedInAt: '2020-07-01T01:00:00Z', response: 'ACCEPTED' },
        { deputyId: 'dep-0041', checkedInAt: '2020-07-01T01:05:00Z', response: 'ACCEPTED' },
      ],
      (id) => seats[id],
      new Date('2020-07-01T02:00:00Z'),
    );
    const report = buildReport({ invitedCount: 2, attendance, findings: [], referrals: [] });
    const item = activityStatsItem({
      activity: {
        id: 'A1',
        type: 'RECEPTION_DAY',
        street: 'WENCHONG',
        startsAt: '2020-07-01T01:00:00Z',
        details: { liaisonStations: ['文冲社区联络站', '夏港社区联络站'] },
      },
      report,
      completedAt: '2020-07-02T00:00:00Z',
    });
    const stats = aggregateStatistics({
      period: { from: '2020-07-01', to: '2020-07-31', street: null, type: null },
      activities: [item, { ...item, activityId: 'A2' }],
      referrals: [],
    });
    expect(stats.personTimes.byLevel).toMatchObject({ MUNICIPAL: 2, DISTRICT: 4 });
    // Two activities × two deputies: four person-times, not six.
    expect(stats.personTimes.total).toBe(4);
    // Both reception days ran at the same two stations: two stations, not four.
    expect(stats.activities).toEqual({
      completed: 2,
      byType: { RECEPTION_DAY: 2 },
      liaisonStations: 2,
    });
  });
});

describe('aggregateStatistics', () => {
  it('adds up the findings referred and the community counts of every activity', () => {
    const base = {
      personTimesByLevel: {},
      personTimesTotal: 0,
      findingsByKind: {},
      findingsByCategory: {},
    };
    const stats = aggregateStatistics({
      period: { from: '2020-07-01', to: '2020-07-31', street: null, type: null },
      activities: [
        { ...base, type: 'RECEPTION_DAY', findingsTotal: 28, findingsReferred: 19 },
        {
          ...base,
          type: 'COMMUNITY_VISIT',
          findingsTotal: 10,
          findingsReferred: 7,
          consultationsAnswered: 12,
          residentsReceived: 30,
        },
        // Written before the field existed: counts as none referred.
        { ...base, type: 'COMMUNITY_VISIT', findingsTotal: 1, consultationsAnswered: 3 },
      ],
      referrals: [],
    });
    expect(stats.findings).toMatchObject({ total: 39, referred: 26 });
    expect(stats.community).toEqual({
      consultationsAnswered: 15,
      residentsReceived: 30,
      peopleServed: 0,
    });
    expect(stats.activities.liaisonStations).toBe(0);
  });

  it('counts referrals by department with days to answer, 满意率 and 办成率 side by side', () => {
    const stats = aggregateStatistics({
      period: { from: '2020-07-01', to: '2020-07-31', street: 'WENCHONG', type: null },
      activities: [
        {
          type: 'RECEPTION_DAY',
          personTimesByLevel: { DISTRICT: 3 },
          personTimesTotal: 3,
          findingsTotal: 4,
          findingsByKind: { SUGGESTION: 3, PROBLEM: 1 },
          findingsByCategory: { DRAINAGE: 2, TRAFFIC: 2 },
          residentsReceived: 5,
        },
      ],
      referrals: [
        referralFacts(),
        referralFacts({
          referralId: 'R2',
          answeredAt: '2020-07-20T00:00:00.000Z',
          result: 'PARTLY_RESOLVED',
          ratings: { SATISFIED: 0, BASICALLY_SATISFIED: 1, NOT_SATISFIED: 1 },
          overdue: true,
        }),
        referralFacts({
          referralId: 'R3',
          departmentId: 'dept-roads',
          acknowledged: false,
          answeredAt: null,
          result: null,
          ratings: {},
          returnedBy: ['dept-water'],
          closed: false,
          status: 'SENT',
        }),
      ],
    });
    expect(stats.findings).toEqual({
      total: 4,
      byKind: { PROBLEM: 1, SUGGESTION: 3 },
      byCategory: { DRAINAGE: 2, TRAFFIC: 2 },
      referred: 0,
    });
    expect(stats.community.residentsReceived).toBe(5);
    const water = stats.referrals.byDepartment.find((d) => d.departmentId === 'dept-water')!;
    expect(water).toEqual({
      departmentId: 'dept-water',
      sent: 2,
      acknowledged: 2,
      answered: 2,
      resolved: 1,
      overdue: 1,
      returned: 1,
      medianDaysToAnswer: 7.5,
      p90DaysToAnswer: 9.5,
      satisfactionRate: 0.6667,
      resolutionRate: 0.5,
    });
    const roads = stats.referrals.byDepartment.find((d) => d.departmentId === 'dept-roads')!;
    expect(roads).toMatchObject({ sent: 1, answered: 0, resolutionRate: null, returned: 0 });
    expect(stats.referrals.totals).toMatchObject({ sent: 3, answered: 2, returned: 1 });
  });

  it('months of a period cross years; a period names them all', () => {
    expect(monthsBetween('2020-11-15', '2021-02-01')).toEqual([
      '2020-11',
      '2020-12',
      '2021-01',
      '2021-02',
    ]);
    expect(monthsBetween('2020-07-01', '2020-07-31')).toEqual(['2020-07']);
  });

  it('an activity is filed under its month in China time', () => {
    expect(statsMonthOf('2020-06-30T17:00:00.000Z')).toBe('2020-07');
    expect(statsMonthOf('2020-06-30T15:00:00.000Z')).toBe('2020-06');
  });
});

describe('referral facts and statistics writes', () => {
  it('derives sent, acknowledged, answered, overdue and returns from a referral', () => {
    const derived = referralFactsOf({
      id: 'R1',
      activityId: 'A1',
      departmentId: 'dept-roads',
      status: 'CLOSED',
      dispatchedAt: '2020-07-01T00:00:00Z',
      emails: [{ at: '2020-07-01T00:01:00Z' }, { at: '2020-07-05T00:00:00Z' }],
      acknowledgedAt: '2020-07-02T00:00:00Z',
      routing: [{ departmentId: 'dept-water' }, { departmentId: 'dept-roads' }],
      outcome: {
        result: 'RESOLVED',
        answeredAt: '2020-07-09T00:00:00Z',
        answeredOnTime: false,
        ratings: { SATISFIED: 2, BASICALLY_SATISFIED: 0, NOT_SATISFIED: 0 },
      },
      closedAt: '2020-07-20T00:00:00Z',
    });
    expect(derived).toMatchObject({
      sentAt: '2020-07-01T00:01:00Z',
      acknowledged: true,
      answeredAt: '2020-07-09T00:00:00Z',
      result: 'RESOLVED',
      overdue: true,
      returnedBy: ['dept-water'],
      closed: true,
    });
    const open = referralFactsOf({
      id: 'R2',
      activityId: 'A1',
      departmentId: 'dept-water',
      status: 'RETURNED',
      dispatchedAt: '2020-07-01T00:00:00Z',
      returned: { departmentId: 'dept-water' },
    });
    expect(open).toMatchObject({ returnedBy: ['dept-water'], closed: false, answeredAt: null });
  });

  it('the completion fills in only what the close has not set; the close overwrites', () => {
    const activity = { street: 'WENCHONG', startsAt: '2020-07-01T01:00:00Z' };
    const sent = referralStatsUpdate(
      'T',
      activity,
      referralFacts({ closed: false }),
      'sent',
    ).Update;
    expect(sent.Key).toEqual({ pk: 'STATS#2020-07', sk: 'REFERRAL#R1' });
    expect(sent.UpdateExpression).toContain('if_not_exists');
    const closed = referralStatsUpdate('T', activity, referralFacts(), 'closed').Update;
    expect(closed.UpdateExpression).not.toContain('if_not_exists');
  });

  it('writes nothing for an activity without a start or street', () => {
    const report = buildReport({
      invitedCount: 0,
      attendance: undefined,
      findings: [],
      referrals: [],
    });
    expect(
      completionStatsWrites('T', { id: 'A', type: 'X', street: '', startsAt: '' }, report, [], 'x'),
    ).toEqual({ core: [], referrals: [] });
  });
});

describe('CSV and the duty report', () => {
  it('cells are quoted and never formulas; documents start with a BOM', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(null)).toBe('');
    const stats = aggregateStatistics({
      period: { from: '2020-07-01', to: '2020-07-31', street: null, type: null },
      activities: [],
      referrals: [referralFacts()],
    });
    const csv = statisticsCsv(stats, new Map([['dept-water', '区水务局']]));
    expect(headerOf(csv)).toBe(
      '分类 section,分类名称 section name,项目 item,项目名称 item name,指标 metric,指标名称 metric name,数值 value,说明 note',
    );
    expect(csv).toContain(
      '\r\nreferralsByDepartment,转办（按承办单位）,dept-water,区水务局,sent,已转交,1,\r\n',
    );
    expect(csv).toContain(
      'referralsByDepartment,转办（按承办单位）,TOTAL,合计,resolutionRate,办成率,1,',
    );
  });

  it('names codes in Chinese beside them, and says why a rate is empty', () => {
    const period = { from: '2020-07-01', to: '2020-07-31', street: null, type: null };
    const open = statisticsCsv(
      aggregateStatistics({
        period,
        activities: [],
        referrals: [referralFacts({ answeredAt: null, result: null, ratings: {}, closed: false })],
      }),
    );
    // No name on file: the id stands in.
    expect(open).toContain(
      'dept-water,dept-water,resolutionRate,办成率,,"办理中，尚无答复 referrals still open, none answered"',
    );
    expect(open).toContain('satisfactionRate,满意率,,"办理中，尚无答复');
    expect(open).toContain('medianDaysToAnswer,答复用时中位数（天）,,"办理中，尚无答复');
    const unrated = statisticsCsv(
      aggregateStatistics({ period, activities: [], referrals: [referralFacts({ ratings: {} })] }),
    );
    expect(unrated).toContain('satisfactionRate,满意率,,尚无评价 no ratings yet');
    expect(unrated).toMatch(/resolutionRate,办成率,1,\r\n/);
  });

  const record = buildDutyRecord({
    deputyId: 'dep-0015',
    year: 2020,
    activities: [
      {
        activityId: 'A1',
        title: '代表接待日, 文冲',
        type: 'RECEPTION_DAY',
        street: 'WENCHONG',
        startsAt: '2020-07-01T01:00:00Z',
        checkedInAt: '2020-07-01T01:02:00Z',
        checkInMethod: 'API',
      },
    ],
    findings: [
      {
        findingId: 'F1',
        activityId: 'A1',
        kind: 'SUGGESTION',
        category: 'DRAINAGE',
        recordedAt: '2020-07-01T02:00:00Z',
        needsReferral: true,
        decision: null,
        referralId: 'R1',
      },
    ],
    referrals: [
      {
        referralId: 'R1',
        departmentId: 'dept-water',
        status: 'CLOSED',
        result: 'RESOLVED',
        answeredAt: '2020-07-09T00:00:00Z',
        answeredOnTime: true,
        dueDate: '2020-08-06',
      },
    ],
  });

  it('summarises the duty record', () => {
    expect(record.summary).toEqual({
      activitiesAttended: 1,
      activitiesByType: { RECEPTION_DAY: 1 },
      findingsRaised: 1,
      findingsByKind: { SUGGESTION: 1 },
      findingsByCategory: { DRAINAGE: 1 },
      findingsReferred: 1,
      referrals: 1,
      referralsAnswered: 1,
      referralsResolved: 1,
    });
    const csv = dutyRecordCsv(record, new Map([['dept-water', '区水务局']]));
    expect(headerOf(csv)).toContain('活动类型 activityType,活动类型名称 activity type name');
    expect(csv).toContain(
      'ACTIVITY,2020-07-01T01:00:00Z,A1,RECEPTION_DAY,代表接待日,"代表接待日, 文冲"',
    );
    expect(csv).toContain(
      'FINDING,2020-07-01T02:00:00Z,A1,,,,F1,SUGGESTION,意见建议,DRAINAGE,排水防涝,R1,dept-water,区水务局,2020-08-06,CLOSED,已办结,RESOLVED,已解决',
    );
  });

  it('drafts the duty report in Chinese from the numbers', () => {
    const text = dutyReportText(record, { name: '张三', levels: ['MUNICIPAL', 'DISTRICT'] });
    expect(text).toContain('2020年度履职报告（草稿）');
    expect(text).toContain('张三，市人大代表、区人大代表。');
    expect(text).toContain('本年度共参加联动活动1次');
    expect(text).toContain('反映问题和意见建议1件');
    expect(text).toContain('转交有关部门办理1件');
    expect(text).toContain('已解决1件');
    const empty = dutyReportText(
      buildDutyRecord({ deputyId: 'd', year: 2021, activities: [], findings: [], referrals: [] }),
    );
    expect(empty).toContain('暂无签到参加联动活动的记录');
  });
});

describe('access and query rules', () => {
  /** Deputy dep-1 signed in as `s`: the duty scope follows the deputy id, not the sub. */
  const deputy1 = { ...asCaller('deputy', 's'), deputyId: 'dep-1' };

  it('statistics: auditors any street, a street organiser only their own', () => {
    expect(statisticsStreetFor(asCaller('auditor', 's'), undefined)).toBeUndefined();
    expect(statisticsStreetFor(asCaller('auditor', 's'), 'XIAGANG')).toBe('XIAGANG');
    const wenchong = asCaller('organiser', 's', 'WENCHONG');
    expect(statisticsStreetFor(wenchong, undefined)).toBe('WENCHONG');
    expect(statisticsStreetFor(wenchong, 'WENCHONG')).toBe('WENCHONG');
    expect(() => statisticsStreetFor(wenchong, 'XIAGANG')).toThrow(ForbiddenError);
    expect(statisticsStreetFor(asCaller('organiser', 's'), 'XIAGANG')).toBe('XIAGANG');
  });

  it('duty record: a deputy only their own (another is 404)', () => {
    expect(dutyScopeFor(deputy1, 'dep-1')).toEqual({});
    expect(() => dutyScopeFor(deputy1, 'dep-2')).toThrow(NotFoundError);
    expect(dutyScopeFor(asCaller('organiser', 's', 'WENCHONG'), 'dep-2')).toEqual({
      street: 'WENCHONG',
    });
    expect(dutyScopeFor(asCaller('auditor', 's'), 'dep-2')).toEqual({});
  });

  it('queries: a period in order, at most 36 months; a year', () => {
    expect(statisticsQuerySchema.safeParse({ from: '2020-07-01', to: '2020-07-31' }).success).toBe(
      true,
    );
    expect(statisticsQuerySchema.safeParse({ from: '2020-08-01', to: '2020-07-31' }).success).toBe(
      false,
    );
    expect(statisticsQuerySchema.safeParse({ from: '2018-01-01', to: '2021-01-01' }).success).toBe(
      false,
    );
    expect(
      statisticsQuerySchema.safeParse({ from: '2020-07-01', to: '2020-07-31', x: 1 }).success,
    ).toBe(false);
    expect(dutyQuerySchema.parse({ year: '2020' })).toEqual({
      year: 2020,
      format: 'json',
      limit: 50,
    });
    expect(dutyQuerySchema.safeParse({ year: '20' }).success).toBe(false);
  });
});
