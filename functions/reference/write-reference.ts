import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { z } from 'zod/mini';
import { emailDepsFromEnv } from '../shared/email/deps.js';
import {
  DISTRICT_ORGANISER,
  httpRoute,
  httpRoutes,
  jsonResponse,
  type Caller,
} from '../shared/http/index.js';
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
import {
  committeePathSchema,
  createCommitteeBodySchema,
  createDepartmentBodySchema,
  createDeputyBodySchema,
  createRoutingRuleBodySchema,
  departmentPathSchema,
  liaisonStationPathSchema,
  putJurisdictionBodySchema,
  putLiaisonStationBodySchema,
  deputyPathSchema,
  routingRulePathSchema,
  updateCommitteeBodySchema,
  updateDepartmentBodySchema,
  updateDeputyBodySchema,
  updateRoutingRuleBodySchema,
} from './schemas.js';

const deps = tableDeps(writeReferenceEnvSchema, (env) => ({
  notices: { ...emailDepsFromEnv(env), logger },
}));

// An `Idempotency-Key` makes a create (or any write) safe to retry: scoped to the caller and the
// route; the same key with another body is refused. Without the header nothing is recorded.
const idempotency = idempotentRoute('WriteReference', deps.tableName);

const WRITE = { roles: DISTRICT_ORGANISER, maxBodyBytes: 32 * 1024, idempotency } as const;

/** One kind of reference data: where it lives, its schemas and its three writes. */
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
  collection: string;
  /** The path parameter that names one (`deputyId`), with its schema. */
  idParam: TId;
  path: TPath;
  createBody: TCreate;
  updateBody: TUpdate;
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

/**
 * The routes of one entity: create (`POST`, 201), partial update (`PATCH`) and deactivate
 * (`POST …/deactivate`), each validated by its schemas and answering `{[name]: …}`.
 */
const writesOf = <
  TCreate extends z.ZodMiniType,
  TUpdate extends z.ZodMiniType,
  TId extends string,
  TPath extends z.ZodMiniType<Record<TId, unknown>>,
>(
  entity: ReferenceEntity<TCreate, TUpdate, TId, TPath>,
) => {
  const one = `${entity.collection}/{${entity.idParam}}`;
  const idOf = (path: unknown) => (path as z.output<TPath>)[entity.idParam];
  const answer = (statusCode: 200 | 201, written: string, result: unknown) => {
    metrics.addMetric(`${entity.metric}${written}`, MetricUnit.Count, 1);
    return jsonResponse(statusCode, { [entity.name]: result });
  };
  return {
    [`POST ${entity.collection}`]: httpRoute(
      {
        ...WRITE,
        body: entity.createBody,
        ...(entity.createStreets
          ? {
              streets: ({ body }: { body: unknown }) =>
                entity.createStreets!(body as z.output<TCreate>),
            }
          : {}),
      },
      async ({ body, caller }) =>
        answer(201, 'Created', await entity.create(deps, body as z.output<TCreate>, caller)),
    ),
    [`PATCH ${one}`]: httpRoute(
      {
        ...WRITE,
        body: entity.updateBody,
        path: entity.path,
        ...(entity.updateStreets
          ? {
              streets: ({ body }: { body: unknown }) =>
                entity.updateStreets!(body as z.output<TUpdate>),
            }
          : {}),
      },
      async ({ body, path, caller }) =>
        answer(
          200,
          'Updated',
          await entity.update(deps, idOf(path), body as z.output<TUpdate>, caller),
        ),
    ),
    [`POST ${one}/deactivate`]: httpRoute(
      { ...WRITE, path: entity.path },
      async ({ path, caller }) =>
        answer(200, 'Deactivated', await entity.deactivate(deps, idOf(path), caller)),
    ),
  };
};

/**
 * Writes of the reference data (organisers of the whole district only: a street-scoped organiser
 * reads reference data but gets 403 on every write): create, partial update and deactivate
 * (nothing is ever deleted) of deputies, departments, committees (督办工委) and routing rules.
 * Each change is one transaction with its audit event.
 */
export const handler = httpRoutes({
  ...writesOf({
    name: 'deputy',
    metric: 'Deputies',
    collection: '/deputies',
    idParam: 'deputyId',
    path: deputyPathSchema,
    createBody: createDeputyBodySchema,
    updateBody: updateDeputyBodySchema,
    create: createDeputy,
    update: updateDeputy,
    deactivate: deactivateDeputy,
    createStreets: (body) => ({ street: body.street }),
    updateStreets: (body) => ({ street: body.street ?? undefined }),
  }),
  ...writesOf({
    name: 'department',
    metric: 'Departments',
    collection: '/departments',
    idParam: 'departmentId',
    path: departmentPathSchema,
    createBody: createDepartmentBodySchema,
    updateBody: updateDepartmentBodySchema,
    create: createDepartment,
    update: updateDepartment,
    deactivate: deactivateDepartment,
  }),
  ...writesOf({
    name: 'committee',
    metric: 'Committees',
    collection: '/committees',
    idParam: 'committeeId',
    path: committeePathSchema,
    createBody: createCommitteeBodySchema,
    updateBody: updateCommitteeBodySchema,
    create: createCommittee,
    update: updateCommittee,
    deactivate: deactivateCommittee,
  }),
  ...writesOf({
    name: 'routingRule',
    metric: 'RoutingRules',
    collection: '/routing-rules',
    idParam: 'ruleId',
    path: routingRulePathSchema,
    createBody: createRoutingRuleBodySchema,
    updateBody: updateRoutingRuleBodySchema,
    create: createRoutingRule,
    update: updateRoutingRule,
    deactivate: deactivateRoutingRule,
    createStreets: (body) => ({ street: body.street === ANY_STREET ? undefined : body.street }),
  }),
  'PUT /jurisdiction': httpRoute(
    { ...WRITE, body: putJurisdictionBodySchema },
    async ({ body, caller }) => {
      const jurisdiction = await putJurisdiction(deps, body, caller);
      metrics.addMetric('JurisdictionWritten', MetricUnit.Count, 1);
      return jsonResponse(200, { jurisdiction });
    },
  ),
  // A street's organisers keep their own street's liaison stations; the district's, every one.
  'PUT /jurisdiction/streets/{street}/liaison-stations/{stationId}': httpRoute(
    {
      roles: ['organiser'],
      body: putLiaisonStationBodySchema,
      path: liaisonStationPathSchema,
      streets: ({ path }) => ({ street: path.street }),
      streetOf: ({ path }) => path.street,
      maxBodyBytes: 32 * 1024,
      idempotency,
    },
    async ({ body, path, caller }) => {
      const station = await putLiaisonStation(deps, path.street, path.stationId, body, caller);
      metrics.addMetric('LiaisonStationsWritten', MetricUnit.Count, 1);
      return jsonResponse(200, { liaisonStation: station });
    },
  ),
});
