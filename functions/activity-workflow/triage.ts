import { db } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import { logger } from '../shared/observability.js';
import { workflowStep } from '../shared/workflow/step.js';
import { triageEnvSchema } from './env.js';
import { triage } from './findings-steps.js';
import { triageInputSchema } from './findings-steps-schemas.js';

const env = parseEnv(triageEnvSchema);

/** State `Triage`: draft referrals, unrouted flags, status IN_REVIEW; → `{activityId, referrals, unrouted}` (numbers only). */
export const handler = workflowStep(triageInputSchema, async (input) =>
  triage({ db, tableName: env.TABLE_NAME, logger }, input.activityId),
);
