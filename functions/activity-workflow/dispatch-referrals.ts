import middy from '@middy/core';
import { db, sfn } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import { logger } from '../shared/observability.js';
import { observe } from '../shared/observe.js';
import { parseInput, retryableErrors } from '../shared/workflow/middleware.js';
import { dispatchReferralsEnvSchema } from './env.js';
import { dispatchReferrals } from './findings-steps.js';
import { dispatchReferralsInputSchema, type ActivityStepInput } from './findings-steps-schemas.js';

const env = parseEnv(dispatchReferralsEnvSchema);

/** State `Dispatch`: one referral execution per approved referral; → `{activityId, dispatched}`. */
export const handler = middy<ActivityStepInput, { activityId: string; dispatched: number }>()
  .use(observe())
  .use(retryableErrors())
  .use(parseInput(dispatchReferralsInputSchema))
  .handler(async (event) => {
    logger.appendKeys({ activityId: event.activityId });
    return dispatchReferrals(
      {
        db,
        sfn,
        tableName: env.TABLE_NAME,
        referralStateMachineArn: env.REFERRAL_STATE_MACHINE_ARN,
        logger,
      },
      event.activityId,
    );
  });
