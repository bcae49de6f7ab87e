import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { parseEnv } from '../shared/env.js';
import { metrics } from '../shared/observability.js';
import { signedLinkDeps } from '../shared/workflow/link-deps.js';
import { emailStepDeps } from '../shared/workflow/step-deps.js';
import { workflowStep } from '../shared/workflow/step.js';
import { changeNoticesEnvSchema } from './env.js';
import { startStepInputSchema } from './schemas.js';
import { sendChangeNotices } from './start-steps.js';

const env = parseEnv(changeNoticesEnvSchema);
const deps = { ...emailStepDeps(env), deputyPage: signedLinkDeps(env) };

/** State `SendChangeNotices`: `{activityId}` → `{activityId, changes, sent, failed}`. */
export const handler = workflowStep(startStepInputSchema, async (input) => {
  const result = await sendChangeNotices(deps, input.activityId);
  metrics.addMetric('ChangeNoticeEmailsSent', MetricUnit.Count, result.sent);
  return result;
});
