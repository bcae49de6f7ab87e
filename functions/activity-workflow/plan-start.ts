import middy from '@middy/core';
import type { z } from 'zod/mini';
import { db } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import { logger } from '../shared/observability.js';
import { observe } from '../shared/observe.js';
import { parseInput, retryableErrors } from '../shared/workflow/middleware.js';
import { planStartEnvSchema } from './env.js';
import { startStepInputSchema } from './schemas.js';
import { planStart, type StartPlan } from './start-steps.js';

const env = parseEnv(planStartEnvSchema);

/**
 * State `PlanStart`: `{activityId}` → `{activityId, revision, next, secondsToWait,
 * secondsUntilStart}`, from the activity as it is now (after a change, the new times).
 */
export const handler = middy<z.output<typeof startStepInputSchema>, StartPlan>()
  .use(observe())
  .use(retryableErrors())
  .use(parseInput(startStepInputSchema))
  .handler(async (event) => {
    logger.appendKeys({ activityId: event.activityId });
    const plan = await planStart(
      { db, tableName: env.TABLE_NAME, logger },
      event.activityId,
      env.REMINDER_LEAD_SECONDS,
    );
    logger.info('Start planned', { ...plan });
    return plan;
  });
