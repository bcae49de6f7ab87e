import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import type { z } from 'zod/mini';
import { closeAttendance, type CloseAttendanceResult } from '../attendance/workflow.js';
import { db } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import { logger, metrics } from '../shared/observability.js';
import { observe } from '../shared/observe.js';
import { parseInput, retryableErrors } from '../shared/workflow/middleware.js';
import { closeAttendanceEnvSchema } from './env.js';
import { closeAttendanceInputSchema } from './schemas.js';

const env = parseEnv(closeAttendanceEnvSchema);

/**
 * State `CloseAttendance`: `{activityId}` → `{activityId, secondsUntilFindingsDeadline}`.
 * Closes attendance (FINDINGS_OPEN), seals the check-in records and stores the attendance
 * statistics; idempotent on retry and redrive.
 */
export const handler = middy<z.output<typeof closeAttendanceInputSchema>, CloseAttendanceResult>()
  .use(observe())
  .use(retryableErrors())
  .use(parseInput(closeAttendanceInputSchema))
  .handler(async (event) => {
    logger.appendKeys({ activityId: event.activityId });
    const result = await closeAttendance(
      { db, tableName: env.TABLE_NAME, logger },
      event.activityId,
    );
    metrics.addMetric('AttendanceClosed', MetricUnit.Count, 1);
    // Ids and numbers only: this is the state's output, kept in the execution history.
    return result;
  });
