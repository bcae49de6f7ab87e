import { listRoute } from '../shared/http/list-route.js';
import { listActivitiesEnvSchema } from './env.js';
import { listActivities } from './list.js';
import { listActivitiesQuerySchema } from './schemas.js';
import { tableDeps } from '../shared/table-deps.js';

const deps = tableDeps(listActivitiesEnvSchema);

/**
 * `GET /activities` (organiser within their street; auditor read-only) → `200 {items,
 * nextCursor?}`: activities by start time, filtered by status, street, type, start period,
 * organiser, and `waiting=true` (each with the human step it waits at, its deadline and the
 * action that ends it).
 */
export const handler = listRoute(listActivitiesQuerySchema, (caller, filters) =>
  listActivities(deps, caller, filters),
);
