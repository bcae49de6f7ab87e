import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { db } from '../shared/clients.js';
import { emailDepsFromEnv } from '../shared/email/deps.js';
import { parseEnv } from '../shared/env.js';
import { logger, metrics } from '../shared/observability.js';
import { workflowStep } from '../shared/workflow/step.js';
import { getSigningKey } from '../shared/secrets.js';
import { changeNoticesEnvSchema } from './env.js';
import { startStepInputSchema } from './schemas.js';
import { sendChangeNotices } from './start-steps.js';

const env = parseEnv(changeNoticesEnvSchema);

/** State `SendChangeNotices`: `{activityId}` → `{activityId, changes, sent, failed}`. */
export const handler = workflowStep(startStepInputSchema, async (input) => {
  const result = await sendChangeNotices(
    {
      db,
      ...emailDepsFromEnv(env),
      tableName: env.TABLE_NAME,
      deputyPage: {
        signingKey: () => getSigningKey(env.LINK_SIGNING_SECRET_ARN),
        publicBaseUrl: env.PUBLIC_BASE_URL ?? '',
      },
      logger,
    },
    input.activityId,
  );
  metrics.addMetric('ChangeNoticeEmailsSent', MetricUnit.Count, result.sent);
  return result;
});
