import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { httpRoute, jsonResponse } from '../shared/http/index.js';
import { metrics } from '../shared/observability.js';
import { makeUpCheckIn } from './domain.js';
import { attendanceEnvSchema } from './env.js';
import { makeUpCheckInRoute } from './routes.js';
import { tableDeps } from '../shared/table-deps.js';

const deps = tableDeps(attendanceEnvSchema);

/** An organiser records a deputy's check-in, with a reason: `201 {checkIn}`, method MAKE_UP. */
export const handler = httpRoute(makeUpCheckInRoute, async ({ body, path, caller }) => {
  const result = await makeUpCheckIn(deps, path.activityId, caller, body);
  metrics.addMetric('MakeUpCheckIns', MetricUnit.Count, 1);
  return jsonResponse(201, { checkIn: result });
});
