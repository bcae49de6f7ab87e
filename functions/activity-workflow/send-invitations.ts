import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { db } from '../shared/clients.js';
import { emailDepsFromEnv } from '../shared/email/deps.js';
import { parseEnv } from '../shared/env.js';
import { logger, metrics } from '../shared/observability.js';
import { getSigningKey } from '../shared/secrets.js';
import { workflowStep } from '../shared/workflow/step.js';
import { sendInvitations } from './domain.js';
import { sendInvitationsEnvSchema } from './env.js';
import { sendInvitationsInputSchema } from './schemas.js';

const env = parseEnv(sendInvitationsEnvSchema);

/** State `SendInvitations`: `{activityId}` → `{activityId, secondsUntilStart}`. */
export const handler = workflowStep(sendInvitationsInputSchema, async (input, context) => {
  const { activityId, secondsUntilStart, sentNow, failed } = await sendInvitations(
    {
      db,
      ...emailDepsFromEnv(env),
      tableName: env.TABLE_NAME,
      signingKey: () => getSigningKey(env.LINK_SIGNING_SECRET_ARN),
      publicBaseUrl: env.PUBLIC_BASE_URL ?? '',
      remainingMs: () => context.getRemainingTimeInMillis(),
      logger,
    },
    input.activityId,
  );
  metrics.addMetric('InvitationEmailsSent', MetricUnit.Count, sentNow);
  metrics.addMetric('InvitationEmailsFailed', MetricUnit.Count, failed);
  logger.info('Invitations sent', { sentNow, failed, secondsUntilStart });
  // Ids and numbers only: this is the state's output, kept in the execution history.
  return { activityId, secondsUntilStart };
});
