import { writeTransaction, withConflictRetry } from '../../shared/data/transact.js';
import type { RecordReferralFailureInput } from '../schemas.js';
import { failureForOrganisers } from '../../shared/workflow/failure-cause.js';
import { type ReferralDeps, clock, loadReferral, referralChange } from '../referral-state.js';

// --- RecordReferralFailure ---------------------------------------------------------------

/**
 * `Catch` of the referral workflow: records the failure on the referral (its status stays, so
 * a redrive resumes where it stopped) with its audit event.
 */
export const recordReferralFailure = async (
  deps: ReferralDeps,
  input: RecordReferralFailureInput,
): Promise<{ referralId: string }> =>
  withConflictRetry(async () => {
    const referral = await loadReferral(deps, input.referralId);
    const at = clock(deps).toISOString();
    // Organisers read it: no stack trace, no server path (the full cause is in the log).
    const failure = { ...failureForOrganisers(input.error, input.requestId), at };
    await writeTransaction(
      deps.db,
      referralChange(
        deps,
        referral,
        { set: { failure }, remove: ['pendingTask'] },
        {
          action: 'REFERRAL_FAILED',
          before: { status: referral.status },
          after: { status: referral.status, error: failure.error },
        },
        at,
        { clearFailure: false },
      ),
    );
    return { referralId: input.referralId };
  });
