import { db } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import { logger } from '../shared/observability.js';
import { reopenReferral } from './states/reopen.js';
import { reopenReferralEnvSchema } from './env.js';
import { referralStepInputSchema } from './schemas.js';
import { workflowStep } from '../shared/workflow/step.js';

const env = parseEnv(reopenReferralEnvSchema);

/** State `ReopenReferral`: new round and due date → `{referralId}`. */
export const handler = workflowStep(referralStepInputSchema, async (event) =>
  reopenReferral(
    {
      db,
      tableName: env.TABLE_NAME,
      reopenDays: Number(env.REOPEN_DUE_DAYS ?? 30),
      logger,
    },
    event.referralId,
  ),
);
