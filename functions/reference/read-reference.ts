import type { z } from 'zod/mini';
import { httpRoute, httpRoutes, jsonResponse, type Caller } from '../shared/http/index.js';
import {
  listCommittees,
  listDepartments,
  listDeputies,
  listRoutingRulePage,
  readCommittee,
  readDepartment,
  readDeputy,
  readJurisdiction,
  readRoutingRule,
} from './domain.js';
import { readReferenceEnvSchema } from './env.js';
import {
  committeePathSchema,
  departmentPathSchema,
  deputyPathSchema,
  listDeputiesQuerySchema,
  listQuerySchema,
  routingRulePathSchema,
} from './schemas.js';
import { tableDeps } from '../shared/table-deps.js';

const deps = tableDeps(readReferenceEnvSchema);

const readers = ['organiser', 'auditor'] as const;

/** A list route: `?limit=1..100&cursor=&active=true|false` (and the route's filters) → `{items, nextCursor?}`. */
const list = <TQuery extends z.ZodMiniType = typeof listQuerySchema>(
  read: (query: z.output<TQuery>, caller: Caller) => Promise<unknown>,
  querySchema: TQuery = listQuerySchema as unknown as TQuery,
) =>
  httpRoute(
    {
      roles: readers,
      query: querySchema,
      queryIssuePrefix: ['query'],
      // The invitee picker's street filter names one of the district's streets.
      streets: ({ query }) => ({
        'query.street': (query as { street?: string } | undefined)?.street,
      }),
      inactiveStreets: true,
    },
    async ({ query, caller }) => jsonResponse(200, await read(query as z.output<TQuery>, caller)),
  );

/** One item by id → `{[name]: item}`. */
const one = <TPath extends z.ZodMiniType>(
  path: TPath,
  read: (path: z.output<TPath>, caller: Caller) => Promise<unknown>,
  name: string,
) =>
  httpRoute({ roles: readers, path }, async ({ path: ids, caller }) =>
    jsonResponse(200, { [name]: await read(ids as z.output<TPath>, caller) }),
  );

/**
 * Reads of the reference data (roles organiser and auditor; a street organiser sees deputies'
 * contact details only for its own street, and every cursor is bound to the reader's scope): `GET /deputies`, `/departments`,
 * `/committees`, `/routing-rules` (`?limit=1..100&cursor=&active=true|false`, answer
 * `{items, nextCursor?}`) and each item by id. GETs never change anything.
 */
export const handler = httpRoutes({
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
  // Every signed-in user reads the district it serves (its streets and liaison stations).
  'GET /jurisdiction': httpRoute({ roles: ['organiser', 'auditor', 'deputy'] }, async () =>
    jsonResponse(200, { jurisdiction: await readJurisdiction(deps) }),
  ),
  'GET /routing-rules/{ruleId}': one(
    routingRulePathSchema,
    ({ ruleId }) => readRoutingRule(deps, ruleId),
    'routingRule',
  ),
});
