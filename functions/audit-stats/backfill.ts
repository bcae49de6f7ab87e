import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { batchGetByKey } from '../shared/data/batch-get.js';
import { KEY_ATTRIBUTES, keys, type PrimaryKey } from '../shared/data/keys.js';
import { type ActivityExtras } from '../findings/store.js';
import { listFindings } from '../shared/data/findings.js';
import { getActivity } from '../shared/data/activities.js';
import { listInvitations } from '../shared/data/invitations.js';
import { recordDutyOfActivity } from './duty.js';
import type { ActivityStatsItem, ReferralFactsSource, ReferralStatsItem } from './items.js';
import {
  activityContribution,
  emptyRollup,
  mergeRollup,
  referralContribution,
  rollupItem,
  rollupKeysOfDate,
  rollupOfItem,
  sameRollup,
  type Rollup,
  type RollupDims,
} from './rollups.js';
import { queryAll, type ReadDeps } from './store.js';
import { getReferrals } from '../shared/data/referrals.js';

/**
 * The backfill of the statistics rollups (scripts/backfill-stats-rollups.ts) for a table that
 * holds statistics items written before the rollups existed: it recomputes every rollup of a
 * month from the month's statistics items (one per completed activity, one per referral) and
 * puts it whole, lists the referrals still open under `STATS_OPEN#<month>` and unlists the
 * closed ones. Recomputing (not adding) makes it safe to run again: a second run writes the
 * same items. `check` only compares and names the rollups that differ.
 *
 * A put replaces a rollup: a completion or a close that adds into a month while the backfill
 * of that month is between its read and its put would be overwritten. Run it after the writers
 * that add into rollups are deployed (so nothing after it is missed), then once more with
 * `check`; a month it reports is backfilled again.
 */

export interface BackfillMonthResult {
  month: string;
  activities: number;
  referrals: number;
  openReferrals: number;
  rollups: number;
  /** Rollups whose stored content differed from the recomputed one (missing ones included). */
  differing: string[];
}

const keyId = (key: PrimaryKey) => `${key.pk}\n${key.sk}`;

/** The rollups of one month as its statistics items add up (keyed by `pk\nsk`). */
export const rollupsOfMonthItems = (
  items: readonly (ActivityStatsItem | ReferralStatsItem)[],
): Map<string, { key: PrimaryKey; rollup: Rollup }> => {
  const rollups = new Map<string, { key: PrimaryKey; rollup: Rollup }>();
  const addInto = (dims: RollupDims & { date: string }, from: Rollup) => {
    for (const key of rollupKeysOfDate(dims)) {
      const id = keyId(key);
      if (!rollups.has(id)) rollups.set(id, { key, rollup: emptyRollup() });
      mergeRollup(rollups.get(id)!.rollup, from);
    }
  };
  const activities = items.filter((i): i is ActivityStatsItem => i.entity === 'STATS_ACTIVITY');
  const typeOf = new Map(activities.map((a) => [a.activityId, a.type]));
  for (const activity of activities) addInto(activity, activityContribution(activity));
  for (const referral of items) {
    if (referral.entity !== 'STATS_REFERRAL' || !referral.closed) continue;
    // A referral item older than the rollups names no type: its activity's item does. Without
    // either (the activity never completed) it counts where the query counted it before: in
    // the totals and its street, under no type.
    const type = referral.type ?? typeOf.get(referral.activityId);
    addInto(
      {
        date: referral.date,
        street: referral.street,
        ...(type ? { type } : {}),
        ...(referral.campaignId ? { campaignId: referral.campaignId } : {}),
      },
      referralContribution(referral),
    );
  }
  return rollups;
};

export const backfillStatsRollupsOfMonth = async (
  deps: ReadDeps,
  month: string,
  options: { check?: boolean } = {},
): Promise<BackfillMonthResult> => {
  const items = await queryAll<ActivityStatsItem | ReferralStatsItem>(
    deps,
    keys.statsOfMonth(month),
  );
  const computed = rollupsOfMonthItems(items);
  const stored = await batchGetByKey<Record<string, unknown>>(
    deps,
    [...computed.entries()].map(([id, { key }]) => [id, key] as const),
  );
  const differing = [...computed.entries()]
    .filter(([id, { rollup }]) => {
      const item = stored.get(id);
      return !item || !sameRollup(rollupOfItem(item), rollup);
    })
    .map(([id]) => id.replace('\n', ' '));

  const activities = items.filter((i) => i.entity === 'STATS_ACTIVITY') as ActivityStatsItem[];
  const typeOf = new Map(activities.map((a) => [a.activityId, a.type]));
  const referrals = items.filter((i): i is ReferralStatsItem => i.entity === 'STATS_REFERRAL');
  const open = referrals.filter((r) => !r.closed);
  if (!options.check) {
    for (const [id, { key, rollup }] of computed) {
      if (!differing.includes(id.replace('\n', ' '))) continue;
      await deps.db.send(
        new PutCommand({ TableName: deps.tableName, Item: rollupItem(key, rollup) }),
      );
    }
    for (const referral of referrals) {
      const listing = keys.openReferralStatsListing(referral.date, referral.referralId);
      const item = referral as unknown as Record<string, unknown>;
      const type = referral.type ?? typeOf.get(referral.activityId);
      const listed = item.listPk === listing.listPk && item.listSk === listing.listSk;
      const typed = type === undefined || item.type === type;
      if (!referral.closed && (!listed || !typed)) {
        await deps.db
          .send(
            new UpdateCommand({
              TableName: deps.tableName,
              Key: keys.statsOfReferral(month, referral.referralId),
              UpdateExpression: `SET #listPk = :listPk, #listSk = :listSk${type ? ', #type = :type' : ''}`,
              // Closed meanwhile: the close has unlisted it and added it into the rollups.
              ConditionExpression: 'attribute_exists(pk) AND #closed <> :true',
              ExpressionAttributeNames: {
                '#listPk': KEY_ATTRIBUTES.listPk,
                '#listSk': KEY_ATTRIBUTES.listSk,
                '#closed': 'closed',
                ...(type ? { '#type': 'type' } : {}),
              },
              ExpressionAttributeValues: {
                ':listPk': listing.listPk,
                ':listSk': listing.listSk,
                ':true': true,
                ...(type ? { ':type': type } : {}),
              },
            }),
          )
          .catch((error: unknown) => {
            if ((error as { name?: string }).name !== 'ConditionalCheckFailedException')
              throw error;
          });
      } else if (referral.closed && item.listPk !== undefined) {
        await deps.db.send(
          new UpdateCommand({
            TableName: deps.tableName,
            Key: keys.statsOfReferral(month, referral.referralId),
            UpdateExpression: 'REMOVE #listPk, #listSk',
            ExpressionAttributeNames: {
              '#listPk': KEY_ATTRIBUTES.listPk,
              '#listSk': KEY_ATTRIBUTES.listSk,
            },
          }),
        );
      }
    }
  }
  return {
    month,
    activities: activities.length,
    referrals: referrals.length,
    openReferrals: open.length,
    rollups: computed.size,
    differing,
  };
};

export interface BackfillDutyResult {
  month: string;
  activities: number;
  entries: number;
}

/**
 * The duty records (functions/audit-stats/duty.ts) of the activities a month completed before
 * they were written at completion: for each completed activity (its statistics item), what
 * CompleteActivity now writes, from the activity's invitations, findings and referrals as they
 * stand. Each deputy's entry is a conditional Put committed with its counters, so running it
 * again, or over an activity completed since, adds nothing; a referral closed meanwhile is
 * counted with its outcome.
 */
export const backfillDutyOfMonth = async (
  deps: ReadDeps,
  month: string,
): Promise<BackfillDutyResult> => {
  const items = await queryAll<ActivityStatsItem | ReferralStatsItem>(
    deps,
    keys.statsOfMonth(month),
  );
  const activityIds = items
    .filter((item): item is ActivityStatsItem => item.entity === 'STATS_ACTIVITY')
    .map((item) => item.activityId);
  let entries = 0;
  for (const activityId of activityIds) {
    const activity = (await getActivity(deps, activityId)) as
      (Awaited<ReturnType<typeof getActivity>> & ActivityExtras) | undefined;
    if (!activity) continue;
    const [invitations, findings, referrals] = await Promise.all([
      listInvitations(deps, activityId),
      listFindings(deps, activityId),
      getReferrals(deps, activity.approvedReferralIds ?? []),
    ]);
    const written = await recordDutyOfActivity(
      deps,
      activity,
      invitations,
      findings,
      referrals as unknown as ReadonlyMap<string, ReferralFactsSource>,
    );
    entries += written.entries;
  }
  return { month, activities: activityIds.length, entries };
};
