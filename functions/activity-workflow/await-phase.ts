import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { db } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import { logger, metrics, tracer } from '../shared/observability.js';
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
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(captureLambdaHandler(tracer))
  .use(logMetrics(metrics))
  .use(retryableErrors())
  .use(parseInput(awaitPhaseInputSchema))
  .handler(async (event) => {
    // Never log the token: it is a credential for resuming the workflow.
    logger.appendKeys({ activityId: event.activityId, phase: event.phase });
    return awaitPhase({ db, tableName: env.TABLE_NAME, logger }, event);
  });
