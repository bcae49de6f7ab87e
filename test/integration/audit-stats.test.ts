// Integration test on the local cloud: an activity run to COMPLETED with a two-seat deputy, its
// referral closed by the committee, then the statistics of its day and street, the duty records
// (JSON, CSV, draft report) and the scope rules.
import { beforeAll, describe, expect, it } from 'vitest';
import { completeActivity } from '../../functions/activity-workflow/findings-steps';
import { rollupKeysOfDate } from '../../functions/audit-stats/rollups';
import { closeReferral } from '../../functions/referrals/states/close';
import { keys } from '../../functions/shared/data/keys';
import { chinaDateOf, deadlineConfig } from '../../functions/shared/domain/deadlines';
import { DEMO_DEPUTY_IDS } from '../../infra/local/seed';
import {
  checkIn,
  completedActivity,
  eventually,
  rawItem,
  recordFinding,
  referralAtDepartment,
} from './support/activity';
import { api, type ApiClient, deputyApi } from './support/api';
import { ddbDoc } from './support/aws';
import { tableName } from './support/cloud';
import { ownRouting } from './support/reference';

const RUN = Date.now().toString(36);
const ROUTING = ownRouting('audit-stats', {
  department: { name: '测试住建局', email: 'lifts@departments.example.org', level: 'TOWN' },
  committee: { name: '红山街道工委', email: 'hongshan@committees.example.org' },
});
const { street: STREET, category: CATEGORY } = ROUTING;
const DEPARTMENT = ROUTING.department.id;
const COMMITTEE = ROUTING.committee.id;
const TWO_SEATS = DEMO_DEPUTY_IDS.municipalAndDistrict;
const DISTRICT = DEMO_DEPUTY_IDS.district;

const organiser = api({ role: 'organiser', sub: `org-stats-${RUN}`, street: '红山' });
const otherStreetOrganiser = api({ role: 'organiser', sub: `org-xg-${RUN}`, street: '夏港' });
const auditor = api({ role: 'auditor', sub: `aud-stats-${RUN}` });
const districtOrganiser = api({ role: 'organiser', sub: `org-district-stats-${RUN}` });

// A day of its own, months ahead: this activity is the only one in its period and street.
const START = new Date(Date.now() + (200 + Math.floor(Math.random() * 90)) * 86_400_000);
START.setUTCHours(2, 0, 0, 0);
const DAY = chinaDateOf(START);
const YEAR = Number(DAY.slice(0, 4));

interface Statistics {
  activities: { completed: number; byType: Record<string, number>; liaisonStations: number };
  personTimes: { byLevel: Record<string, number>; total: number };
  findings: {
    total: number;
    byKind: Record<string, number>;
    byCategory: Record<string, number>;
    referred: number;
  };
  referrals: {
    totals: Record<string, number | null>;
    byDepartment: ({ departmentId: string } & Record<string, number | null>)[];
    byDepartmentLevel: ({ level: string } & Record<string, number | null>)[];
    handedToOtherDistricts: Record<string, number | null>;
  };
}

/** `level → sent` of the levels' rows. */
const sentByLevel = (stats: Statistics) =>
  Object.fromEntries(stats.referrals.byDepartmentLevel.map((row) => [row.level, row.sent]));

interface DutyRecord {
  summary: Record<string, unknown>;
  activities: { activityId: string; type: string }[];
  findings: { findingId: string; referralId: string | null }[];
  referrals: { referralId: string; status: string; departmentId: string }[];
}

/** The UTF-8 byte order mark (fetch's text() strips it, so the bytes are read). */
const BOM = [0xef, 0xbb, 0xbf];
const leadingBytes = async (who: ApiClient, path: string): Promise<number[]> => [
  ...(await who.get(path)).bytes.slice(0, 3),
];

let activityId = '';
let referralId = '';
let findingId = '';

describe('audit statistics and duty records', () => {
  beforeAll(async () => {
    await ROUTING.seed();

    const completed = await completedActivity(
      organiser,
      COMMITTEE,
      {
        title: '老旧小区加装电梯专题调研',
        street: STREET,
        location: '红山街道某小区',
        startsAt: START.toISOString(),
        endsAt: new Date(START.getTime() + 2 * 3600_000).toISOString(),
        invitedDeputyIds: [TWO_SEATS, DISTRICT],
      },
      {
        whileOpen: async (id) => {
          await checkIn([deputyApi(TWO_SEATS), deputyApi(DISTRICT)], id);
          findingId = await recordFinding(deputyApi(TWO_SEATS), id, {
            category: CATEGORY,
            description: '加装电梯审批进度慢',
            place: '红山街道某小区3栋',
          });
          await recordFinding(deputyApi(DISTRICT), id, {
            kind: 'SUGGESTION',
            category: 'OTHER',
            description: '建议增设休息座椅',
            place: '红山街道某小区',
            needsReferral: false,
          });
        },
      },
    );
    activityId = completed.id;
    referralId = completed.review.referrals.find((r) => r.departmentId === DEPARTMENT)!.id;
  }, 180_000);

  const statsPath = (extra = '') => `/audit/statistics?from=${DAY}&to=${DAY}${extra}`;

  it('counts the period: person-times with the two-seat deputy once, findings, referrals', async () => {
    const res = await auditor.get<{ statistics: Statistics }>(statsPath(`&street=${STREET}`));
    expect(res.status, res.text).toBe(200);
    const stats = res.json.statistics;
    expect(stats.activities).toEqual({
      completed: 1,
      byType: { THEMATIC_RESEARCH: 1 },
      liaisonStations: 0,
    });
    expect(stats.personTimes.byLevel).toMatchObject({ MUNICIPAL: 1, DISTRICT: 2 });
    expect(stats.personTimes.total).toBe(2);
    expect(stats.findings).toEqual({
      total: 2,
      byKind: { PROBLEM: 1, SUGGESTION: 1 },
      byCategory: { [CATEGORY]: 1, OTHER: 1 },
      // The suggestion needed no referral: one finding of two was referred.
      referred: 1,
    });
    const dept = stats.referrals.byDepartment.find((d) => d.departmentId === DEPARTMENT)!;
    expect(dept).toMatchObject({ sent: 1, answered: 0, resolved: 0, returned: 0 });
    expect(dept.resolutionRate).toBeNull();

    // A type filter keeps the activity and its referrals with it, or leaves out both.
    const sameType = await auditor.get<{ statistics: Statistics }>(
      statsPath(`&street=${STREET}&type=THEMATIC_RESEARCH`),
    );
    expect(sameType.json.statistics.activities.completed).toBe(1);
    expect(sameType.json.statistics.referrals.byDepartment.map((d) => d.departmentId)).toContain(
      DEPARTMENT,
    );
    const otherType = await auditor.get<{ statistics: Statistics }>(
      statsPath(`&street=${STREET}&type=COMMUNITY_VISIT`),
    );
    expect(otherType.status, otherType.text).toBe(200);
    expect(otherType.json.statistics.activities.completed).toBe(0);
    expect(otherType.json.statistics.personTimes.total).toBe(0);
    expect(otherType.json.statistics.referrals.byDepartment).toEqual([]);
    const unknownType = await auditor.get(statsPath('&type=PICNIC'));
    expect(unknownType.status).toBe(422);

    // The statistics items are in the month partition of the activity's China date.
    const month = DAY.slice(0, 7);
    expect(await rawItem(keys.statsOfActivity(month, activityId))).toMatchObject({
      personTimesTotal: 2,
      street: STREET,
    });
  });

  it('records the referral’s outcome when it closes', async () => {
    // The committee closes the referral once the department has its email.
    await referralAtDepartment(referralId);
    // Open: listed for the statistics to read live, under the month of its activity's day.
    expect(await rawItem(keys.statsOfReferral(DAY.slice(0, 7), referralId))).toMatchObject({
      ...keys.openReferralStatsListing(DAY, referralId),
      type: 'THEMATIC_RESEARCH',
      closed: false,
    });
    // Open at completion: its id waits in the deputy's duty summaries, read live.
    for (const street of [undefined, STREET]) {
      const summary = await rawItem(keys.dutySummary(TWO_SEATS, YEAR, street));
      expect([...(summary?.openReferrals as Set<string>)]).toContain(referralId);
    }
    // Sent to a town department: counted under TOWN, read live while open.
    const open = await auditor.get<{ statistics: Statistics }>(statsPath(`&street=${STREET}`));
    expect(sentByLevel(open.json.statistics)).toEqual({ MUNICIPAL: 0, DISTRICT: 0, TOWN: 1 });
    expect(open.json.statistics.referrals.handedToOtherDistricts.sent).toBe(0);
    // The department becomes municipal afterwards: the referral keeps the level it was sent at.
    const moved = await districtOrganiser.request('PATCH', `/departments/${DEPARTMENT}`, {
      body: { level: 'MUNICIPAL' },
    });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.json).toMatchObject({ department: { kind: 'LOCAL', level: 'MUNICIPAL' } });

    const closed = await organiser.post(`/referrals/${referralId}/close`, { reason: '已督办完毕' });
    expect(closed.status, closed.text).toBeLessThan(300);
    const item = await eventually(
      () => rawItem(keys.statsOfReferral(DAY.slice(0, 7), referralId)),
      (value) => value?.closed === true,
      60_000,
    );
    expect(item).toMatchObject({ status: 'CLOSED_BY_COMMITTEE', departmentId: DEPARTMENT });
    // Closed: no longer listed as open; its facts are in the rollups of its day and month.
    expect(item).not.toHaveProperty('listPk');
    const dayRollup = await rawItem(
      keys.statsRollup({ street: STREET, type: 'THEMATIC_RESEARCH' }, DAY.slice(0, 7), DAY),
    );
    expect(dayRollup).toMatchObject({
      'n#activities': 1,
      'n#personTimes': 2,
      [`dept#${DEPARTMENT}#sent`]: 1,
      [`dept#${DEPARTMENT}#answered`]: 0,
    });
    const res = await auditor.get<{ statistics: Statistics }>(statsPath(`&street=${STREET}`));
    const dept = res.json.statistics.referrals.byDepartment.find(
      (d) => d.departmentId === DEPARTMENT,
    )!;
    expect(dept).toMatchObject({ sent: 1, answered: 0 });
    // Closed: added into the rollups under the level it was sent at, not the department's now.
    expect(dayRollup).toMatchObject({ 'rlevel#TOWN#sent': 1 });
    expect(sentByLevel(res.json.statistics)).toEqual({ MUNICIPAL: 0, DISTRICT: 0, TOWN: 1 });
    expect(res.json.statistics.referrals.byDepartmentLevel[2]).toMatchObject({
      level: 'TOWN',
      answered: 0,
      satisfactionRate: null,
      resolutionRate: null,
    });
    // Closed: out of the open set of both of the deputy's summaries (closed by the committee
    // without an answer: nothing more to count).
    for (const street of [undefined, STREET]) {
      const summary = await eventually(
        () => rawItem(keys.dutySummary(TWO_SEATS, YEAR, street)),
        (value) => !(value?.openReferrals as Set<string> | undefined)?.has(referralId),
        30_000,
      );
      expect([...((summary?.openReferrals as Set<string> | undefined) ?? [])]).not.toContain(
        referralId,
      );
      expect(summary?.['n#referrals']).toBeGreaterThanOrEqual(1);
    }
  });

  it('a retried CompleteActivity or CloseReferral adds nothing to the rollups or duty summaries twice', async () => {
    const rollupKeys = [
      ...rollupKeysOfDate({ date: DAY, street: STREET, type: 'THEMATIC_RESEARCH' }),
      ...[undefined, STREET].flatMap((street) =>
        [TWO_SEATS, DISTRICT].map((id) => keys.dutySummary(id, YEAR, street)),
      ),
    ];
    const before = await Promise.all(rollupKeys.map((key) => rawItem(key)));
    expect(before.every((item) => item !== undefined)).toBe(true);
    const deps = { db: ddbDoc(), tableName: tableName(), config: deadlineConfig({}) };
    // What a step retried after its transaction committed does: find the change done.
    await completeActivity(deps, activityId);
    await closeReferral(deps, { referralId });
    expect(await Promise.all(rollupKeys.map((key) => rawItem(key)))).toEqual(before);
    const res = await auditor.get<{ statistics: Statistics }>(statsPath(`&street=${STREET}`));
    expect(res.json.statistics.activities.completed).toBe(1);
    expect(res.json.statistics.referrals.totals.sent).toBe(1);
  });

  it('CSV: UTF-8 with BOM, one long table', async () => {
    const res = await auditor.get(statsPath(`&street=${STREET}&format=csv`));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(await leadingBytes(auditor, statsPath(`&street=${STREET}&format=csv`))).toEqual(BOM);
    expect(res.text).toContain('分类 section,分类名称 section name,项目 item,项目名称 item name');
    expect(res.text).toContain('personTimes,代表参加人次,TOTAL,合计,personTimes,人次,2,');
    // The department's name from its reference item, beside its id.
    expect(res.text).toContain(
      `referralsByDepartment,转办（按承办单位）,${DEPARTMENT},测试住建局,sent,已转交,1,`,
    );
  });

  it('scope: an organiser reads their own street only; deputies not at all', async () => {
    const own = await organiser.get<{ statistics: Statistics }>(statsPath());
    expect(own.status, own.text).toBe(200);
    expect(own.json.statistics.personTimes.total).toBe(2);
    expect((await otherStreetOrganiser.get(statsPath(`&street=${STREET}`))).status).toBe(403);
    const other = await otherStreetOrganiser.get<{ statistics: Statistics }>(statsPath());
    expect(other.status).toBe(200);
    expect(other.text).not.toContain(DEPARTMENT);
    expect(other.json.statistics.activities.completed).toBe(0);
    expect((await deputyApi(TWO_SEATS).get(statsPath())).status).toBe(403);
    expect((await auditor.get('/audit/statistics?from=2020-08-01&to=2020-07-01')).status).toBe(422);
  });

  it('duty record: activities attended, findings raised, the referral and its outcome', async () => {
    const path = `/audit/deputies/${TWO_SEATS}/duty-record?year=${YEAR}`;
    const own = await deputyApi(TWO_SEATS).get<{ dutyRecord: DutyRecord }>(path);
    expect(own.status, own.text).toBe(200);
    const record = own.json.dutyRecord;
    expect(record.activities.map((a) => a.activityId)).toContain(activityId);
    const finding = record.findings.find((f) => f.findingId === findingId)!;
    expect(finding.referralId).toBe(referralId);
    expect(record.referrals.find((r) => r.referralId === referralId)).toMatchObject({
      departmentId: DEPARTMENT,
    });

    const byAuditor = await auditor.get<{ dutyRecord: DutyRecord }>(path);
    expect(byAuditor.status).toBe(200);
    expect(byAuditor.json.dutyRecord.activities.map((a) => a.activityId)).toContain(activityId);

    const csv = await auditor.get(`${path}&format=csv`);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(await leadingBytes(auditor, `${path}&format=csv`)).toEqual(BOM);
    expect(csv.text).toContain(`ACTIVITY,${START.toISOString()},${activityId},`);
    expect(csv.text).toContain('办理期限 due date');

    const report = await deputyApi(TWO_SEATS).get(
      `/audit/deputies/${TWO_SEATS}/duty-report?year=${YEAR}`,
    );
    expect(report.status, report.text).toBe(200);
    expect(report.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(report.text).toContain(`${YEAR}年度履职报告（草稿）`);
    expect(report.text).toContain('市人大代表、区人大代表');
  });

  it('duty record: each participant’s entry written at completion, the year counted once', async () => {
    expect(await rawItem(keys.dutyEntry(TWO_SEATS, START.toISOString(), activityId))).toMatchObject(
      {
        entity: 'DUTY_ENTRY',
        title: '老旧小区加装电梯专题调研',
        type: 'THEMATIC_RESEARCH',
        street: STREET,
        attended: true,
        findings: [{ findingId, referralId }],
      },
    );
    // The suggestion not referred: on the district deputy's entry, no referral.
    expect(await rawItem(keys.dutyEntry(DISTRICT, START.toISOString(), activityId))).toMatchObject({
      attended: true,
      findings: [{ kind: 'SUGGESTION', referralId: null }],
    });
    // Scoped to another street, it is left out.
    const elsewhere = await otherStreetOrganiser.get(
      `/audit/deputies/${DISTRICT}/duty-record?year=${YEAR}`,
    );
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.text).not.toContain(activityId);
  });

  it('duty record scope: another deputy 404, another street’s organiser sees nothing of it', async () => {
    const path = `/audit/deputies/${TWO_SEATS}/duty-record?year=${YEAR}`;
    const other = await deputyApi(DISTRICT).get(path);
    expect(other.status).toBe(404);
    expect(other.text).not.toContain(activityId);
    expect(
      (await deputyApi(DISTRICT).get(`/audit/deputies/${TWO_SEATS}/duty-report?year=${YEAR}`))
        .status,
    ).toBe(404);
    const elsewhere = await otherStreetOrganiser.get(path);
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.text).not.toContain(activityId);
    expect(elsewhere.text).not.toContain(findingId);
    expect((await auditor.get(`/audit/deputies/dep-nobody/duty-record?year=${YEAR}`)).status).toBe(
      404,
    );
  });
});
