import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { z } from 'zod/mini';
import { emailDepsFromEnv } from '../shared/email/deps.js';
import type { DISTRICT_ORGANISER, RouteKey } from '../shared/http/contract.js';
import { httpRoute, httpRoutes, jsonResponse, type Caller } from '../shared/http/index.js';
import { idempotentRoute } from '../shared/http/idempotent.js';
import { ANY_STREET } from '../shared/domain/routing.js';
import { logger, metrics } from '../shared/observability.js';
import { tableDeps } from '../shared/table-deps.js';
import {
  createCommittee,
  createDepartment,
  createDeputy,
  createRoutingRule,
  deactivateCommittee,
  deactivateDepartment,
  deactivateDeputy,
  deactivateRoutingRule,
  putJurisdiction,
  putLiaisonStation,
  updateCommittee,
  updateDepartment,
  updateDeputy,
  updateRoutingRule,
} from './domain.js';
import { writeReferenceEnvSchema } from './env.js';
import * as routes from './routes.js';

const deps = tableDeps(writeReferenceEnvSchema, (env) => ({
  notices: { ...emailDepsFromEnv(env), logger },
}));

// An `Idempotency-Key` makes a create (or any write) safe to retry: scoped to the caller and the
// route; the same key with another body is refused. Without the header nothing is recorded.
const idempotency = idempotentRoute('WriteReference', deps.tableName);

/** A write's contract (./routes.ts): organisers of the whole district, a bounded body. */
interface WriteContract {
  route: RouteKey;
  roles: typeof DISTRICT_ORGANISER;
  maxBodyBytes: number;
}

/** One kind of reference data: its write routes' contracts (./routes.ts) and its three writes. */
interface ReferenceEntity<
  TCreate extends z.ZodMiniType,
  TUpdate extends z.ZodMiniType,
  TId extends string,
  TPath extends z.ZodMiniType<Record<TId, unknown>>,
> {
  /** The answer's key (`{deputy: …}`). */
  name: string;
  /** The metrics' prefix (`DeputiesCreated`, `…Updated`, `…Deactivated`). */
  metric: string;
  /** The path parameter that names one (`deputyId`). */
  idParam: TId;
  contracts: {
    create: WriteContract & { body: TCreate };
    update: WriteContract & { body: TUpdate; path: TPath };
    deactivate: WriteContract & { path: TPath };
  };
  create: (d: typeof deps, body: z.output<TCreate>, caller: Caller) => Promise<unknown>;
  update: (
    d: typeof deps,
    id: z.output<TPath>[TId],
    body: z.output<TUpdate>,
    caller: Caller,
  ) => Promise<unknown>;
  deactivate: (d: typeof deps, id: z.output<TPath>[TId], caller: Caller) => Promise<unknown>;
  /** The street codes a create or update body names, checked against the district's streets. */
  createStreets?: (body: z.output<TCreate>) => Record<string, string | undefined>;
  updateStreets?: (body: z.output<TUpdate>) => Record<string, string | undefined>;
}

/** The `streets` check of a route whose body names streets (`named`), else nothing. */
const streetsIn = <TBody>(named?: (body: TBody) => Record<string, string | undefined>) =>
  named ? { streets: ({ body }: { body: unknown }) => named(body as TBody) } : {};

/**
 * The routes of one entity: create (201), partial update and deactivate, each answering
 * `{[name]: …}`.
 */
const writesOf = <
  TCreate extends z.ZodMiniType,
  TUpdate extends z.ZodMiniType,
  TId extends string,
  TPath extends z.ZodMiniType<Record<TId, unknown>>,
>(
  entity: ReferenceEntity<TCreate, TUpdate, TId, TPath>,
) => {
  const idOf = (path: unknown) => (path as z.output<TPath>)[entity.idParam];
  const answer = (statusCode: 200 | 201, written: string, result: unknown) => {
    metrics.addMetric(`${entity.metric}${written}`, MetricUnit.Count, 1);
    return jsonResponse(statusCode, { [entity.name]: result });
  };
  return [
    httpRoute(
      { ...entity.contracts.create, idempotency, ...streetsIn(entity.createStreets) },
      async ({ body, caller }) =>
        answer(201, 'Created', await entity.create(deps, body as z.output<TCreate>, caller)),
    ),
    httpRoute(
      { ...entity.contracts.update, idempotency, ...streetsIn(entity.updateStreets) },
      async ({ body, path, caller }) =>
        answer(
          200,
          'Updated',
          await entity.update(deps, idOf(path), body as z.output<TUpdate>, caller),
        ),
    ),
    httpRoute({ ...entity.contracts.deactivate, idempotency }, async ({ path, caller }) =>
      answer(200, 'Deactivated', await entity.deactivate(deps, idOf(path), caller)),
    ),
  ];
};

/**
 * Writes of the reference data: create, partial update and deactivate (nothing is ever deleted)
 * of deputies, departments, committees (督办工委) and routing rules, and the jurisdiction. Each
 * change is one transaction with its audit event.
 */
export const handler = httpRoutes([
  ...writesOf({
    name: 'deputy',
    metric: 'Deputies',
    idParam: 'deputyId',
    contracts: routes.deputyRoutes,
    create: createDeputy,
    update: updateDeputy,
    deactivate: deactivateDeputy,
    createStreets: (body) => ({ street: body.street }),
    updateStreets: (body) => ({ street: body.street ?? undefined }),
  }),
  ...writesOf({
    name: 'department',
    metric: 'Departments',
    idParam: 'departmentId',
    contracts: routes.departmentRoutes,
    create: createDepartment,
    update: updateDepartment,
    deactivate: deactivateDepartment,
  }),
  ...writesOf({
    name: 'committee',
    metric: 'Committees',
    idParam: 'committeeId',
    contracts: routes.committeeRoutes,
    create: createCommittee,
    update: updateCommittee,
    deactivate: deactivateCommittee,
  }),
  ...writesOf({
    name: 'routingRule',
    metric: 'RoutingRules',
    idParam: 'ruleId',
    contracts: routes.routingRuleRoutes,
    create: createRoutingRule,
    update: updateRoutingRule,
    deactivate: deactivateRoutingRule,
    createStreets: (body) => ({ street: body.street === ANY_STREET ? undefined : body.street }),
  }),
  httpRoute({ ...routes.putJurisdictionRoute, idempotency }, async ({ body, caller }) => {
    const jurisdiction = await putJurisdiction(deps, body, caller);
    metrics.addMetric('JurisdictionWritten', MetricUnit.Count, 1);
    return jsonResponse(200, { jurisdiction });
  }),
  // The station's street must be the district's, and within a street organiser's scope.
  httpRoute(
    {
      ...routes.putLiaisonStationRoute,
      streets: ({ path }) => ({ street: path.street }),
      streetOf: ({ path }) => path.street,
      idempotency,
    },
    async ({ body, path, caller }) => {
      const station = await putLiaisonStation(deps, path.street, path.stationId, body, caller);
      metrics.addMetric('LiaisonStationsWritten', MetricUnit.Count, 1);
      return jsonResponse(200, { liaisonStation: station });
    },
  ),
]);
