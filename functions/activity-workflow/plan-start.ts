import { db } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import { logger } from '../shared/observability.js';
import { workflowStep } from '../shared/workflow/step.js';
import { planStartEnvSchema } from './env.js';
import { startStepInputSchema } from './schemas.js';
import { planStart } from './start-steps.js';

const env = parseEnv(planStartEnvSchema);

/**
 * State `PlanStart`: `{activityId}` → `{activityId, revision, next, secondsToWait,
 * secondsUntilStart}`, from the activity as it is now (after a change, the new times).
 */
export const handler = workflowStep(startStepInputSchema, async (input) => {
  const plan = await planStart(
    { db, tableName: env.TABLE_NAME, logger },
    input.activityId,
    env.REMINDER_LEAD_SECONDS,
  );
  logger.info('Start planned', { ...plan });
  return plan;
});
