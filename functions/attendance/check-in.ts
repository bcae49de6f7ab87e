import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { getSigningKey } from '../shared/secrets.js';
import { httpRoute, jsonResponse } from '../shared/http/index.js';
import { metrics } from '../shared/observability.js';
import { tableDeps } from '../shared/table-deps.js';
import { checkIn } from './domain.js';
import { checkInEnvSchema } from './env.js';
import { deputyOnActivity } from '../shared/http/path-schemas.js';
import { checkInBodySchema } from './schemas.js';

const deps = tableDeps(checkInEnvSchema, (env) => ({
  checkInCodeKey: () => getSigningKey(env.CHECK_IN_CODE_SECRET_ARN),
}));

/**
 * `POST /activities/{activityId}/check-ins` (role deputy, invited deputies only): `{code?}` →
 * `201 {checkIn}`. Only while check-in is open, exactly once.
 */
export const handler = httpRoute(
  {
    ...deputyOnActivity,
    body: checkInBodySchema,
    bodyOptional: true,
    maxBodyBytes: 4 * 1024,
  },
  async ({ body, path, caller }) => {
    const result = await checkIn(deps, path.activityId, caller, body);
    metrics.addMetric('CheckIns', MetricUnit.Count, 1);
    return jsonResponse(201, { checkIn: result });
  },
);
