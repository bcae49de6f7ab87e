import { listRoute } from '../shared/http/list-route.js';
import { listActivitiesEnvSchema } from './env.js';
import { listActivities } from './list.js';
import { listActivitiesRoute } from './routes.js';
import { tableDeps } from '../shared/table-deps.js';

const deps = tableDeps(listActivitiesEnvSchema);

/**
 * Activities by start time, filtered by status, street, type, start period, organiser, and
 * `waiting=true` (each with the human step it waits at, its deadline and the action that ends
 * it) → `200 {items, nextCursor?}`.
 */
export const handler = listRoute(listActivitiesRoute, (caller, filters) =>
  listActivities(deps, caller, filters),
);
