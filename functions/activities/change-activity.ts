import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { sfn } from '../shared/clients.js';
import { httpRoute, jsonResponse } from '../shared/http/index.js';
import { metrics } from '../shared/observability.js';
import { tableDeps } from '../shared/table-deps.js';
import { changeActivitySchedule } from './change.js';
import { changeActivityEnvSchema } from './env.js';
import { changeActivityRoute } from './routes.js';

const deps = tableDeps(changeActivityEnvSchema, () => ({ sfn }));

/**
 * Changes time, place, details, invitees added or removed, before the start → `200 {activity,
 * changed, added, removed}`. The workflow then tells the invitees (change notice, invitation,
 * withdrawal) and waits for the new times.
 */
export const handler = httpRoute(changeActivityRoute, async ({ body, path, caller }) => {
  const result = await changeActivitySchedule(deps, { activityId: path.activityId, body, caller });
  if (result.changed.length || result.added.length || result.removed.length) {
    metrics.addMetric('ActivitiesChanged', MetricUnit.Count, 1);
  }
  return jsonResponse(200, result);
});
