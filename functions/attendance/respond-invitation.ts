import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { db } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import { httpRoute, jsonResponse } from '../shared/http/index.js';
import { logger, metrics } from '../shared/observability.js';
import { respondToInvitation } from './domain.js';
import { attendanceEnvSchema } from './env.js';
import { activityPathSchema, invitationResponseBodySchema } from './schemas.js';

const env = parseEnv(attendanceEnvSchema);
const deps = { db, tableName: env.TABLE_NAME, logger };

/**
 * `POST /activities/{activityId}/invitation/response` (role deputy, the invited deputy only):
 * `{response: ACCEPTED|DECLINED, note?}` → `200 {invitation}`; changeable until check-in opens.
 */
export const handler = httpRoute(
  {
    roles: ['deputy'],
    body: invitationResponseBodySchema,
    path: activityPathSchema,
    maxBodyBytes: 8 * 1024,
    logKeys: ({ path }) => ({ activityId: path.activityId }),
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
