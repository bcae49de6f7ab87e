import type { ActivityStatsItem, ReferralFacts } from './items.js';

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

const add = (into: Record<string, number>, from: Record<string, number> | undefined) => {
  for (const [key, count] of Object.entries(from ?? {})) into[key] = (into[key] ?? 0) + count;
};

const sortedRecord = (record: Record<string, number>) =>
  Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));

export interface DepartmentStats {
  departmentId: string;
  sent: number;
  acknowledged: number;
  answered: number;
  resolved: number;
  overdue: number;
  returned: number;
  medianDaysToAnswer: number | null;
  p90DaysToAnswer: number | null;
  satisfactionRate: number | null;
  resolutionRate: number | null;
}

export interface PeriodStatistics {
  period: { from: string; to: string; street: string | null; type: string | null };
  activities: { completed: number; byType: Record<string, number>; liaisonStations: number };
  personTimes: { byLevel: Record<string, number>; total: number };
  community: { consultationsAnswered: number; residentsReceived: number };
  findings: {
    total: number;
    byKind: Record<string, number>;
    byCategory: Record<string, number>;
    referred: number;
  };
  referrals: {
    totals: Omit<DepartmentStats, 'departmentId'>;
    byDepartment: DepartmentStats[];
  };
}

const SATISFIED = ['SATISFIED', 'BASICALLY_SATISFIED'];

interface Tally {
  sent: number;
  acknowledged: number;
  answered: number;
  resolved: number;
  overdue: number;
  returned: number;
  days: number[];
  satisfied: number;
  rated: number;
}

const emptyTally = (): Tally => ({
  sent: 0,
  acknowledged: 0,
  answered: 0,
  resolved: 0,
  overdue: 0,
  returned: 0,
  days: [],
  satisfied: 0,
  rated: 0,
});

const finish = (tally: Tally): Omit<DepartmentStats, 'departmentId'> => ({
  sent: tally.sent,
  acknowledged: tally.acknowledged,
  answered: tally.answered,
  resolved: tally.resolved,
  overdue: tally.overdue,
  returned: tally.returned,
  medianDaysToAnswer: median(tally.days),
  p90DaysToAnswer: quantile(tally.days, 0.9),
  // 满意率: satisfied or basically satisfied among the ratings given.
  satisfactionRate: rate(tally.satisfied, tally.rated),
  // 办成率: resolved among the referrals answered.
  resolutionRate: rate(tally.resolved, tally.answered),
});

/**
 * Statistics of a period from its activity and referral statistics items. Person-times add up
 * per activity (a deputy with two seats counts at both levels, once in the total: each
 * activity's item already holds it so); a referral counts under its current department, and
 * `returned` under each department that returned it.
 */
export const aggregateStatistics = (input: {
  period: PeriodStatistics['period'];
  activities: readonly Pick<
    ActivityStatsItem,
    | 'type'
    | 'personTimesByLevel'
    | 'personTimesTotal'
    | 'findingsTotal'
    | 'findingsByKind'
    | 'findingsByCategory'
    | 'findingsReferred'
    | 'liaisonStations'
    | 'consultationsAnswered'
    | 'residentsReceived'
  >[];
  referrals: readonly ReferralFacts[];
}): PeriodStatistics => {
  const byType: Record<string, number> = {};
  const byLevel: Record<string, number> = {};
  const byKind: Record<string, number> = {};
  const byCategory: Record<string, number> = {};
  let personTimes = 0;
  let findings = 0;
  let referred = 0;
  // A station that held several reception days in the period is one station.
  const stations = new Set<string>();
  const community = { consultationsAnswered: 0, residentsReceived: 0 };
  for (const activity of input.activities) {
    byType[activity.type] = (byType[activity.type] ?? 0) + 1;
    add(byLevel, activity.personTimesByLevel);
    add(byKind, activity.findingsByKind);
    add(byCategory, activity.findingsByCategory);
    personTimes += activity.personTimesTotal;
    findings += activity.findingsTotal;
    referred += activity.findingsReferred ?? 0;
    for (const station of activity.liaisonStations ?? []) stations.add(station);
    community.consultationsAnswered += activity.consultationsAnswered ?? 0;
    community.residentsReceived += activity.residentsReceived ?? 0;
  }

  const total = emptyTally();
  const departments = new Map<string, Tally>();
  const tallyOf = (departmentId: string) => {
    let tally = departments.get(departmentId);
    if (!tally) departments.set(departmentId, (tally = emptyTally()));
    return tally;
  };
  for (const facts of input.referrals) {
    const days = daysToAnswer(facts);
    const ratings = facts.ratings ?? {};
    const rated = Object.values(ratings).reduce((sum, count) => sum + count, 0);
    const satisfied = SATISFIED.reduce((sum, key) => sum + (ratings[key] ?? 0), 0);
    for (const tally of [total, tallyOf(facts.departmentId)]) {
      if (facts.sentAt) tally.sent++;
      if (facts.acknowledged) tally.acknowledged++;
      if (facts.answeredAt) tally.answered++;
      if (facts.answeredAt && facts.result === 'RESOLVED') tally.resolved++;
      if (facts.overdue) tally.overdue++;
      if (days !== null) tally.days.push(days);
      tally.rated += rated;
      tally.satisfied += satisfied;
    }
    total.returned += facts.returnedBy.length;
    for (const departmentId of facts.returnedBy) tallyOf(departmentId).returned++;
  }

  return {
    period: input.period,
    activities: {
      completed: input.activities.length,
      byType: sortedRecord(byType),
      liaisonStations: stations.size,
    },
    personTimes: { byLevel: sortedRecord(byLevel), total: personTimes },
    community,
    findings: {
      total: findings,
      byKind: sortedRecord(byKind),
      byCategory: sortedRecord(byCategory),
      referred,
    },
    referrals: {
      totals: finish(total),
      byDepartment: [...departments.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([departmentId, tally]) => ({ departmentId, ...finish(tally) })),
    },
  };
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

export interface DutyActivity {
  activityId: string;
  title: string;
  type: string;
  street: string;
  startsAt: string;
  checkedInAt: string;
  checkInMethod: string | null;
}

export interface DutyFinding {
  findingId: string;
  activityId: string;
  kind: string;
  category: string;
  recordedAt: string;
  needsReferral: boolean;
  decision: string | null;
  referralId: string | null;
}

export interface DutyReferral {
  referralId: string;
  departmentId: string;
  status: string;
  result: string | null;
  answeredAt: string | null;
  answeredOnTime: boolean | null;
}

export interface DutyRecord {
  deputyId: string;
  year: number;
  summary: {
    activitiesAttended: number;
    activitiesByType: Record<string, number>;
    findingsRaised: number;
    findingsByKind: Record<string, number>;
    findingsByCategory: Record<string, number>;
    findingsReferred: number;
    referrals: number;
    referralsAnswered: number;
    referralsResolved: number;
  };
  activities: DutyActivity[];
  findings: DutyFinding[];
  referrals: DutyReferral[];
}

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
