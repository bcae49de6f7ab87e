import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { db } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import { logger, metrics, tracer } from '../shared/observability.js';
import { parseInput, retryableErrors } from '../shared/workflow/middleware.js';
import { completeActivityEnvSchema } from './env.js';
import { completeActivity } from './findings-steps.js';
import { completeActivityInputSchema, type ActivityStepInput } from './findings-steps-schemas.js';

const env = parseEnv(completeActivityEnvSchema);

/** State `CompleteActivity`: stores the report data, status COMPLETED; → `{activityId}`. */
export const handler = middy<ActivityStepInput, { activityId: string }>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(captureLambdaHandler(tracer))
  .use(logMetrics(metrics))
  .use(retryableErrors())
  .use(parseInput(completeActivityInputSchema))
  .handler(async (event) => {
    logger.appendKeys({ activityId: event.activityId });
    return completeActivity({ db, tableName: env.TABLE_NAME, logger }, event.activityId);
  });
