import { db } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import { logger } from '../shared/observability.js';
import { workflowStep } from '../shared/workflow/step.js';
import { closeFindingsEnvSchema } from './env.js';
import { closeFindings } from './findings-steps.js';
import { closeFindingsInputSchema } from './findings-steps-schemas.js';

const env = parseEnv(closeFindingsEnvSchema);

/** State `CloseFindings`: seals the findings, status TRIAGE; `{activityId}` → `{activityId}`. */
export const handler = workflowStep(closeFindingsInputSchema, async (input) =>
  closeFindings({ db, tableName: env.TABLE_NAME, logger }, input.activityId),
);
