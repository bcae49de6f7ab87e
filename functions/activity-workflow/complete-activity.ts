import middy from '@middy/core';
import { db } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import { logger } from '../shared/observability.js';
import { observe } from '../shared/observe.js';
import { parseInput, retryableErrors } from '../shared/workflow/middleware.js';
import { completeActivityEnvSchema } from './env.js';
import { startResidentRetention } from '../privacy/domain.js';
import { parseRetention } from '../privacy/retention.js';
import { completeActivity } from './findings-steps.js';
import { completeActivityInputSchema, type ActivityStepInput } from './findings-steps-schemas.js';

const env = parseEnv(completeActivityEnvSchema);
const retention = parseRetention(env.RESIDENT_RETENTION);

/**
 * State `CompleteActivity`: stores the report data, status COMPLETED, then starts the retention
 * of residents no referral carries; → `{activityId}`.
 */
export const handler = middy<ActivityStepInput, { activityId: string }>()
  .use(observe())
  .use(retryableErrors())
  .use(parseInput(completeActivityInputSchema))
  .handler(async (event) => {
    logger.appendKeys({ activityId: event.activityId });
    const deps = { db, tableName: env.TABLE_NAME, logger };
    const result = await completeActivity(deps, event.activityId);
    // Residents no referral carries: their retention starts now (docs/privacy.md).
    await startResidentRetention({ ...deps, retention }, event.activityId);
    return result;
  });
