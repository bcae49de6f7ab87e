import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { db } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import { logger, metrics, tracer } from '../shared/observability.js';
import { parseInput, retryableErrors } from '../shared/workflow/middleware.js';
import { closeFindingsEnvSchema } from './env.js';
import { closeFindings } from './findings-steps.js';
import { closeFindingsInputSchema, type ActivityStepInput } from './findings-steps-schemas.js';

const env = parseEnv(closeFindingsEnvSchema);

/** State `CloseFindings`: seals the findings, status TRIAGE; `{activityId}` → `{activityId}`. */
export const handler = middy<ActivityStepInput, { activityId: string }>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(captureLambdaHandler(tracer))
  .use(logMetrics(metrics))
  .use(retryableErrors())
  .use(parseInput(closeFindingsInputSchema))
  .handler(async (event) => {
    logger.appendKeys({ activityId: event.activityId });
    return closeFindings({ db, tableName: env.TABLE_NAME, logger }, event.activityId);
  });
