import { keys } from '../shared/data/keys.js';
import { levelEmailedTo, recipientLevelOfReferral } from '../shared/data/referrals.js';
import { chinaDateOf } from '../shared/domain/deadlines.js';
import type { RecipientLevel } from '../shared/domain/reference.js';
import { activityContribution, referralContribution, rollupAdds } from './rollups.js';

/**
 * The small statistics items a period query reads (docs: keys.ts, `STATS#<YYYY-MM>`): one per
 * completed activity, one per referral, both in the partition of the month (China time) the
 * activity started in. Written by CompleteActivity and CloseReferral in the same transaction as
 * their change, together with the rollups they add into (rollups.ts), which are what a period
 * query reads; numbers, codes and ids only, never personal data.
 */

/** Whether an activity has what its statistics items are filed under (a start and a street). */
export const hasStatsDate = (activity: { startsAt?: unknown; street?: unknown }): boolean =>
  typeof activity.startsAt === 'string' &&
  !Number.isNaN(Date.parse(activity.startsAt)) &&
  typeof activity.street === 'string' &&
  activity.street !== '';

/** `YYYY-MM` of an instant in China time: the statistics month of an activity. */
export const statsMonthOf = (startsAt: string): string =>
  chinaDateOf(new Date(startsAt)).slice(0, 7);

export interface ActivityStatsItem {
  pk: string;
  sk: string;
  entity: 'STATS_ACTIVITY';
  activityId: string;
  type: string;
  street: string;
  startsAt: string;
  /** China date of the start, `YYYY-MM-DD`: what a period filters on. */
  date: string;
  personTimesByLevel: Record<string, number>;
  /** Each deputy once, whatever their seats (the district's own deputies). */
  personTimesTotal: number;
  /** Guest deputies of another district (cross-inspections), counted apart. */
  guestPersonTimesByLevel?: Record<string, number>;
  guestPersonTimesTotal?: number;
  /** The theme campaign (主题活动) the activity belongs to. */
  campaignId?: string;
  findingsTotal: number;
  findingsByKind: Record<string, number>;
  findingsByCategory: Record<string, number>;
  referralIds: string[];
  /** Findings the review referred to departments (the article's 转交). */
  findingsReferred?: number;
  /** The liaison stations a reception day ran at (their names: the period counts each once). */
  liaisonStations?: string[];
  consultationsAnswered?: number;
  residentsReceived?: number;
  /** The people a lecture or symposium served (听众, 服务人次). */
  peopleServed?: number;
  completedAt: string;
}

const stationsOf = (details: { liaisonStations?: unknown } | undefined) => {
  const stations = details?.liaisonStations;
  return Array.isArray(stations) && stations.length > 0
    ? { liaisonStations: stations.filter((s): s is string => typeof s === 'string') }
    : {};
};

export const activityStatsItem = (input: {
  activity: {
    id: string;
    type: string;
    street: string;
    startsAt: string;
    /** Type-specific fields as the activity stores them (a reception day's stations). */
    details?: { liaisonStations?: unknown };
    communityCounts?: {
      consultationsAnswered?: number;
      residentsReceived?: number;
      peopleServed?: number;
    };
    campaignId?: string;
  };
  report: {
    personTimes: {
      byLevel: Record<string, number>;
      total: number;
      guests?: { byLevel: Record<string, number>; total: number };
    };
    findings: {
      total: number;
      byKind: Record<string, number>;
      byCategory: Record<string, number>;
      referred?: number;
    };
    referrals: { byDepartment: { referralId: string }[] };
  };
  completedAt: string;
}): ActivityStatsItem => {
  const { activity, report } = input;
  const counts = activity.communityCounts;
  return {
    ...keys.statsOfActivity(statsMonthOf(activity.startsAt), activity.id),
    entity: 'STATS_ACTIVITY',
    activityId: activity.id,
    type: activity.type,
    street: activity.street,
    startsAt: activity.startsAt,
    date: chinaDateOf(new Date(activity.startsAt)),
    personTimesByLevel: report.personTimes.byLevel,
    personTimesTotal: report.personTimes.total,
    ...(report.personTimes.guests
      ? {
          guestPersonTimesByLevel: report.personTimes.guests.byLevel,
          guestPersonTimesTotal: report.personTimes.guests.total,
        }
      : {}),
    ...(typeof activity.campaignId === 'string' ? { campaignId: activity.campaignId } : {}),
    findingsTotal: report.findings.total,
    findingsByKind: report.findings.byKind,
    findingsByCategory: report.findings.byCategory,
    referralIds: report.referrals.byDepartment.map((entry) => entry.referralId),
    findingsReferred: report.findings.referred ?? 0,
    ...stationsOf(activity.details),
    ...(typeof counts?.consultationsAnswered === 'number'
      ? { consultationsAnswered: counts.consultationsAnswered }
      : {}),
    ...(typeof counts?.residentsReceived === 'number'
      ? { residentsReceived: counts.residentsReceived }
      : {}),
    ...(typeof counts?.peopleServed === 'number' ? { peopleServed: counts.peopleServed } : {}),
    completedAt: input.completedAt,
  };
};

/** What the statistics need to know of a referral (from its stored item). */
export interface ReferralFactsSource {
  id: string;
  activityId: string;
  departmentId: string;
  status: string;
  dispatchedAt?: string;
  sent?: { at: string; departmentId?: string; departmentLevel?: RecipientLevel };
  emails?: { at: string; departmentId?: string; departmentLevel?: RecipientLevel }[];
  acknowledgedAt?: string;
  overdueAt?: string;
  dueDate?: string;
  dueAt?: string;
  repliedAt?: string;
  reply?: { result?: unknown; at?: unknown } & Record<string, unknown>;
  returned?: { departmentId: string };
  routing?: { departmentId: string }[];
  outcome?: {
    result: string | null;
    answeredAt: string | null;
    answeredOnTime: boolean | null;
    ratings: Record<string, number>;
  };
  closedAt?: string;
}

/** The facts of one referral the statistics count, as of now. */
export interface ReferralFacts {
  referralId: string;
  activityId: string;
  departmentId: string;
  status: string;
  sentAt: string | null;
  acknowledged: boolean;
  answeredAt: string | null;
  result: string | null;
  overdue: boolean;
  /**
   * The level its department was emailed at, or EXTERNAL (a hand-over outside the district);
   * missing on statistics items written before levels: DISTRICT.
   */
  departmentLevel?: RecipientLevel;
  /** Departments that returned it as not theirs (a re-routed referral names each). */
  returnedBy: string[];
  /** The level each of `returnedBy` was emailed at, in the same order. */
  returnedByLevels?: RecipientLevel[];
  ratings: Record<string, number>;
  closed: boolean;
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

export const referralFactsOf = (referral: ReferralFactsSource): ReferralFacts => {
  const sentAt = referral.emails?.[0]?.at ?? referral.sent?.at ?? referral.dispatchedAt ?? null;
  const answeredAt =
    referral.outcome?.answeredAt ?? text(referral.reply?.at) ?? referral.repliedAt ?? null;
  const result = referral.outcome?.result ?? text(referral.reply?.result);
  const routed = (referral.routing ?? []).map((entry) => entry.departmentId);
  // Every department but the last of the routing history returned it; so did the current one
  // while it stands RETURNED.
  const returnedBy = routed.slice(0, -1);
  if (referral.status === 'RETURNED' && referral.returned) {
    returnedBy.push(referral.returned.departmentId);
  }
  const returned = [...new Set(returnedBy)];
  return {
    referralId: referral.id,
    activityId: referral.activityId,
    departmentId: referral.departmentId,
    departmentLevel: recipientLevelOfReferral(referral),
    status: referral.status,
    sentAt,
    acknowledged: referral.acknowledgedAt !== undefined,
    answeredAt,
    result,
    overdue:
      referral.overdueAt !== undefined ||
      referral.status === 'OVERDUE' ||
      referral.outcome?.answeredOnTime === false,
    returnedBy: returned,
    returnedByLevels: returned.map((departmentId) => levelEmailedTo(referral, departmentId)),
    ratings: { ...(referral.outcome?.ratings ?? {}) },
    closed: referral.closedAt !== undefined || referral.status.startsWith('CLOSED'),
  };
};

export interface ReferralStatsItem extends ReferralFacts {
  pk: string;
  sk: string;
  entity: 'STATS_REFERRAL';
  street: string;
  /** The activity's type: a type filter reads an open referral by it. */
  type?: string;
  /** The activity's campaign: a campaign's statistics read an open referral by it. */
  campaignId?: string;
  /** China date of the activity's start: what a period filters on. */
  date: string;
}

/**
 * An Update (not a Put) of the referral's statistics item, so the writes of CompleteActivity
 * (sent) and CloseReferral (its outcome) commute whichever lands first: the close sets the
 * facts, the completion only fills in what is not there yet. While the referral is open its
 * item is listed under `STATS_OPEN#<month>` (the listing index), which is how a period query
 * finds the referrals it must read live; the close removes the listing as it adds the final
 * facts into the rollups. A completion landing after the close may list the item again, but it
 * then holds `closed: true` and the query skips it (it is in the rollups).
 */
export const referralStatsUpdate = (
  tableName: string,
  activity: { street: string; startsAt: string; type?: string; campaignId?: string },
  facts: ReferralFacts,
  mode: 'sent' | 'closed',
) => {
  const date = chinaDateOf(new Date(activity.startsAt));
  const base = {
    entity: 'STATS_REFERRAL',
    street: activity.street,
    ...(activity.type !== undefined ? { type: activity.type } : {}),
    ...(typeof activity.campaignId === 'string' ? { campaignId: activity.campaignId } : {}),
    date,
    referralId: facts.referralId,
    activityId: facts.activityId,
    ...(mode === 'sent' && !facts.closed
      ? keys.openReferralStatsListing(date, facts.referralId)
      : {}),
  };
  const fields: Record<string, unknown> = { ...facts };
  delete fields.referralId;
  delete fields.activityId;
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const parts: string[] = [];
  let n = 0;
  for (const [name, value] of Object.entries(base)) {
    names[`#b${n}`] = name;
    values[`:b${n}`] = value;
    parts.push(`#b${n} = :b${n}`);
    n++;
  }
  for (const [name, value] of Object.entries(fields)) {
    names[`#f${n}`] = name;
    values[`:f${n}`] = value;
    parts.push(mode === 'closed' ? `#f${n} = :f${n}` : `#f${n} = if_not_exists(#f${n}, :f${n})`);
    n++;
  }
  const remove =
    mode === 'closed'
      ? Object.keys(keys.openReferralStatsListing(date, facts.referralId)).map((name, i) => {
          names[`#r${i}`] = name;
          return `#r${i}`;
        })
      : [];
  return {
    Update: {
      TableName: tableName,
      Key: keys.statsOfReferral(statsMonthOf(activity.startsAt), facts.referralId),
      UpdateExpression: `SET ${parts.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
};

/**
 * The statistics writes of CompleteActivity: `core` (the activity's item and the `ADD`s of its
 * contribution into the rollups of its day and month) must be in the completion's transaction,
 * so the rollups count it exactly once; `referrals` (each referral's item, sent, listed as open;
 * its outcome comes when it closes) are idempotent and may be written ahead when they do not fit.
 */
export const completionStatsWrites = (
  tableName: string,
  activity: Parameters<typeof activityStatsItem>[0]['activity'],
  report: Parameters<typeof activityStatsItem>[0]['report'],
  referrals: readonly ReferralFactsSource[],
  completedAt: string,
) => {
  if (!hasStatsDate(activity)) return { core: [], referrals: [] };
  const item = activityStatsItem({ activity, report, completedAt });
  return {
    core: [
      { Put: { TableName: tableName, Item: item } },
      ...rollupAdds(tableName, activity, activityContribution(item)),
    ],
    referrals: referrals.map((referral) =>
      referralStatsUpdate(tableName, activity, referralFactsOf(referral), 'sent'),
    ),
  };
};

/**
 * The statistics writes of CloseReferral, for its transaction: the referral's item with its
 * final facts (no longer listed as open) and the `ADD`s of those facts into the rollups of its
 * activity's day and month. The close is final (a closed referral is never reopened), so its
 * contribution never needs taking back.
 */
export const closingStatsWrites = (
  tableName: string,
  activity: { street: string; startsAt: string; type: string; campaignId?: string },
  closed: ReferralFactsSource,
) => {
  const facts = referralFactsOf(closed);
  return [
    referralStatsUpdate(tableName, activity, facts, 'closed'),
    ...rollupAdds(tableName, activity, referralContribution(facts)),
  ];
};
