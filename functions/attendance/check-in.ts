import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { getSigningKey } from '../shared/secrets.js';
import { httpRoute, jsonResponse } from '../shared/http/index.js';
import { metrics } from '../shared/observability.js';
import { tableDeps } from '../shared/table-deps.js';
import { checkIn } from './domain.js';
import { checkInEnvSchema } from './env.js';
import { checkInRoute } from './routes.js';

const deps = tableDeps(checkInEnvSchema, (env) => ({
  checkInCodeKey: () => getSigningKey(env.CHECK_IN_CODE_SECRET_ARN),
}));

/** A deputy checks in, exactly once, while check-in is open: `201 {checkIn}`. */
export const handler = httpRoute(checkInRoute, async ({ body, path, caller }) => {
  const result = await checkIn(deps, path.activityId, caller, body);
  metrics.addMetric('CheckIns', MetricUnit.Count, 1);
  return jsonResponse(201, { checkIn: result });
});
