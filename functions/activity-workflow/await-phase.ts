import middy from '@middy/core';
import { db } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import { logger } from '../shared/observability.js';
import { observe } from '../shared/observe.js';
import { parseInput, retryableErrors } from '../shared/workflow/middleware.js';
import { awaitPhase } from './domain.js';
import { awaitPhaseEnvSchema } from './env.js';
import { awaitPhaseInputSchema, type AwaitPhaseInput } from './schemas.js';

const env = parseEnv(awaitPhaseEnvSchema);

/**
 * `.waitForTaskToken` states: `{activityId, phase, taskToken}` → stores the token on the
 * activity, returns `{}` (the state then waits for SendTaskSuccess or its timeout).
 */
export const handler = middy<AwaitPhaseInput, object>()
  .use(observe())
  .use(retryableErrors())
  .use(parseInput(awaitPhaseInputSchema))
  .handler(async (event) => {
    // Never log the token: it is a credential for resuming the workflow.
    logger.appendKeys({ activityId: event.activityId, phase: event.phase });
    return awaitPhase({ db, tableName: env.TABLE_NAME, logger }, event);
  });
