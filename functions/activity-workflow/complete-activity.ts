import middy from '@middy/core';
import { db } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import { logger } from '../shared/observability.js';
import { observe } from '../shared/observe.js';
import { parseInput, retryableErrors } from '../shared/workflow/middleware.js';
import { completeActivityEnvSchema } from './env.js';
import { completeActivity } from './findings-steps.js';
import { completeActivityInputSchema, type ActivityStepInput } from './findings-steps-schemas.js';

const env = parseEnv(completeActivityEnvSchema);

/** State `CompleteActivity`: stores the report data, status COMPLETED; → `{activityId}`. */
export const handler = middy<ActivityStepInput, { activityId: string }>()
  .use(observe())
  .use(retryableErrors())
  .use(parseInput(completeActivityInputSchema))
  .handler(async (event) => {
    logger.appendKeys({ activityId: event.activityId });
    return completeActivity({ db, tableName: env.TABLE_NAME, logger }, event.activityId);
  });
