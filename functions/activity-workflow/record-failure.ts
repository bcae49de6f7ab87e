import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { db, sfn } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import { logger, metrics } from '../shared/observability.js';
import {
  executionFailedEventSchema,
  failureOf,
  isCurrentFailure,
} from '../shared/workflow/execution-failure.js';
import { workflowStep } from '../shared/workflow/step.js';
import { recordFailure } from './domain.js';
import { recordFailureEnvSchema } from './env.js';

const env = parseEnv(recordFailureEnvSchema);

/**
 * Target of the rule on the activity workflow's FAILED and TIMED_OUT events (execution name =
 * activity id) → the activity FAILED, what failed kept. A late or repeated event of a failure
 * that was redriven since changes nothing.
 */
export const handler = workflowStep(executionFailedEventSchema, async (input, context) => {
  const activityId = input.detail.name;
  const error = failureOf(input);
  logger.appendKeys({ activityId });
  if (!(await isCurrentFailure(sfn, input))) {
    logger.info('Failure event of an execution that has moved on; not recorded', {
      redriveCount: input.detail.redriveCount ?? 0,
    });
    return { activityId, recorded: false };
  }
  // The full cause, trace included, stays here; the activity keeps this line's request id.
  logger.warn('Activity workflow failed', {
    error: error.Error,
    cause: error.Cause,
    executionArn: input.detail.executionArn,
  });
  metrics.addMetric('ActivityWorkflowsFailed', MetricUnit.Count, 1);
  await recordFailure(
    { db, tableName: env.TABLE_NAME, logger },
    { activityId, error, requestId: context.awsRequestId },
  );
  return { activityId, recorded: true };
});
