import middy from '@middy/core';
import type { z } from 'zod/mini';
import { db } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import { logger } from '../shared/observability.js';
import { observe } from '../shared/observe.js';
import { parseInput, retryableErrors } from '../shared/workflow/middleware.js';
import { openCheckIn, type OpenCheckInResult } from './domain.js';
import { openCheckInEnvSchema } from './env.js';
import { openCheckInInputSchema } from './schemas.js';

const env = parseEnv(openCheckInEnvSchema);

/** State `OpenCheckIn`: `{activityId}` → `{activityId, secondsUntilAttendanceDeadline}`. */
export const handler = middy<z.output<typeof openCheckInInputSchema>, OpenCheckInResult>()
  .use(observe())
  .use(retryableErrors())
  .use(parseInput(openCheckInInputSchema))
  .handler(async (event) => {
    logger.appendKeys({ activityId: event.activityId });
    return openCheckIn({ db, tableName: env.TABLE_NAME, logger }, event.activityId);
  });
