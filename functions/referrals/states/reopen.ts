import { addDays, chinaDateOf } from '../../shared/domain/deadlines.js';
import { ConflictError } from '../../shared/errors.js';
import { roundOf } from '../../shared/data/referrals.js';
import {
  type ReferralDeps,
  assertOpen,
  clock,
  commitReferralChange,
  expectStatus,
  withReferral,
} from '../referral-state.js';

// --- ReopenReferral ----------------------------------------------------------------------

/**
 * "Not satisfied" reopens a referral once: a new round with a new due date (`reopenDays` from
 * now), the reply kept in `previousReplies`. A retry after success changes nothing.
 */
export const reopenReferral = async (
  deps: ReferralDeps & { reopenDays: number },
  referralId: string,
): Promise<{ referralId: string }> =>
  withReferral(deps, referralId, async (referral) => {
    if (referral.reopened) return { referralId };
    assertOpen(referral);
    if (referral.status !== 'REPLIED') {
      throw new ConflictError(`Referral ${referralId} is ${referral.status}: cannot reopen`);
    }
    const now = clock(deps);
    const at = now.toISOString();
    const round = roundOf(referral) + 1;
    const dueDate = chinaDateOf(addDays(now, deps.reopenDays));
    await commitReferralChange(deps, referral, at, {
      set: {
        status: 'REOPENED',
        reopened: true,
        reopenCount: (referral.reopenCount ?? 0) + 1,
        reopenedAt: at,
        round,
        dueDate,
        previousReplies: [
          ...(referral.previousReplies ?? []),
          ...(referral.reply ? [{ ...referral.reply, round: roundOf(referral) }] : []),
        ],
      },
      remove: ['reply', 'dueAt', 'pendingTask'],
      condition: expectStatus('REPLIED'),
      action: 'REFERRAL_REOPENED',
      before: {
        status: referral.status,
        round: roundOf(referral),
        dueDate: referral.dueDate ?? null,
      },
      after: { round, dueDate },
    });
    deps.logger?.info('Referral reopened', { round, dueDate });
    return { referralId };
  });
