import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { activityDeps } from './deps.js';
import { httpRoute, jsonResponse } from '../shared/http/index.js';
import { idempotentRoute } from '../shared/http/idempotent.js';
import { logger, metrics } from '../shared/observability.js';
import { createActivity } from './create.js';
import { createActivityEnvSchema } from './env.js';
import { createActivityRoute } from './routes.js';

const deps = activityDeps(createActivityEnvSchema);

/** Schedules an activity and starts its workflow: `201 {activity}`. */
export const handler = httpRoute(
  {
    ...createActivityRoute,
    streets: ({ body }) => ({ street: body.street }),
    // Scope before the idempotency record: a replay must not hand another street's activity back.
    streetOf: ({ body }) => body.street,
    idempotency: idempotentRoute('CreateActivity', deps.tableName),
  },
  async ({ body, caller }) => {
    const activity = await createActivity(deps, body, caller);
    logger.appendKeys({ activityId: activity.id });
    logger.info('Activity scheduled', { invited: activity.counts.invited });
    metrics.addMetric('ActivitiesScheduled', MetricUnit.Count, 1);
    metrics.addMetric('DeputiesInvited', MetricUnit.Count, activity.counts.invited);
    return jsonResponse(201, { activity });
  },
);
