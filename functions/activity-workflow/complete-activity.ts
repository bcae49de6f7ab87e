import { db } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import { logger } from '../shared/observability.js';
import { workflowStep } from '../shared/workflow/step.js';
import { completeActivityEnvSchema } from './env.js';
import { startResidentRetention } from '../privacy/domain.js';
import { parseRetention } from '../privacy/retention.js';
import { completeActivity } from './findings-steps.js';
import { completeActivityInputSchema } from './findings-steps-schemas.js';

const env = parseEnv(completeActivityEnvSchema);
const retention = parseRetention(env.RESIDENT_RETENTION);

/**
 * State `CompleteActivity`: stores the report data, status COMPLETED, then starts the retention
 * of residents no referral carries; → `{activityId}`.
 */
export const handler = workflowStep(completeActivityInputSchema, async (input) => {
  const deps = { db, tableName: env.TABLE_NAME, logger };
  const result = await completeActivity(deps, input.activityId);
  // Residents no referral carries: their retention starts now (docs/privacy.md).
  await startResidentRetention({ ...deps, retention }, input.activityId);
  return result;
});
