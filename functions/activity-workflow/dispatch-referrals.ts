import { db, sfn } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import { logger } from '../shared/observability.js';
import { workflowStep } from '../shared/workflow/step.js';
import { dispatchReferralsEnvSchema } from './env.js';
import { dispatchReferrals } from './findings-steps.js';
import { dispatchReferralsInputSchema } from './findings-steps-schemas.js';

const env = parseEnv(dispatchReferralsEnvSchema);

/** State `Dispatch`: one referral execution per approved referral; → `{activityId, dispatched}`. */
export const handler = workflowStep(dispatchReferralsInputSchema, async (input) =>
  dispatchReferrals(
    {
      db,
      sfn,
      tableName: env.TABLE_NAME,
      referralStateMachineArn: env.REFERRAL_STATE_MACHINE_ARN,
      logger,
    },
    input.activityId,
  ),
);
