import { deadlineConfig } from '../shared/domain/deadlines.js';
import { parseEnv } from '../shared/env.js';
import { emailStepDeps } from '../shared/workflow/step-deps.js';
import { workflowStep } from '../shared/workflow/step.js';
import { checkReferralDeadlines } from './states/check-deadlines.js';
import { checkReferralDeadlinesEnvSchema } from './env.js';
import { referralStepInputSchema } from './schemas.js';

const env = parseEnv(checkReferralDeadlinesEnvSchema);
const deps = {
  ...emailStepDeps(env),
  organiserEmails: (env.ORGANISER_EMAILS ?? '')
    .split(',')
    .map((address) => address.trim())
    .filter(Boolean),
  config: deadlineConfig(env),
  recheckSeconds: Number(env.OVERDUE_RECHECK_DAYS ?? 7) * 86_400,
};

/** State `CheckDeadlines`: reminder or escalation → `{referralId, secondsUntilCheckpoint}`. */
export const handler = workflowStep(referralStepInputSchema, async (event) =>
  checkReferralDeadlines(deps, event.referralId),
);
