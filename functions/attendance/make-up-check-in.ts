import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { httpRoute, jsonResponse } from '../shared/http/index.js';
import { metrics } from '../shared/observability.js';
import { makeUpCheckIn } from './domain.js';
import { attendanceEnvSchema } from './env.js';
import { makeUpCheckInBodySchema } from './schemas.js';
import { organiserOnActivity } from '../shared/http/path-schemas.js';
import { tableDeps } from '../shared/table-deps.js';

const deps = tableDeps(attendanceEnvSchema);

/**
 * `POST /activities/{activityId}/check-ins/make-up` (role organiser): `{deputyId, reason}` →
 * `201 {checkIn}`; while check-in is open, and after attendance closed until findings close.
 */
export const handler = httpRoute(
  {
    ...organiserOnActivity,
    body: makeUpCheckInBodySchema,
    maxBodyBytes: 8 * 1024,
  },
  async ({ body, path, caller }) => {
    const result = await makeUpCheckIn(deps, path.activityId, caller, body);
    metrics.addMetric('MakeUpCheckIns', MetricUnit.Count, 1);
    return jsonResponse(201, { checkIn: result });
  },
);
