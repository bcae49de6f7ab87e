import { db, sfn } from '../shared/clients.js';
import { logger } from '../shared/observability.js';

/** What the activity routes that reach its workflow need, from their environment. */
export const activityDepsFromEnv = (env: {
  TABLE_NAME: string;
  ACTIVITY_STATE_MACHINE_ARN: string;
}) => ({
  db,
  sfn,
  tableName: env.TABLE_NAME,
  stateMachineArn: env.ACTIVITY_STATE_MACHINE_ARN,
  logger,
});
