import type { z } from 'zod/mini';
import type {
  departmentStatsSchema,
  dutyActivitySchema,
  dutyFindingSchema,
  dutyRecordSchema,
  dutyReferralSchema,
  dutySummarySchema,
  periodStatisticsSchema,
} from './schemas.js';
import type { ReferralFacts } from './items.js';
import { DEFAULT_DEPARTMENT_LEVEL, DEPARTMENT_LEVEL_CODES } from '../shared/domain/reference.js';
import {
  activityContribution,
  counter,
  emptyRollup,
  histogramQuantile,
  mergeRollup,
  referralContribution,
  REFERRAL_METRICS,
  type ActivityContributionSource,
  type ReferralMetric,
  type Rollup,
} from './rollups.js';

/**
 * Pure aggregation of the statistics items of a period (统计) and of a deputy's duty record
 * (履职档案), and the draft duty report (履职报告) built from it. Numbers, codes and ids only.
 */

const DAY_MS = 86_400_000;

/** The `q`-quantile (0..1) by linear interpolation between closest ranks; null when empty. */
export const quantile = (values: readonly number[], q: number): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const value = sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
  return Math.round(value * 100) / 100;
};

export const median = (values: readonly number[]): number | null => quantile(values, 0.5);

/** `part / whole`, rounded to 4 decimals; null when there is nothing to divide. */
export const rate = (part: number, whole: number): number | null =>
  whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null;

/** Days (fractional, 2 decimals) from sending to answering; null unless both are known. */
export const daysToAnswer = (facts: Pick<ReferralFacts, 'sentAt' | 'answeredAt'>) => {
  if (!facts.sentAt || !facts.answeredAt) return null;
  const ms = Date.parse(facts.answeredAt) - Date.parse(facts.sentAt);
  return Number.isFinite(ms) && ms >= 0 ? Math.round((ms / DAY_MS) * 100) / 100 : null;
};

const sortedRecord = (record: Record<string, number>) =>
  Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));

export type DepartmentStats = z.output<typeof departmentStatsSchema>;

export type PeriodStatistics = z.output<typeof periodStatisticsSchema>;

const finish = (tally: {
  metrics: Record<ReferralMetric, number>;
  days: Map<number, number>;
}): Omit<DepartmentStats, 'departmentId'> => ({
  sent: tally.metrics.sent,
  acknowledged: tally.metrics.acknowledged,
  answered: tally.metrics.answered,
  resolved: tally.metrics.resolved,
  overdue: tally.metrics.overdue,
  returned: tally.metrics.returned,
  medianDaysToAnswer: histogramQuantile(tally.days, 0.5),
  p90DaysToAnswer: histogramQuantile(tally.days, 0.9),
  // 满意率: satisfied or basically satisfied among the ratings given.
  satisfactionRate: rate(tally.metrics.satisfied, tally.metrics.rated),
  // 办成率: resolved among the referrals answered.
  resolutionRate: rate(tally.metrics.resolved, tally.metrics.answered),
});

type Tally = ReturnType<typeof emptyTally>;

const emptyTally = () => ({
  metrics: Object.fromEntries(REFERRAL_METRICS.map((m) => [m, 0])) as Record<
    ReferralMetric,
    number
  >,
  days: new Map<number, number>(),
});

/** The tail of `name` after `prefix`, or undefined when it does not start so. */
const after = (name: string, prefix: string) =>
  name.startsWith(prefix) ? name.slice(prefix.length) : undefined;

/**
 * What the totals hold beyond the level tallies goes to `district`: rollups added up before
 * referrals carried a level (every department was a district one then) hold department
 * counters only. Every counter of the totals is the sum of the levels' afterwards.
 */
const countUnleveledAsDistrict = (
  total: Tally,
  levels: ReadonlyMap<string, Tally>,
  district: Tally,
) => {
  for (const metric of REFERRAL_METRICS) {
    let leveled = 0;
    for (const tally of levels.values()) leveled += tally.metrics[metric];
    district.metrics[metric] += Math.max(0, total.metrics[metric] - leveled);
  }
  for (const [days, count] of total.days) {
    let leveled = 0;
    for (const tally of levels.values()) leveled += tally.days.get(days) ?? 0;
    if (count > leveled) district.days.set(days, (district.days.get(days) ?? 0) + count - leveled);
  }
};

/**
 * Statistics of a period from the sum of its rollups (functions/audit-stats/rollups.ts): the
 * counters as they were added up; a referral counts under its current department and in the
 * totals, `returned` under each department that returned it and in the totals; quantiles of
 * days to answer from the histogram.
 */
export const statisticsFromRollup = (
  period: PeriodStatistics['period'],
  rollup: Rollup,
): PeriodStatistics => {
  const byType: Record<string, number> = {};
  const byLevel: Record<string, number> = {};
  const guestsByLevel: Record<string, number> = {};
  const byKind: Record<string, number> = {};
  const byCategory: Record<string, number> = {};
  const total = emptyTally();
  const departments = new Map<string, ReturnType<typeof emptyTally>>();
  const tallyOf = (departmentId: string) => {
    let tally = departments.get(departmentId);
    if (!tally) departments.set(departmentId, (tally = emptyTally()));
    return tally;
  };
  const levels = new Map<string, ReturnType<typeof emptyTally>>();
  const levelTallyOf = (level: string) => {
    let tally = levels.get(level);
    if (!tally) levels.set(level, (tally = emptyTally()));
    return tally;
  };
  for (const [name, count] of Object.entries(rollup.counts)) {
    let rest: string | undefined;
    if ((rest = after(name, 'type#')) !== undefined) byType[rest] = count;
    else if ((rest = after(name, 'level#')) !== undefined) byLevel[rest] = count;
    else if ((rest = after(name, 'guestLevel#')) !== undefined) guestsByLevel[rest] = count;
    else if ((rest = after(name, 'kind#')) !== undefined) byKind[rest] = count;
    else if ((rest = after(name, 'category#')) !== undefined) byCategory[rest] = count;
    else if ((rest = after(name, 'dept#')) !== undefined) {
      const cut = rest.lastIndexOf('#');
      const metric = rest.slice(cut + 1) as ReferralMetric;
      if (cut < 0 || !REFERRAL_METRICS.includes(metric)) continue;
      tallyOf(rest.slice(0, cut)).metrics[metric] += count;
      total.metrics[metric] += count;
    } else if ((rest = after(name, 'days#')) !== undefined) {
      const cut = rest.lastIndexOf('#');
      const hundredths = Number(rest.slice(cut + 1));
      if (cut < 0 || !Number.isInteger(hundredths)) continue;
      const days = hundredths / 100;
      for (const tally of [total, tallyOf(rest.slice(0, cut))]) {
        tally.days.set(days, (tally.days.get(days) ?? 0) + count);
      }
    } else if ((rest = after(name, 'rlevel#')) !== undefined) {
      const cut = rest.lastIndexOf('#');
      const metric = rest.slice(cut + 1) as ReferralMetric;
      if (cut < 0 || !REFERRAL_METRICS.includes(metric)) continue;
      levelTallyOf(rest.slice(0, cut)).metrics[metric] += count;
    } else if ((rest = after(name, 'rlevelDays#')) !== undefined) {
      const cut = rest.lastIndexOf('#');
      const hundredths = Number(rest.slice(cut + 1));
      if (cut < 0 || !Number.isInteger(hundredths)) continue;
      const tally = levelTallyOf(rest.slice(0, cut));
      tally.days.set(hundredths / 100, (tally.days.get(hundredths / 100) ?? 0) + count);
    }
  }
  countUnleveledAsDistrict(total, levels, levelTallyOf(DEFAULT_DEPARTMENT_LEVEL));
  const n = (name: string) => rollup.counts[name] ?? 0;
  return {
    period,
    activities: {
      completed: n(counter.activities),
      byType: sortedRecord(byType),
      liaisonStations: rollup.stations.size,
    },
    personTimes: {
      byLevel: sortedRecord(byLevel),
      total: n(counter.personTimes),
      guests: { byLevel: sortedRecord(guestsByLevel), total: n(counter.guestPersonTimes) },
    },
    community: {
      consultationsAnswered: n(counter.consultationsAnswered),
      residentsReceived: n(counter.residentsReceived),
      peopleServed: n(counter.peopleServed),
    },
    findings: {
      total: n(counter.findings),
      byKind: sortedRecord(byKind),
      byCategory: sortedRecord(byCategory),
      referred: n(counter.referred),
    },
    referrals: {
      totals: finish(total),
      byDepartment: [...departments.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([departmentId, tally]) => ({ departmentId, ...finish(tally) })),
      byDepartmentLevel: DEPARTMENT_LEVEL_CODES.map((level) => ({
        level,
        ...finish(levels.get(level) ?? emptyTally()),
      })),
      handedToOtherDistricts: finish(levels.get('EXTERNAL') ?? emptyTally()),
    },
  };
};

/**
 * Statistics of a period from its activity statistics items and referral facts: their
 * contributions added up into one rollup, then read as the stored rollups are read. Person-times
 * add up per activity (a deputy with two seats counts at both levels, once in the total: each
 * activity's item already holds it so).
 */
export const aggregateStatistics = (input: {
  period: PeriodStatistics['period'];
  activities: readonly ActivityContributionSource[];
  referrals: readonly ReferralFacts[];
}): PeriodStatistics => {
  const rollup = emptyRollup();
  for (const activity of input.activities) mergeRollup(rollup, activityContribution(activity));
  for (const facts of input.referrals) mergeRollup(rollup, referralContribution(facts));
  return statisticsFromRollup(input.period, rollup);
};

/** Every `YYYY-MM` from the month of `from` to the month of `to` (dates `YYYY-MM-DD`). */
export const monthsBetween = (from: string, to: string): string[] => {
  const months: string[] = [];
  let [year, month] = from.slice(0, 7).split('-').map(Number) as [number, number];
  const last = to.slice(0, 7);
  for (;;) {
    const current = `${year}-${String(month).padStart(2, '0')}`;
    if (current > last) return months;
    months.push(current);
    month++;
    if (month > 12) {
      month = 1;
      year++;
    }
  }
};

// --- duty record (履职档案) ---------------------------------------------------------------

export type DutyActivity = z.output<typeof dutyActivitySchema>;

export type DutyFinding = z.output<typeof dutyFindingSchema>;

export type DutyReferral = z.output<typeof dutyReferralSchema>;

export type DutySummary = z.output<typeof dutySummarySchema>;

export type DutyRecord = z.output<typeof dutyRecordSchema>;

/**
 * The summary of a duty year from its stored counters (functions/audit-stats/duty.ts): numbers
 * named `n#<what>` or `<dimension>#<value>`, plus the outcomes of the referrals still open.
 */
export const dutySummaryFromCounts = (counts: Readonly<Record<string, number>>): DutySummary => {
  const dimension = (prefix: string) =>
    sortedRecord(
      Object.fromEntries(
        Object.entries(counts)
          .filter(([name, count]) => name.startsWith(`${prefix}#`) && count !== 0)
          .map(([name, count]) => [name.slice(prefix.length + 1), count]),
      ),
    );
  const total = (name: string) => counts[`n#${name}`] ?? 0;
  return {
    activitiesAttended: total('activities'),
    activitiesByType: dimension('type'),
    findingsRaised: total('findings'),
    findingsByKind: dimension('kind'),
    findingsByCategory: dimension('category'),
    findingsReferred: total('referred'),
    referrals: total('referrals'),
    referralsAnswered: total('answered'),
    referralsResolved: total('resolved'),
  };
};

const countBy = <T>(items: readonly T[], keyOf: (item: T) => string) => {
  const counts: Record<string, number> = {};
  for (const item of items) counts[keyOf(item)] = (counts[keyOf(item)] ?? 0) + 1;
  return sortedRecord(counts);
};

export const buildDutyRecord = (input: {
  deputyId: string;
  year: number;
  activities: readonly DutyActivity[];
  findings: readonly DutyFinding[];
  referrals: readonly DutyReferral[];
}): DutyRecord => {
  const activities = [...input.activities].sort((a, b) => (a.startsAt < b.startsAt ? -1 : 1));
  const findings = [...input.findings].sort((a, b) => (a.recordedAt < b.recordedAt ? -1 : 1));
  const referrals = [...input.referrals].sort((a, b) => (a.referralId < b.referralId ? -1 : 1));
  return {
    deputyId: input.deputyId,
    year: input.year,
    summary: {
      activitiesAttended: activities.length,
      activitiesByType: countBy(activities, (a) => a.type),
      findingsRaised: findings.length,
      findingsByKind: countBy(findings, (f) => f.kind),
      findingsByCategory: countBy(findings, (f) => f.category),
      findingsReferred: findings.filter((f) => f.referralId !== null).length,
      referrals: referrals.length,
      referralsAnswered: referrals.filter((r) => r.answeredAt !== null).length,
      referralsResolved: referrals.filter((r) => r.result === 'RESOLVED').length,
    },
    activities,
    findings,
    referrals,
  };
};
