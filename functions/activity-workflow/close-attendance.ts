import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { closeAttendance } from './attendance-steps.js';
import { db } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import { logger, metrics } from '../shared/observability.js';
import { workflowStep } from '../shared/workflow/step.js';
import { closeAttendanceEnvSchema } from './env.js';
import { closeAttendanceInputSchema } from './schemas.js';

const env = parseEnv(closeAttendanceEnvSchema);

/**
 * State `CloseAttendance`: `{activityId}` → `{activityId, secondsUntilFindingsDeadline}`.
 * Closes attendance (FINDINGS_OPEN), seals the check-in records and stores the attendance
 * statistics; idempotent on retry and redrive.
 */
export const handler = workflowStep(closeAttendanceInputSchema, async (input) => {
  const result = await closeAttendance({ db, tableName: env.TABLE_NAME, logger }, input.activityId);
  metrics.addMetric('AttendanceClosed', MetricUnit.Count, 1);
  // Ids and numbers only: this is the state's output, kept in the execution history.
  return result;
});
