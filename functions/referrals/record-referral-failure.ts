import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { db } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import { logger, metrics } from '../shared/observability.js';
import { recordReferralFailure } from './domain.js';
import { recordReferralFailureEnvSchema } from './env.js';
import { recordReferralFailureInputSchema } from './schemas.js';
import { referralStep } from './step-handler.js';

const env = parseEnv(recordReferralFailureEnvSchema);

/** `Catch` of the referral workflow: `{referralId, error: {Error, Cause}}` → failure recorded. */
export const handler = referralStep(recordReferralFailureInputSchema, async (event) => {
  logger.warn('Referral workflow failed', { error: event.error.Error });
  metrics.addMetric('ReferralWorkflowsFailed', MetricUnit.Count, 1);
  return recordReferralFailure({ db, tableName: env.TABLE_NAME, logger }, event);
});
