import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { httpRoute, jsonResponse } from '../shared/http/index.js';
import { metrics } from '../shared/observability.js';
import { respondToInvitation } from './domain.js';
import { attendanceEnvSchema } from './env.js';
import { respondInvitationRoute } from './routes.js';
import { tableDeps } from '../shared/table-deps.js';

const deps = tableDeps(attendanceEnvSchema);

/** The invited deputy accepts or declines, changeable until check-in opens: `200 {invitation}`. */
export const handler = httpRoute(respondInvitationRoute, async ({ body, path, caller }) => {
  const invitation = await respondToInvitation(deps, path.activityId, caller, body);
  const answer = invitation.response === 'ACCEPTED' ? 'Accepted' : 'Declined';
  metrics.addMetric(`Invitations${answer}`, MetricUnit.Count, 1);
  return jsonResponse(200, { invitation });
});
