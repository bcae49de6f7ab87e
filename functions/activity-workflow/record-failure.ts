import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { db } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import { logger, metrics, tracer } from '../shared/observability.js';
import { parseInput, retryableErrors } from '../shared/workflow/middleware.js';
import { recordFailure } from './domain.js';
import { recordFailureEnvSchema } from './env.js';
import { recordFailureInputSchema, type RecordFailureInput } from './schemas.js';

const env = parseEnv(recordFailureEnvSchema);

/** `Catch` of the activity workflow: `{activityId, error: {Error, Cause}}` → FAILED. */
export const handler = middy<RecordFailureInput, { activityId: string }>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(captureLambdaHandler(tracer))
  .use(logMetrics(metrics))
  .use(retryableErrors())
  .use(parseInput(recordFailureInputSchema))
  .handler(async (event) => {
    logger.appendKeys({ activityId: event.activityId });
    logger.warn('Activity workflow failed', { error: event.error.Error });
    metrics.addMetric('ActivityWorkflowsFailed', MetricUnit.Count, 1);
    return recordFailure({ db, tableName: env.TABLE_NAME, logger }, event);
  });
