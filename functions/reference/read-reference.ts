import middy from '@middy/core';
import type { z } from 'zod/mini';
import { db } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import {
  getCaller,
  httpErrorHandler,
  jsonResponse,
  requireRole,
  validateRequest,
  type Caller,
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
  listDeputiesQuerySchema,
  listQuerySchema,
  routingRulePathSchema,
} from './schemas.js';

const env = parseEnv(readReferenceEnvSchema);
const deps = { db, tableName: env.TABLE_NAME };

const list = <TQuery extends z.ZodMiniType = typeof listQuerySchema>(
  read: (query: z.output<TQuery>, caller: Caller) => Promise<unknown>,
  querySchema: TQuery = listQuerySchema as unknown as TQuery,
) =>
  middy<HttpEvent, HttpResult>().handler(async (event) =>
    jsonResponse(200, await read(parseQuery(event, querySchema), getCaller(event))),
  );

const one = <TPath extends z.ZodMiniType>(
  pathParameters: TPath,
  read: (path: z.output<TPath>, caller: Caller) => Promise<unknown>,
  name: string,
) =>
  middy<ValidatedHttpEvent<undefined, z.output<TPath>>, HttpResult>()
    .use(validateRequest({ pathParameters }))
    .handler(async (event) =>
      jsonResponse(200, { [name]: await read(event.pathParameters, getCaller(event)) }),
    );

/**
 * Reads of the reference data (roles organiser and auditor; a street organiser sees deputies'
 * contact details only for its own street, and every cursor is bound to the reader's scope): `GET /deputies`, `/departments`,
 * `/committees`, `/routing-rules` (`?limit=1..100&cursor=&active=true|false`, answer
 * `{items, nextCursor?}`) and each item by id. GETs never change anything.
 */
export const handler = middy<HttpEvent, HttpResult>()
  .use(httpErrorHandler({ logger }))
  .use(observe())
  .use(requireRole('organiser', 'auditor'))
  .handler(
    routeByKey({
      'GET /deputies': list(
        (query, caller) => listDeputies(deps, query, caller),
        listDeputiesQuerySchema,
      ),
      'GET /deputies/{deputyId}': one(
        deputyPathSchema,
        ({ deputyId }, caller) => readDeputy(deps, deputyId, caller),
        'deputy',
      ),
      'GET /departments': list((query, caller) => listDepartments(deps, query, caller)),
      'GET /departments/{departmentId}': one(
        departmentPathSchema,
        ({ departmentId }) => readDepartment(deps, departmentId),
        'department',
      ),
      'GET /committees': list((query, caller) => listCommittees(deps, query, caller)),
      'GET /committees/{committeeId}': one(
        committeePathSchema,
        ({ committeeId }) => readCommittee(deps, committeeId),
        'committee',
      ),
      'GET /routing-rules': list((query, caller) => listRoutingRulePage(deps, query, caller)),
      'GET /routing-rules/{ruleId}': one(
        routingRulePathSchema,
        ({ ruleId }) => readRoutingRule(deps, ruleId),
        'routingRule',
      ),
    }),
  );
