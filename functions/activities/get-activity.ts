import { activityDeps } from './deps.js';
import { httpRoute, httpRoutes, jsonResponse } from '../shared/http/index.js';
import { readActivity } from './domain.js';
import { getActivityEnvSchema } from './env.js';
import { listActivityInvitations } from './invitations.js';
import { activityPathSchema } from '../shared/http/path-schemas.js';

const deps = activityDeps(getActivityEnvSchema);

/** The reads of one activity: one function, the same grants (table reads). */
export const handler = httpRoutes({
  /**
   * `GET /activities/{activityId}`: organisers and auditors; a deputy only for an activity they
   * are invited to (anyone else gets 404). Reads only: mail scanners and prefetchers may GET.
   */
  'GET /activities/{activityId}': httpRoute(
    {
      roles: ['organiser', 'auditor', 'deputy'],
      path: activityPathSchema,
    },
    async ({ path, caller }) =>
      jsonResponse(200, await readActivity(deps, path.activityId, caller)),
  ),
  /**
   * `GET /activities/{activityId}/invitations`: organisers in scope and auditors (others 404);
   * each invitation's deputy (name, levels), answer and check-in.
   */
  'GET /activities/{activityId}/invitations': httpRoute(
    {
      roles: ['organiser', 'auditor'],
      path: activityPathSchema,
    },
    async ({ path, caller }) =>
      jsonResponse(200, await listActivityInvitations(deps, path.activityId, caller)),
  ),
});
