import middy from '@middy/core';
import type { z } from 'zod/mini';
import { db } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import {
  httpErrorHandler,
  jsonResponse,
  requireRole,
  validateRequest,
  type HttpEvent,
  type HttpResult,
  type ValidatedHttpEvent,
} from '../shared/http/index.js';
import { logger } from '../shared/observability.js';
import { observe } from '../shared/observe.js';
import {
  listCommittees,
  listDepartments,
  listDeputies,
  listRoutingRulePage,
  readCommittee,
  readDepartment,
  readDeputy,
  readRoutingRule,
} from './domain.js';
import { readReferenceEnvSchema } from './env.js';
import { parseQuery, routeByKey } from './router.js';
import {
  committeePathSchema,
  departmentPathSchema,
  deputyPathSchema,
  listQuerySchema,
  routingRulePathSchema,
} from './schemas.js';

const env = parseEnv(readReferenceEnvSchema);
const deps = { db, tableName: env.TABLE_NAME };

const list = (read: (query: z.output<typeof listQuerySchema>) => Promise<unknown>) =>
  middy<HttpEvent, HttpResult>().handler(async (event) =>
    jsonResponse(200, await read(parseQuery(event, listQuerySchema))),
  );

const one = <TPath extends z.ZodMiniType>(
  pathParameters: TPath,
  read: (path: z.output<TPath>) => Promise<unknown>,
  name: string,
) =>
  middy<ValidatedHttpEvent<undefined, z.output<TPath>>, HttpResult>()
    .use(validateRequest({ pathParameters }))
    .handler(async (event) => jsonResponse(200, { [name]: await read(event.pathParameters) }));

/**
 * Reads of the reference data (roles organiser and auditor): `GET /deputies`, `/departments`,
 * `/committees`, `/routing-rules` (`?limit=1..100&cursor=&active=true|false`, answer
 * `{items, nextCursor?}`) and each item by id. GETs never change anything.
 */
export const handler = middy<HttpEvent, HttpResult>()
  .use(httpErrorHandler({ logger }))
  .use(observe())
  .use(requireRole('organiser', 'auditor'))
  .handler(
    routeByKey({
      'GET /deputies': list((query) => listDeputies(deps, query)),
      'GET /deputies/{deputyId}': one(
        deputyPathSchema,
        ({ deputyId }) => readDeputy(deps, deputyId),
        'deputy',
      ),
      'GET /departments': list((query) => listDepartments(deps, query)),
      'GET /departments/{departmentId}': one(
        departmentPathSchema,
        ({ departmentId }) => readDepartment(deps, departmentId),
        'department',
      ),
      'GET /committees': list((query) => listCommittees(deps, query)),
      'GET /committees/{committeeId}': one(
        committeePathSchema,
        ({ committeeId }) => readCommittee(deps, committeeId),
        'committee',
      ),
      'GET /routing-rules': list((query) => listRoutingRulePage(deps, query)),
      'GET /routing-rules/{ruleId}': one(
        routingRulePathSchema,
        ({ ruleId }) => readRoutingRule(deps, ruleId),
        'routingRule',
      ),
    }),
  );
