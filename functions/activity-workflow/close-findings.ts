import middy from '@middy/core';
import { db } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import { logger } from '../shared/observability.js';
import { observe } from '../shared/observe.js';
import { parseInput, retryableErrors } from '../shared/workflow/middleware.js';
import { closeFindingsEnvSchema } from './env.js';
import { closeFindings } from './findings-steps.js';
import { closeFindingsInputSchema, type ActivityStepInput } from './findings-steps-schemas.js';

const env = parseEnv(closeFindingsEnvSchema);

/** State `CloseFindings`: seals the findings, status TRIAGE; `{activityId}` → `{activityId}`. */
export const handler = middy<ActivityStepInput, { activityId: string }>()
  .use(observe())
  .use(retryableErrors())
  .use(parseInput(closeFindingsInputSchema))
  .handler(async (event) => {
    logger.appendKeys({ activityId: event.activityId });
    return closeFindings({ db, tableName: env.TABLE_NAME, logger }, event.activityId);
  });
