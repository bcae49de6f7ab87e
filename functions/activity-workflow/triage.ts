import middy from '@middy/core';
import { db } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import { logger } from '../shared/observability.js';
import { observe } from '../shared/observe.js';
import { parseInput, retryableErrors } from '../shared/workflow/middleware.js';
import { triageEnvSchema } from './env.js';
import { triage, type TriageResult } from './findings-steps.js';
import { triageInputSchema, type ActivityStepInput } from './findings-steps-schemas.js';

const env = parseEnv(triageEnvSchema);

/** State `Triage`: draft referrals, unrouted flags, status IN_REVIEW; → `{activityId, referrals, unrouted}` (numbers only). */
export const handler = middy<ActivityStepInput, TriageResult>()
  .use(observe())
  .use(retryableErrors())
  .use(parseInput(triageInputSchema))
  .handler(async (event) => {
    logger.appendKeys({ activityId: event.activityId });
    return triage({ db, tableName: env.TABLE_NAME, logger }, event.activityId);
  });
