import type { SFNClient } from '@aws-sdk/client-sfn';
import { sendTaskSuccess } from '../../shared/workflow/task-token.js';
import { writeTransaction, withConflictRetry } from '../../shared/data/transact.js';
import type { AwaitReferralInput } from '../schemas.js';
import { roundOf, type ReferralItem } from '../../shared/data/referrals.js';
import {
  type ReferralDeps,
  assertOpen,
  clock,
  loadReferral,
  referralChange,
} from '../referral-state.js';
import { type DeadlineDeps, dueOf } from '../deadlines.js';

// --- AwaitReferral -----------------------------------------------------------------------

/**
 * Stores the task token of a human step on the referral (server-side: links carry opaque ids
 * only) with its audit event; the same token again changes nothing. The token stays out of the
 * audit event, which auditors read.
 */
export interface AwaitReferralDeps extends ReferralDeps, DeadlineDeps {
  /** Ends the wait at once when the department answered while no wait was open. */
  sfn: Pick<SFNClient, 'send'>;
}

/**
 * The department's outcome already recorded on the referral, if any. The response page stores
 * the outcome before it signals the stored token; when it answered between two waits (while
 * CheckDeadlines ran) it signalled a token that was already dead, so the new wait must pick the
 * outcome up itself or it would wait for a signal that never comes.
 */
export const outcomeAlreadyGiven = (referral: ReferralItem): string | undefined => {
  if (referral.committeeClosure) return 'CLOSED_BY_COMMITTEE';
  if (referral.status === 'REPLIED') return 'REPLIED';
  if (referral.status === 'RETURNED') return 'RETURNED';
  return undefined;
};

export const awaitReferral = async (
  deps: AwaitReferralDeps,
  input: AwaitReferralInput,
): Promise<object> => {
  await withConflictRetry(async () => {
    const referral = await loadReferral(deps, input.referralId);
    if (referral.pendingTask?.token === input.taskToken) return;
    assertOpen(referral);
    const since = clock(deps).toISOString();
    const deadline =
      input.phase === 'DEPARTMENT'
        ? dueOf(referral, deps.config).toISOString()
        : input.phase === 'RATING'
          ? referral.feedback?.ratingDeadline
          : undefined;
    const pendingTask = {
      phase: input.phase,
      token: input.taskToken,
      since,
      round: roundOf(referral),
      ...(deadline ? { deadline } : {}),
    };
    await writeTransaction(
      deps.db,
      referralChange(
        deps,
        referral,
        { set: { pendingTask } },
        {
          action: `AWAITING_${input.phase}`,
          before: { status: referral.status, pendingPhase: referral.pendingTask?.phase ?? null },
          after: {
            phase: input.phase,
            round: roundOf(referral),
            since,
            deadline: deadline ?? null,
          },
        },
        since,
      ),
    );
  });
  if (input.phase !== 'DEPARTMENT') return {};
  // Read again after the token is stored: an answer stored before this point may have
  // signalled the previous, dead token; one stored after it finds this token itself.
  const latest = await loadReferral(deps, input.referralId);
  const outcome = outcomeAlreadyGiven(latest);
  if (outcome) {
    // `false`: the task was already ended by someone else, which is what was wanted.
    if (await sendTaskSuccess(deps, input.taskToken, { outcome })) {
      deps.logger?.info('Outcome given between waits; wait ended at once', { outcome });
    }
  }
  return {};
};
