import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod/mini';
import { db, sfn } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import { logger, metrics } from '../shared/observability.js';
import {
  executionFailedEventSchema,
  failureOf,
  isCurrentFailure,
} from '../shared/workflow/execution-failure.js';
import { recordReferralFailure } from './states/record-failure.js';
import { recordReferralFailureEnvSchema } from './env.js';
import { workflowStep } from '../shared/workflow/step.js';

const env = parseEnv(recordReferralFailureEnvSchema);

const referralFailedEventSchema = z.pipe(
  executionFailedEventSchema,
  z.transform((event) => ({
    ...event,
    referralId: event.detail.name,
  })),
);

/**
 * Target of the rule on the referral workflow's FAILED and TIMED_OUT events (execution name =
 * referral id) → the failure kept on the referral; its status stays. A late or repeated event of
 * a failure that was redriven since changes nothing.
 */
export const handler = workflowStep(referralFailedEventSchema, async (event, context) => {
  const { referralId } = event;
  if (!(await isCurrentFailure(sfn, event))) {
    logger.info('Failure event of an execution that has moved on; not recorded', {
      redriveCount: event.detail.redriveCount ?? 0,
    });
    return { referralId, recorded: false };
  }
  const error = failureOf(event);
  // The full cause, trace included, stays here; the referral keeps this line's request id.
  logger.warn('Referral workflow failed', {
    error: error.Error,
    cause: error.Cause,
    executionArn: event.detail.executionArn,
  });
  metrics.addMetric('ReferralWorkflowsFailed', MetricUnit.Count, 1);
  await recordReferralFailure(
    { db, tableName: env.TABLE_NAME, logger },
    { referralId, error, requestId: context.awsRequestId },
  );
  return { referralId, recorded: true };
});
