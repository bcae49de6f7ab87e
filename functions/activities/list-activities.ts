import { db } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import { httpRoute, jsonResponse } from '../shared/http/index.js';
import { listActivitiesEnvSchema } from './env.js';
import { listActivities } from './list.js';
import { listActivitiesQuerySchema } from './schemas.js';

const env = parseEnv(listActivitiesEnvSchema);
const deps = { db, tableName: env.TABLE_NAME };

/**
 * `GET /activities` (organiser within their street; auditor read-only) → `200 {items,
 * nextCursor?}`: activities by start time, filtered by status, street, type, start period,
 * organiser, and `waiting=true` (each with the human step it waits at, its deadline and the
 * action that ends it).
 */
export const handler = httpRoute(
  {
    roles: ['organiser', 'auditor'],
    query: listActivitiesQuerySchema,
    streets: ({ query }) => ({ street: query.street }),
    inactiveStreets: true,
  },
  async ({ query, caller }) => jsonResponse(200, await listActivities(deps, caller, query)),
);
