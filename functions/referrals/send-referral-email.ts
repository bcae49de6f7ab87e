import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { db } from '../shared/clients.js';
import { deadlineConfig } from '../shared/domain/deadlines.js';
import { emailDepsFromEnv } from '../shared/email/deps.js';
import { parseEnv } from '../shared/env.js';
import { logger, metrics } from '../shared/observability.js';
import { getSigningKey } from '../shared/secrets.js';
import { sendReferralEmail } from './states/send-email.js';
import { sendReferralEmailEnvSchema } from './env.js';
import { referralStepInputSchema } from './schemas.js';
import { workflowStep } from '../shared/workflow/step.js';

const env = parseEnv(sendReferralEmailEnvSchema);
const config = deadlineConfig(env);

/** State `SendReferralEmail`: `{referralId}` → `{referralId, secondsUntilCheckpoint}`. */
export const handler = workflowStep(referralStepInputSchema, async (event) => {
  const result = await sendReferralEmail(
    {
      db,
      ...emailDepsFromEnv(env),
      tableName: env.TABLE_NAME,
      signingKey: () => getSigningKey(env.LINK_SIGNING_SECRET_ARN),
      publicBaseUrl: env.PUBLIC_BASE_URL ?? '',
      config,
      logger,
    },
    event.referralId,
  );
  metrics.addMetric('ReferralEmailsSent', MetricUnit.Count, 1);
  return result;
});
