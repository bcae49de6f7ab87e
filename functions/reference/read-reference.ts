import type { z } from 'zod/mini';
import type { Role } from '../shared/domain/reference.js';
import type { RouteKey } from '../shared/http/contract.js';
import { httpRoute, httpRoutes, jsonResponse, type Caller } from '../shared/http/index.js';
import { streetQueryFilter } from '../shared/http/list-route.js';
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
import * as routes from './routes.js';
import { tableDeps } from '../shared/table-deps.js';

const deps = tableDeps(readReferenceEnvSchema);

/** A read's contract (./routes.ts): who may read, and where query issues are named. */
interface ReadContract {
  route: RouteKey;
  roles: readonly Role[];
  queryIssuePrefix?: string[];
}

/** A list route: `?limit=1..100&cursor=&active=true|false` (and the route's filters) → `{items, nextCursor?}`. */
const list = <TQuery extends z.ZodMiniType>(
  contract: ReadContract & { query: TQuery },
  read: (query: z.output<TQuery>, caller: Caller) => Promise<unknown>,
) =>
  // The invitee picker's street filter names one of the district's streets.
  httpRoute({ ...contract, ...streetQueryFilter() }, async ({ query, caller }) =>
    jsonResponse(200, await read(query as z.output<TQuery>, caller)),
  );

/** One item by id → `{[name]: item}`. */
const one = <TPath extends z.ZodMiniType>(
  contract: ReadContract & { path: TPath },
  read: (path: z.output<TPath>, caller: Caller) => Promise<unknown>,
  name: string,
) =>
  httpRoute(contract, async ({ path: ids, caller }) =>
    jsonResponse(200, { [name]: await read(ids as z.output<TPath>, caller) }),
  );

/**
 * Reads of the reference data: deputies, departments, committees and routing rules, each a list
 * (`?limit=1..100&cursor=&active=true|false`, answer `{items, nextCursor?}`) and each item by id,
 * and the jurisdiction. A street organiser sees deputies' contact details only for its own
 * street, and every cursor is bound to the reader's scope. GETs never change anything.
 */
export const handler = httpRoutes([
  list(routes.deputyRoutes.list, (query, caller) => listDeputies(deps, query, caller)),
  one(
    routes.deputyRoutes.get,
    ({ deputyId }, caller) => readDeputy(deps, deputyId, caller),
    'deputy',
  ),
  list(routes.departmentRoutes.list, (query, caller) => listDepartments(deps, query, caller)),
  one(
    routes.departmentRoutes.get,
    ({ departmentId }) => readDepartment(deps, departmentId),
    'department',
  ),
  list(routes.committeeRoutes.list, (query, caller) => listCommittees(deps, query, caller)),
  one(
    routes.committeeRoutes.get,
    ({ committeeId }) => readCommittee(deps, committeeId),
    'committee',
  ),
  list(routes.routingRuleRoutes.list, (query, caller) => listRoutingRulePage(deps, query, caller)),
  httpRoute(routes.getJurisdictionRoute, async () =>
    jsonResponse(200, { jurisdiction: await readJurisdiction(deps) }),
  ),
  one(routes.routingRuleRoutes.get, ({ ruleId }) => readRoutingRule(deps, ruleId), 'routingRule'),
]);
