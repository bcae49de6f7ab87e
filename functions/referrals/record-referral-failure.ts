import { recordFailureStep } from '../shared/workflow/record-failure-step.js';
import { tableDeps } from '../shared/table-deps.js';
import { recordReferralFailure } from './states/record-failure.js';
import { recordReferralFailureEnvSchema } from './env.js';

const deps = tableDeps(recordReferralFailureEnvSchema);

/**
 * Target of the rule on the referral workflow's FAILED and TIMED_OUT events (execution name =
 * referral id) → the failure kept on the referral, with the recorder's request id; its status
 * stays, so a redrive resumes where it stopped.
 */
export const handler = recordFailureStep({
  workflow: 'Referral',
  idKey: 'referralId',
  record: (referralId, failure) => recordReferralFailure(deps, { referralId, ...failure }),
});
