import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { parseEnv } from '../shared/env.js';
import { metrics } from '../shared/observability.js';
import { emailStepDeps } from '../shared/workflow/step-deps.js';
import { workflowStep } from '../shared/workflow/step.js';
import { activityNoticesEnvSchema } from './env.js';
import { startStepInputSchema } from './schemas.js';
import { sendReminders } from './start-steps.js';

const deps = emailStepDeps(parseEnv(activityNoticesEnvSchema));

/** State `SendReminders`: `{activityId}` → `{activityId, sent, failed}`. */
export const handler = workflowStep(startStepInputSchema, async (input) => {
  const result = await sendReminders(deps, input.activityId);
  metrics.addMetric('ReminderEmailsSent', MetricUnit.Count, result.sent);
  return result;
});
