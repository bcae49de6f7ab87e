import middy from '@middy/core';
import { db } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import {
  getCaller,
  httpErrorHandler,
  jsonResponse,
  requireRole,
  type HttpEvent,
  type HttpResult,
} from '../shared/http/index.js';
import { parseQuery } from '../shared/http/query.js';
import { logger } from '../shared/observability.js';
import { observe } from '../shared/observe.js';
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
export const handler = middy<HttpEvent, HttpResult>()
  .use(httpErrorHandler({ logger }))
  .use(observe())
  .use(requireRole('organiser', 'auditor'))
  .handler(async (event) => {
    const query = parseQuery(event, listActivitiesQuerySchema);
    return jsonResponse(200, await listActivities(deps, getCaller(event), query));
  });
