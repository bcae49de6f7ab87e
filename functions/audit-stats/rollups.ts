import { keys, type PrimaryKey, type StatsRollupScope } from '../shared/data/keys.js';
import { facetCounter, plainCounters } from '../shared/data/counters.js';
import { chinaDateOf } from '../shared/domain/deadlines.js';
import { DEFAULT_DEPARTMENT_LEVEL } from '../shared/domain/reference.js';
import type { ActivityStatsItem, ReferralFacts } from './items.js';

/**
 * Additive statistics rollups (统计汇总). A period's statistics used to read and add up every
 * statistics item of its months, so their cost grew with the activities stored; a rollup holds
 * the sums already, per month and per day, for every filter combination the statistics query
 * accepts (all, street, type, street and type), and the writers `ADD` each activity's and each
 * closed referral's contribution into them in the same transaction as their change.
 *
 * Everything in a rollup must add up. What does not add up by itself is kept in a form that does:
 * - the liaison stations (each station once in a period) are a string set, `ADD` is a union;
 * - person-times in total count a deputy with two seats once: each activity's contribution
 *   already counts them so (its report's total), and totals of activities add up;
 * - median and 90th-percentile days to answer are kept as a histogram of the exact values the
 *   query computed before (days rounded to hundredths, `daysToAnswer`), so the quantiles read
 *   from a rollup are the very numbers the items gave, not an approximation.
 *
 * A rollup is stored flat, one number attribute per counter, because `ADD` creates a missing
 * top-level attribute but cannot create a missing map on the way to a nested one.
 */

const DAY_MS = 86_400_000;

export const REFERRAL_METRICS = [
  'sent',
  'acknowledged',
  'answered',
  'resolved',
  'overdue',
  'returned',
  'satisfied',
  'rated',
] as const;
export type ReferralMetric = (typeof REFERRAL_METRICS)[number];

const SATISFIED = ['SATISFIED', 'BASICALLY_SATISFIED'];

/** Counter names of a rollup (the attribute names it is stored under). */
export const counter = {
  ...plainCounters([
    'activities',
    'personTimes',
    'findings',
    'referred',
    'consultationsAnswered',
    'residentsReceived',
    'peopleServed',
    'guestPersonTimes',
  ]),
  guestLevel: facetCounter('guestLevel'),
  type: facetCounter('type'),
  level: facetCounter('level'),
  kind: facetCounter('kind'),
  category: facetCounter('category'),
  department: (departmentId: string, metric: ReferralMetric) => `dept#${departmentId}#${metric}`,
  /** Referrals of the department answered after `hundredths / 100` days. */
  days: (departmentId: string, hundredths: number) => `days#${departmentId}#${hundredths}`,
  /** The same by the level the department was emailed at (or EXTERNAL). */
  recipientLevel: (level: string, metric: ReferralMetric) => `rlevel#${level}#${metric}`,
  recipientLevelDays: (level: string, hundredths: number) => `rlevelDays#${level}#${hundredths}`,
} as const;

export const STATIONS_ATTRIBUTE = 'stations';

export interface Rollup {
  counts: Record<string, number>;
  stations: Set<string>;
}

export const emptyRollup = (): Rollup => ({ counts: {}, stations: new Set() });

const bump = (rollup: Rollup, name: string, by: number) => {
  rollup.counts[name] = (rollup.counts[name] ?? 0) + by;
};

/** Adds `from` into `into` (and returns it). */
export const mergeRollup = (into: Rollup, from: Rollup): Rollup => {
  for (const [name, count] of Object.entries(from.counts)) bump(into, name, count);
  for (const station of from.stations) into.stations.add(station);
  return into;
};

/** Days from sending to answering in hundredths of a day (what `daysToAnswer` rounds to). */
export const hundredthsToAnswer = (
  facts: Pick<ReferralFacts, 'sentAt' | 'answeredAt'>,
): number | null => {
  if (!facts.sentAt || !facts.answeredAt) return null;
  const ms = Date.parse(facts.answeredAt) - Date.parse(facts.sentAt);
  return Number.isFinite(ms) && ms >= 0 ? Math.round((ms / DAY_MS) * 100) : null;
};

export type ActivityContributionSource = Pick<
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
  | 'peopleServed'
  | 'guestPersonTimesByLevel'
  | 'guestPersonTimesTotal'
>;

/** What one completed activity adds to the rollups of its day and month. */
export const activityContribution = (activity: ActivityContributionSource): Rollup => {
  const rollup = emptyRollup();
  bump(rollup, counter.activities, 1);
  bump(rollup, counter.type(activity.type), 1);
  // Zero entries are kept: the answer lists a level, kind or category an activity reported as 0.
  for (const [level, n] of Object.entries(activity.personTimesByLevel ?? {})) {
    bump(rollup, counter.level(level), n);
  }
  for (const [kind, n] of Object.entries(activity.findingsByKind ?? {})) {
    bump(rollup, counter.kind(kind), n);
  }
  for (const [category, n] of Object.entries(activity.findingsByCategory ?? {})) {
    bump(rollup, counter.category(category), n);
  }
  bump(rollup, counter.personTimes, activity.personTimesTotal);
  bump(rollup, counter.findings, activity.findingsTotal);
  bump(rollup, counter.referred, activity.findingsReferred ?? 0);
  bump(rollup, counter.consultationsAnswered, activity.consultationsAnswered ?? 0);
  bump(rollup, counter.residentsReceived, activity.residentsReceived ?? 0);
  bump(rollup, counter.peopleServed, activity.peopleServed ?? 0);
  // Guests of another district are counted apart: never in the district's own person-times.
  bump(rollup, counter.guestPersonTimes, activity.guestPersonTimesTotal ?? 0);
  for (const [level, n] of Object.entries(activity.guestPersonTimesByLevel ?? {})) {
    bump(rollup, counter.guestLevel(level), n);
  }
  for (const station of activity.liaisonStations ?? []) rollup.stations.add(station);
  return rollup;
};

/**
 * What one referral adds: under its current department every metric (0 or more, so the
 * department is listed even when all are 0, as before), `returned` under each department that
 * returned it, and its days to answer in the department's histogram; and all of it again under
 * the level each department was emailed at (an external recipient's as EXTERNAL). Rollups
 * added up before levels hold no level counters: the query counts what no level holds as
 * DISTRICT (statisticsFromRollup), the level every department had then.
 */
export const referralContribution = (facts: ReferralFacts): Rollup => {
  const rollup = emptyRollup();
  const ratings = facts.ratings ?? {};
  const metrics: Record<ReferralMetric, number> = {
    sent: facts.sentAt ? 1 : 0,
    acknowledged: facts.acknowledged ? 1 : 0,
    answered: facts.answeredAt ? 1 : 0,
    resolved: facts.answeredAt && facts.result === 'RESOLVED' ? 1 : 0,
    overdue: facts.overdue ? 1 : 0,
    returned: 0,
    satisfied: SATISFIED.reduce((sum, key) => sum + (ratings[key] ?? 0), 0),
    rated: Object.values(ratings).reduce((sum, count) => sum + count, 0),
  };
  const level = facts.departmentLevel ?? DEFAULT_DEPARTMENT_LEVEL;
  for (const metric of REFERRAL_METRICS) {
    bump(rollup, counter.department(facts.departmentId, metric), metrics[metric]);
    bump(rollup, counter.recipientLevel(level, metric), metrics[metric]);
  }
  facts.returnedBy.forEach((departmentId, i) => {
    bump(rollup, counter.department(departmentId, 'returned'), 1);
    const returnedAt = facts.returnedByLevels?.[i] ?? DEFAULT_DEPARTMENT_LEVEL;
    bump(rollup, counter.recipientLevel(returnedAt, 'returned'), 1);
  });
  const hundredths = hundredthsToAnswer(facts);
  if (hundredths !== null) {
    bump(rollup, counter.days(facts.departmentId, hundredths), 1);
    bump(rollup, counter.recipientLevelDays(level, hundredths), 1);
  }
  return rollup;
};

/** What a contribution is filed under: its street, its activity's type and campaign if known. */
export interface RollupDims {
  street: string;
  type?: string;
  /** The theme campaign (主题活动) the activity belongs to, if any. */
  campaignId?: string;
}

/**
 * The scopes a contribution counts in: all four, or without a type the two it is known for;
 * and its campaign's, whose statistics read like a period's.
 */
export const scopesOf = (dims: RollupDims): StatsRollupScope[] => [
  {},
  { street: dims.street },
  ...(dims.type !== undefined
    ? [{ type: dims.type }, { street: dims.street, type: dims.type }]
    : []),
  ...(dims.campaignId !== undefined ? [{ campaign: dims.campaignId }] : []),
];

/** The keys of every rollup a contribution of China date `date` counts in (day and month). */
export const rollupKeysOfDate = (dims: RollupDims & { date: string }): PrimaryKey[] => {
  const month = dims.date.slice(0, 7);
  return scopesOf(dims).flatMap((scope) => [
    keys.statsRollup(scope, month),
    keys.statsRollup(scope, month, dims.date),
  ]);
};

/** The keys of every rollup an activity starting at `startsAt` counts in. */
export const rollupKeysOf = (dims: RollupDims & { startsAt: string; type: string }) =>
  rollupKeysOfDate({
    street: dims.street,
    type: dims.type,
    ...(typeof dims.campaignId === 'string' ? { campaignId: dims.campaignId } : {}),
    date: chinaDateOf(new Date(dims.startsAt)),
  });

/** A rollup as a stored item under `key` (what the backfill puts). */
export const rollupItem = (key: PrimaryKey, rollup: Rollup): Record<string, unknown> => ({
  ...key,
  entity: 'STATS_ROLLUP',
  ...rollup.counts,
  ...(rollup.stations.size > 0 ? { [STATIONS_ATTRIBUTE]: new Set(rollup.stations) } : {}),
});

/** Whether two rollups hold the same counters and stations. */
export const sameRollup = (a: Rollup, b: Rollup): boolean => {
  const names = new Set([...Object.keys(a.counts), ...Object.keys(b.counts)]);
  // A counter at 0 is not a missing one: it lists its level, kind or department in the answer.
  for (const name of names) if (a.counts[name] !== b.counts[name]) return false;
  return a.stations.size === b.stations.size && [...a.stations].every((s) => b.stations.has(s));
};

/**
 * The transaction items that `ADD` a contribution into every rollup of the activity's day and
 * month (eight Updates). Exactly once is the caller's transaction's business: each writer puts
 * these next to a change that is conditional on the state it moves from (CompleteActivity on
 * the activity's audit head, CloseReferral on the referral's), so a retried step either finds
 * the change done and writes nothing, or commits all of it once.
 */
/**
 * An Update that `ADD`s counters (number attributes) and string-set members into one item,
 * creating it if missing. `ADD` is not idempotent: callers put it in a transaction that commits
 * only once (a status change, a conditional Put).
 */
export const addingUpdate = (
  tableName: string,
  Key: PrimaryKey,
  entity: string,
  counts: Record<string, number>,
  sets: Record<string, ReadonlySet<string>> = {},
) => {
  const names: Record<string, string> = { '#entity': 'entity' };
  const values: Record<string, unknown> = { ':entity': entity };
  const parts: string[] = [];
  Object.entries(counts).forEach(([name, count], i) => {
    names[`#c${i}`] = name;
    values[`:c${i}`] = count;
    parts.push(`#c${i} :c${i}`);
  });
  Object.entries(sets)
    .filter(([, members]) => members.size > 0)
    .forEach(([name, members], i) => {
      names[`#s${i}`] = name;
      values[`:s${i}`] = new Set(members);
      parts.push(`#s${i} :s${i}`);
    });
  return {
    Update: {
      TableName: tableName,
      Key,
      UpdateExpression: `SET #entity = :entity${parts.length > 0 ? ` ADD ${parts.join(', ')}` : ''}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
};

export const rollupAdds = (
  tableName: string,
  dims: RollupDims & { startsAt: string; type: string },
  contribution: Rollup,
) =>
  rollupKeysOf(dims).map((Key) =>
    addingUpdate(tableName, Key, 'STATS_ROLLUP', contribution.counts, {
      [STATIONS_ATTRIBUTE]: contribution.stations,
    }),
  );

/** The rollup a stored rollup item holds (its counters and stations; keys ignored). */
export const rollupOfItem = (item: Record<string, unknown>): Rollup => {
  const rollup = emptyRollup();
  for (const [name, value] of Object.entries(item)) {
    if (typeof value === 'number' && name.includes('#')) rollup.counts[name] = value;
  }
  const stations = item[STATIONS_ATTRIBUTE];
  if (stations instanceof Set || Array.isArray(stations)) {
    for (const station of stations as Iterable<unknown>) {
      if (typeof station === 'string') rollup.stations.add(station);
    }
  }
  return rollup;
};

/** The `q`-quantile of a histogram `value → count`, exactly as `quantile` of the values. */
export const histogramQuantile = (histogram: Map<number, number>, q: number): number | null => {
  const entries = [...histogram.entries()].filter(([, n]) => n > 0).sort(([a], [b]) => a - b);
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return null;
  const position = (total - 1) * Math.min(1, Math.max(0, q));
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const at = (rank: number): number => {
    let seen = 0;
    for (const [value, n] of entries) {
      seen += n;
      if (rank < seen) return value;
    }
    return entries.at(-1)![0];
  };
  const low = at(lower);
  const value = low + (at(upper) - low) * (position - lower);
  return Math.round(value * 100) / 100;
};
