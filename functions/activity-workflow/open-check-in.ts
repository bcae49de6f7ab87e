import { db } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import { logger } from '../shared/observability.js';
import { workflowStep } from '../shared/workflow/step.js';
import { openCheckIn } from './domain.js';
import { openCheckInEnvSchema } from './env.js';
import { openCheckInInputSchema } from './schemas.js';

const env = parseEnv(openCheckInEnvSchema);

/** State `OpenCheckIn`: `{activityId}` → `{activityId, secondsUntilAttendanceDeadline}`. */
export const handler = workflowStep(openCheckInInputSchema, (input) =>
  openCheckIn({ db, tableName: env.TABLE_NAME, logger }, input.activityId),
);
