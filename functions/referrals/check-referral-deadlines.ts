import { db } from '../shared/clients.js';
import { deadlineConfig } from '../shared/domain/deadlines.js';
import { emailDepsFromEnv } from '../shared/email/deps.js';
import { parseEnv } from '../shared/env.js';
import { logger } from '../shared/observability.js';
import { checkReferralDeadlines } from './states/check-deadlines.js';
import { checkReferralDeadlinesEnvSchema } from './env.js';
import { referralStepInputSchema } from './schemas.js';
import { workflowStep } from '../shared/workflow/step.js';

const env = parseEnv(checkReferralDeadlinesEnvSchema);
const config = deadlineConfig(env);
const organiserEmails = (env.ORGANISER_EMAILS ?? '')
  .split(',')
  .map((address) => address.trim())
  .filter(Boolean);

/** State `CheckDeadlines`: reminder or escalation → `{referralId, secondsUntilCheckpoint}`. */
export const handler = workflowStep(referralStepInputSchema, async (event) =>
  checkReferralDeadlines(
    {
      db,
      ...emailDepsFromEnv(env),
      tableName: env.TABLE_NAME,
      organiserEmails,
      config,
      recheckSeconds: Number(env.OVERDUE_RECHECK_DAYS ?? 7) * 86_400,
      logger,
    },
    event.referralId,
  ),
);
