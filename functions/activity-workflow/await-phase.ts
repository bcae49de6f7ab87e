import { db } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import { logger } from '../shared/observability.js';
import { workflowStep } from '../shared/workflow/step.js';
import { awaitPhase } from './domain.js';
import { awaitPhaseEnvSchema } from './env.js';
import { awaitPhaseInputSchema } from './schemas.js';

const env = parseEnv(awaitPhaseEnvSchema);

/**
 * `.waitForTaskToken` states: `{activityId, phase, taskToken}` → stores the token on the
 * activity, returns `{}` (the state then waits for SendTaskSuccess or its timeout).
 */
export const handler = workflowStep(awaitPhaseInputSchema, async (input) =>
  // Never log the token: it is a credential for resuming the workflow (the step logs ids only).
  awaitPhase({ db, tableName: env.TABLE_NAME, logger }, input),
);
