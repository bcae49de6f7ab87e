import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { settleDutyReferral } from '../../audit-stats/duty.js';
import {
  closingStatsWrites,
  hasStatsDate,
  type ReferralFactsSource,
} from '../../audit-stats/items.js';
import { getActivity } from '../../shared/data/activities.js';
import { appendAuditEvent, streamHead } from '../../shared/data/audit.js';
import type { ActivityItem } from '../../shared/data/items.js';
import { keys, toQueryParams } from '../../shared/data/keys.js';
import { writeTransaction } from '../../shared/data/transact.js';
import { addOutcome, type ReferralOutcomeCounts } from '../model.js';
import type { CloseReferralInput } from '../schemas.js';
import {
  RATINGS,
  roundOf,
  type Rating,
  type ReferralOutcome,
  type ReferralItem,
} from '../../shared/data/referrals.js';
import {
  type ReferralDeps,
  assertOpen,
  clock,
  isClosed,
  referralStateChange,
  withReferral,
} from '../referral-state.js';
import { type DeadlineDeps, dueOf } from '../deadlines.js';
import { WORKFLOW_ACTOR } from '../../shared/workflow/actor.js';

// --- CloseReferral -----------------------------------------------------------------------

const ratingOf = (item: Record<string, unknown>): Rating | undefined => {
  const value = item.rating ?? item.satisfaction ?? item.value;
  return RATINGS.includes(value as Rating) ? (value as Rating) : undefined;
};

/** Ratings of one round (items `RATING#<round>#<raiserRef>` the rating page writes). */
export const countRatings = async (
  deps: ReferralDeps,
  referralId: string,
  round: number,
): Promise<Record<Rating, number>> => {
  const counts: Record<Rating, number> = { SATISFIED: 0, BASICALLY_SATISFIED: 0, NOT_SATISFIED: 0 };
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await deps.db.send(
      new QueryCommand({
        TableName: deps.tableName,
        ...toQueryParams(keys.ratingsOfReferralRound(referralId, round)),
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of out.Items ?? []) {
      const rating = ratingOf(item);
      if (rating) counts[rating]++;
    }
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return counts;
};

/**
 * Closes the referral: status CLOSED (or CLOSED_BY_COMMITTEE), its outcome (result, answer
 * date and whether on time, ratings of the last round) stored, and the activity's report data
 * (`referralOutcomes`) updated, in one transaction with an audit event on both chains.
 */
export const closeReferral = async (
  deps: ReferralDeps & DeadlineDeps,
  input: CloseReferralInput,
): Promise<{ referralId: string }> =>
  withReferral(deps, input.referralId, async (referral) => {
    const { referralId } = input;
    if (isClosed(referral)) {
      // A retry after the close committed: the duty move is conditional, so once at most.
      await settleDuty(deps, referral);
      return { referralId };
    }
    assertOpen(referral);
    const byCommittee =
      input.decision?.outcome === 'CLOSED_BY_COMMITTEE' || referral.committeeClosure !== undefined;
    const status = byCommittee ? 'CLOSED_BY_COMMITTEE' : 'CLOSED';
    const round = roundOf(referral);
    const answeredAt =
      (typeof referral.reply?.at === 'string' ? referral.reply.at : undefined) ??
      referral.repliedAt ??
      null;
    const due = dueOf(referral, deps.config);
    const outcome: ReferralOutcome = {
      status,
      result: typeof referral.reply?.result === 'string' ? referral.reply.result : null,
      answeredAt,
      answeredOnTime: answeredAt ? Date.parse(answeredAt) <= due.getTime() : null,
      reopened: referral.reopened === true,
      rounds: round,
      ratings: await countRatings(deps, referralId, round),
    };
    const at = clock(deps).toISOString();
    const items = referralStateChange(deps, referral, at, {
      set: { status, closedAt: at, outcome },
      remove: ['pendingTask'],
      action: 'REFERRAL_CLOSED',
      after: { ...outcome },
    });
    const activity = (await getActivity(deps, referral.activityId)) as
      (ActivityItem & { referralOutcomes?: ReferralOutcomeCounts }) | undefined;
    if (activity && !activity.referralOutcomes?.referralIds.includes(referralId)) {
      const referralOutcomes = addOutcome(activity.referralOutcomes, referralId, outcome);
      items.push(
        ...appendAuditEvent({
          tableName: deps.tableName,
          streamId: keys.auditStreamOfActivity(activity.id),
          head: streamHead(keys.activity(activity.id), activity),
          change: { set: { referralOutcomes, updatedAt: at } },
          event: {
            at,
            actor: WORKFLOW_ACTOR,
            action: 'REFERRAL_CLOSED',
            before: null,
            after: { referralId, departmentId: referral.departmentId, ...outcome },
          },
        }).items,
      );
    }
    if (activity && hasStatsDate(activity)) {
      // Its statistics item and the rollups its outcome adds into (functions/audit-stats), in
      // the same transaction: a retried close finds the referral closed and adds nothing twice.
      const closed = { ...referral, status, closedAt: at, outcome } as ReferralFactsSource;
      items.push(...closingStatsWrites(deps.tableName, activity, closed));
    }
    await writeTransaction(deps.db, items);
    deps.logger?.info('Referral closed', { status, round });
    await settleDuty(deps, { ...referral, status, closedAt: at, outcome }, activity);
    return { referralId };
  });

/**
 * The closed referral's outcome into the duty summaries of the deputies it came from
 * (functions/audit-stats/duty.ts); only once its activity has a start (always, but for items
 * written before activities had one).
 */
const settleDuty = async (
  deps: ReferralDeps,
  closed: ReferralItem,
  known?: ActivityItem,
): Promise<void> => {
  const activity = known ?? (await getActivity(deps, closed.activityId));
  if (!activity || !hasStatsDate(activity)) return;
  await settleDutyReferral(deps, closed as unknown as ReferralFactsSource, activity);
};
