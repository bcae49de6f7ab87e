import { activityDeps } from './deps.js';
import { httpRoute, httpRoutes, jsonResponse } from '../shared/http/index.js';
import { readActivity } from './domain.js';
import { getActivityEnvSchema } from './env.js';
import { listActivityInvitations } from './invitations.js';
import { getActivityRoute, listActivityInvitationsRoute } from './routes.js';

const deps = activityDeps(getActivityEnvSchema);

/** The reads of one activity: one function, the same grants (table reads). */
export const handler = httpRoutes([
  /**
   * The activity, its phase, counts and workflow state; a deputy not invited to it gets 404.
   * Reads only: mail scanners and prefetchers may GET.
   */
  httpRoute(getActivityRoute, async ({ path, caller }) =>
    jsonResponse(200, await readActivity(deps, path.activityId, caller)),
  ),
  /**
   * Each invitation's deputy (name, levels), answer and check-in; an organiser of another
   * street gets 404.
   */
  httpRoute(listActivityInvitationsRoute, async ({ path, caller }) =>
    jsonResponse(200, await listActivityInvitations(deps, path.activityId, caller)),
  ),
]);
