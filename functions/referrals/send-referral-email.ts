import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { deadlineConfig } from '../shared/domain/deadlines.js';
import { parseEnv } from '../shared/env.js';
import { metrics } from '../shared/observability.js';
import { signedLinkDeps } from '../shared/workflow/link-deps.js';
import { emailStepDeps } from '../shared/workflow/step-deps.js';
import { workflowStep } from '../shared/workflow/step.js';
import { sendReferralEmail } from './states/send-email.js';
import { sendReferralEmailEnvSchema } from './env.js';
import { referralStepInputSchema } from './schemas.js';

const env = parseEnv(sendReferralEmailEnvSchema);
const deps = { ...emailStepDeps(env), ...signedLinkDeps(env), config: deadlineConfig(env) };

/** State `SendReferralEmail`: `{referralId}` → `{referralId, secondsUntilCheckpoint}`. */
export const handler = workflowStep(referralStepInputSchema, async (event) => {
  const result = await sendReferralEmail(deps, event.referralId);
  metrics.addMetric('ReferralEmailsSent', MetricUnit.Count, 1);
  return result;
});
