import type { RecordReferralFailureInput } from '../schemas.js';
import { failureForOrganisers } from '../../shared/workflow/failure-cause.js';
import { type ReferralDeps, clock, commitReferralChange, withReferral } from '../referral-state.js';

// --- RecordReferralFailure ---------------------------------------------------------------

/**
 * `Catch` of the referral workflow: records the failure on the referral (its status stays, so
 * a redrive resumes where it stopped) with its audit event.
 */
export const recordReferralFailure = async (
  deps: ReferralDeps,
  input: RecordReferralFailureInput,
): Promise<{ referralId: string }> =>
  withReferral(deps, input.referralId, async (referral) => {
    const at = clock(deps).toISOString();
    // Organisers read it: no stack trace, no server path (the full cause is in the log).
    const failure = { ...failureForOrganisers(input.error, input.requestId), at };
    await commitReferralChange(
      deps,
      referral,
      at,
      {
        set: { failure },
        remove: ['pendingTask'],
        action: 'REFERRAL_FAILED',
        after: { error: failure.error },
      },
      { clearFailure: false },
    );
    return { referralId: input.referralId };
  });
