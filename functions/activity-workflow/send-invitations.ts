import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { parseEnv } from '../shared/env.js';
import { logger, metrics } from '../shared/observability.js';
import { signedLinkDeps } from '../shared/workflow/link-deps.js';
import { emailStepDeps } from '../shared/workflow/step-deps.js';
import { workflowStep } from '../shared/workflow/step.js';
import { sendInvitations } from './domain.js';
import { sendInvitationsEnvSchema } from './env.js';
import { sendInvitationsInputSchema } from './schemas.js';

const env = parseEnv(sendInvitationsEnvSchema);
const deps = { ...emailStepDeps(env), ...signedLinkDeps(env) };

/** State `SendInvitations`: `{activityId}` → `{activityId, secondsUntilStart}`. */
export const handler = workflowStep(sendInvitationsInputSchema, async (input, context) => {
  const { activityId, secondsUntilStart, sentNow, failed } = await sendInvitations(
    { ...deps, remainingMs: () => context.getRemainingTimeInMillis() },
    input.activityId,
  );
  metrics.addMetric('InvitationEmailsSent', MetricUnit.Count, sentNow);
  metrics.addMetric('InvitationEmailsFailed', MetricUnit.Count, failed);
  logger.info('Invitations sent', { sentNow, failed, secondsUntilStart });
  // Ids and numbers only: this is the state's output, kept in the execution history.
  return { activityId, secondsUntilStart };
});
