import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { z } from 'zod/mini';
import { db, ses } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
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

const env = parseEnv(writeReferenceEnvSchema);
const deps = {
  db,
  tableName: env.TABLE_NAME,
  notices: {
    ses,
    senderEmail: env.SENDER_EMAIL,
    configurationSet: env.SES_CONFIGURATION_SET,
    logger,
  },
};

// An `Idempotency-Key` makes a create (or any write) safe to retry: scoped to the caller and the
// route; the same key with another body is refused. Without the header nothing is recorded.
const idempotency = idempotentRoute('WriteReference', env.TABLE_NAME);

type Action<TBody, TPath> = (body: TBody, path: TPath, caller: Caller) => Promise<unknown>;

/** One write route: its own body/path validation, then the domain call; answers `{[name]: …}`. */
const route = <TBody extends z.ZodMiniType | undefined, TPath extends z.ZodMiniType | undefined>(
  schemas: {
    body?: TBody;
    path?: TPath;
    /** The street codes the body names (checked against the district's stored streets). */
    streets?: (
      body: TBody extends z.ZodMiniType ? z.output<TBody> : undefined,
    ) => Record<string, string | undefined>;
  },
  statusCode: 200 | 201,
  name: string,
  metric: string,
  action: Action<
    TBody extends z.ZodMiniType ? z.output<TBody> : undefined,
    TPath extends z.ZodMiniType ? z.output<TPath> : undefined
  >,
) =>
  httpRoute(
    {
      roles: DISTRICT_ORGANISER,
      body: schemas.body,
      path: schemas.path,
      ...(schemas.streets
        ? { streets: ({ body }: { body: unknown }) => schemas.streets!(body as never) }
        : {}),
      maxBodyBytes: 32 * 1024,
      idempotency,
    },
    async ({ body, path, caller }) => {
      const result = await action(body as never, path as never, caller);
      metrics.addMetric(metric, MetricUnit.Count, 1);
      return jsonResponse(statusCode, { [name]: result });
    },
  );

/**
 * Writes of the reference data (organisers of the whole district only: a street-scoped organiser
 * reads reference data but gets 403 on every write): create (`POST`), partial update (`PATCH`) and
 * deactivate (`POST …/deactivate`; nothing is ever deleted) of deputies, departments,
 * committees (督办工委) and routing rules. Each change is one transaction with its audit event.
 */
export const handler = httpRoutes({
  'POST /deputies': route(
    { body: createDeputyBodySchema, streets: (body) => ({ street: body.street }) },
    201,
    'deputy',
    'DeputiesCreated',
    (body, _path, caller) => createDeputy(deps, body, caller),
  ),
  'PATCH /deputies/{deputyId}': route(
    {
      body: updateDeputyBodySchema,
      path: deputyPathSchema,
      streets: (body) => ({ street: body.street ?? undefined }),
    },
    200,
    'deputy',
    'DeputiesUpdated',
    (body, path, caller) => updateDeputy(deps, path.deputyId, body, caller),
  ),
  'POST /deputies/{deputyId}/deactivate': route(
    { path: deputyPathSchema },
    200,
    'deputy',
    'DeputiesDeactivated',
    (_body, path, caller) => deactivateDeputy(deps, path.deputyId, caller),
  ),
  'POST /departments': route(
    { body: createDepartmentBodySchema },
    201,
    'department',
    'DepartmentsCreated',
    (body, _path, caller) => createDepartment(deps, body, caller),
  ),
  'PATCH /departments/{departmentId}': route(
    { body: updateDepartmentBodySchema, path: departmentPathSchema },
    200,
    'department',
    'DepartmentsUpdated',
    (body, path, caller) => updateDepartment(deps, path.departmentId, body, caller),
  ),
  'POST /departments/{departmentId}/deactivate': route(
    { path: departmentPathSchema },
    200,
    'department',
    'DepartmentsDeactivated',
    (_body, path, caller) => deactivateDepartment(deps, path.departmentId, caller),
  ),
  'POST /committees': route(
    { body: createCommitteeBodySchema },
    201,
    'committee',
    'CommitteesCreated',
    (body, _path, caller) => createCommittee(deps, body, caller),
  ),
  'PATCH /committees/{committeeId}': route(
    { body: updateCommitteeBodySchema, path: committeePathSchema },
    200,
    'committee',
    'CommitteesUpdated',
    (body, path, caller) => updateCommittee(deps, path.committeeId, body, caller),
  ),
  'POST /committees/{committeeId}/deactivate': route(
    { path: committeePathSchema },
    200,
    'committee',
    'CommitteesDeactivated',
    (_body, path, caller) => deactivateCommittee(deps, path.committeeId, caller),
  ),
  'POST /routing-rules': route(
    {
      body: createRoutingRuleBodySchema,
      streets: (body) => ({ street: body.street === ANY_STREET ? undefined : body.street }),
    },
    201,
    'routingRule',
    'RoutingRulesCreated',
    (body, _path, caller) => createRoutingRule(deps, body, caller),
  ),
  'PATCH /routing-rules/{ruleId}': route(
    { body: updateRoutingRuleBodySchema, path: routingRulePathSchema },
    200,
    'routingRule',
    'RoutingRulesUpdated',
    (body, path, caller) => updateRoutingRule(deps, path.ruleId, body, caller),
  ),
  'POST /routing-rules/{ruleId}/deactivate': route(
    { path: routingRulePathSchema },
    200,
    'routingRule',
    'RoutingRulesDeactivated',
    (_body, path, caller) => deactivateRoutingRule(deps, path.ruleId, caller),
  ),
  'PUT /jurisdiction': route(
    { body: putJurisdictionBodySchema },
    200,
    'jurisdiction',
    'JurisdictionWritten',
    (body, _path, caller) => putJurisdiction(deps, body, caller),
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
