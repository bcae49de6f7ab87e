import { db } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import { logger } from '../shared/observability.js';
import { workflowStep } from '../shared/workflow/step.js';
import { eraseDueResidents } from './domain.js';
import { eraseDueResidentsEnvSchema } from './env.js';
import { eraseDueResidentsInputSchema } from './schemas.js';

const env = parseEnv(eraseDueResidentsEnvSchema);

const deps = { db, tableName: env.TABLE_NAME, logger };

/**
 * The retention job (EventBridge Scheduler, daily): erases the residents whose `eraseAfter` has
 * come, as of the run's scheduled time (so a retried invocation of one run erases the same set).
 */
export const handler = workflowStep(eraseDueResidentsInputSchema, async (input) =>
  eraseDueResidents(deps, input.scheduledTime ? new Date(input.scheduledTime) : new Date()),
);
