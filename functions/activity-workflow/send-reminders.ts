import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { db } from '../shared/clients.js';
import { emailDepsFromEnv } from '../shared/email/deps.js';
import { parseEnv } from '../shared/env.js';
import { logger, metrics } from '../shared/observability.js';
import { workflowStep } from '../shared/workflow/step.js';
import { activityNoticesEnvSchema } from './env.js';
import { startStepInputSchema } from './schemas.js';
import { sendReminders } from './start-steps.js';

const env = parseEnv(activityNoticesEnvSchema);

/** State `SendReminders`: `{activityId}` → `{activityId, sent, failed}`. */
export const handler = workflowStep(startStepInputSchema, async (input) => {
  const result = await sendReminders(
    {
      db,
      ...emailDepsFromEnv(env),
      tableName: env.TABLE_NAME,
      logger,
    },
    input.activityId,
  );
  metrics.addMetric('ReminderEmailsSent', MetricUnit.Count, result.sent);
  return result;
});
