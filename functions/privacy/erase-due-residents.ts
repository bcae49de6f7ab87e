import middy from '@middy/core';
import { db } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import { logger } from '../shared/observability.js';
import { observe } from '../shared/observe.js';
import { parseInput, retryableErrors } from '../shared/workflow/middleware.js';
import { eraseDueResidents } from './domain.js';
import { eraseDueResidentsEnvSchema } from './env.js';
import { eraseDueResidentsInputSchema } from './schemas.js';

const env = parseEnv(eraseDueResidentsEnvSchema);

const deps = { db, tableName: env.TABLE_NAME, logger };

/**
 * The retention job (EventBridge Scheduler, daily): erases the residents whose `eraseAfter` has
 * come, as of the run's scheduled time (so a retried invocation of one run erases the same set).
 */
export const handler = middy<{ scheduledTime?: string }, { erased: number; skipped: number }>()
  .use(observe())
  .use(retryableErrors())
  .use(parseInput(eraseDueResidentsInputSchema))
  .handler(async (event) =>
    eraseDueResidents(deps, event.scheduledTime ? new Date(event.scheduledTime) : new Date()),
  );
