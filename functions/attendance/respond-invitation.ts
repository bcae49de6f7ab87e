import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { httpRoute, jsonResponse } from '../shared/http/index.js';
import { metrics } from '../shared/observability.js';
import { respondToInvitation } from './domain.js';
import { attendanceEnvSchema } from './env.js';
import { deputyOnActivity } from '../shared/http/path-schemas.js';
import { invitationResponseBodySchema } from './schemas.js';
import { tableDeps } from '../shared/table-deps.js';

const deps = tableDeps(attendanceEnvSchema);

/**
 * `POST /activities/{activityId}/invitation/response` (role deputy, the invited deputy only):
 * `{response: ACCEPTED|DECLINED, note?}` → `200 {invitation}`; changeable until check-in opens.
 */
export const handler = httpRoute(
  {
    ...deputyOnActivity,
    body: invitationResponseBodySchema,
    maxBodyBytes: 8 * 1024,
  },
  async ({ body, path, caller }) => {
    const invitation = await respondToInvitation(deps, path.activityId, caller, body);
    metrics.addMetric(
      `Invitations${invitation.response === 'ACCEPTED' ? 'Accepted' : 'Declined'}`,
      MetricUnit.Count,
      1,
    );
    return jsonResponse(200, { invitation });
  },
);
