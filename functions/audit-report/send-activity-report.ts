import { db } from '../shared/clients.js';
import { emailDepsFromEnv } from '../shared/email/deps.js';
import { parseEnv } from '../shared/env.js';
import { logger } from '../shared/observability.js';
import { workflowStep } from '../shared/workflow/step.js';
import { sendActivityReportEnvSchema } from './env.js';
import { sendActivityReportInputSchema } from './schemas.js';
import { organiserMailboxes, sendActivityReport } from './send.js';

const env = parseEnv(sendActivityReportEnvSchema);
const organiserEmails = organiserMailboxes(env.ORGANISER_EMAILS);

/** State `SendActivityReport`: emails the report to the organisers → numbers only. */
export const handler = workflowStep(sendActivityReportInputSchema, async (input) =>
  sendActivityReport(
    {
      db,
      ...emailDepsFromEnv(env),
      tableName: env.TABLE_NAME,
      organiserEmails,
      logger,
    },
    input.activityId,
  ),
);
