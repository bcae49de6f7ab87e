import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import type { z } from 'zod/mini';
import { db, dynamoDb, ses } from '../shared/clients.js';
import { keys } from '../shared/data/keys.js';
import { parseEnv } from '../shared/env.js';
import {
  bodyLimit,
  getCaller,
  httpErrorHandler,
  jsonResponse,
  requireDistrictOrganiser,
  validateRequest,
  type Caller,
  type HttpEvent,
  type HttpResult,
  type ValidatedHttpEvent,
} from '../shared/http/index.js';
import { idempotentRequest } from '../shared/http/idempotent.js';
import { logger, metrics } from '../shared/observability.js';
import { observe } from '../shared/observe.js';
import {
  createCommittee,
  createDepartment,
  createDeputy,
  createRoutingRule,
  deactivateCommittee,
  deactivateDepartment,
  deactivateDeputy,
  deactivateRoutingRule,
  updateCommittee,
  updateDepartment,
  updateDeputy,
  updateRoutingRule,
} from './domain.js';
import { writeReferenceEnvSchema } from './env.js';
import { routeByKey } from './router.js';
import {
  committeePathSchema,
  createCommitteeBodySchema,
  createDepartmentBodySchema,
  createDeputyBodySchema,
  createRoutingRuleBodySchema,
  departmentPathSchema,
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

const persistenceStore = new DynamoDBPersistenceLayer({
  tableName: env.TABLE_NAME,
  keyAttr: 'pk',
  sortKeyAttr: 'sk',
  staticPkValue: keys.idempotency('WriteReference'),
  expiryAttr: 'expiresAt',
  awsSdkV3Client: dynamoDb,
});

// An `Idempotency-Key` makes a create (or any write) safe to retry: scoped to the caller and the
// route; the same key with another body is refused. Without the header nothing is recorded.
const idempotencyConfig = new IdempotencyConfig({
  eventKeyJmesPath:
    'headers."idempotency-key" && join(\':\', [requestContext.authorizer.jwt.claims.sub, ' +
    'routeKey, rawPath, headers."idempotency-key"])',
  payloadValidationJmesPath: 'body',
  expiresAfterSeconds: 24 * 60 * 60,
  throwOnNoIdempotencyKey: false,
});

type Action<TBody, TPath> = (body: TBody, path: TPath, caller: Caller) => Promise<unknown>;

/** One write route: its own body/path validation, then the domain call; answers `{[name]: …}`. */
const route = <TBody extends z.ZodMiniType | undefined, TPath extends z.ZodMiniType | undefined>(
  schemas: { body?: TBody; pathParameters?: TPath },
  statusCode: 200 | 201,
  name: string,
  metric: string,
  action: Action<
    TBody extends z.ZodMiniType ? z.output<TBody> : undefined,
    TPath extends z.ZodMiniType ? z.output<TPath> : undefined
  >,
) =>
  middy<
    ValidatedHttpEvent<
      TBody extends z.ZodMiniType ? z.output<TBody> : undefined,
      TPath extends z.ZodMiniType ? z.output<TPath> : undefined
    >,
    HttpResult
  >()
    .use(validateRequest(schemas))
    .handler(async (event) => {
      const result = await action(event.body, event.pathParameters, getCaller(event));
      metrics.addMetric(metric, MetricUnit.Count, 1);
      return jsonResponse(statusCode, { [name]: result });
    });

/**
 * Writes of the reference data (organisers of the whole district only: a street-scoped organiser
 * reads reference data but gets 403 on every write): create (`POST`), partial update (`PATCH`) and
 * deactivate (`POST …/deactivate`; nothing is ever deleted) of deputies, departments,
 * committees (督办工委) and routing rules. Each change is one transaction with its audit event.
 */
export const handler = middy<HttpEvent, HttpResult>()
  .use(httpErrorHandler({ logger }))
  .use(observe())
  .use(requireDistrictOrganiser())
  .use(bodyLimit({ maxBytes: 32 * 1024 }))
  .use(idempotentRequest({ persistenceStore, config: idempotencyConfig }))
  .handler(
    routeByKey({
      'POST /deputies': route(
        { body: createDeputyBodySchema },
        201,
        'deputy',
        'DeputiesCreated',
        (body, _path, caller) => createDeputy(deps, body, caller),
      ),
      'PATCH /deputies/{deputyId}': route(
        { body: updateDeputyBodySchema, pathParameters: deputyPathSchema },
        200,
        'deputy',
        'DeputiesUpdated',
        (body, path, caller) => updateDeputy(deps, path.deputyId, body, caller),
      ),
      'POST /deputies/{deputyId}/deactivate': route(
        { pathParameters: deputyPathSchema },
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
        { body: updateDepartmentBodySchema, pathParameters: departmentPathSchema },
        200,
        'department',
        'DepartmentsUpdated',
        (body, path, caller) => updateDepartment(deps, path.departmentId, body, caller),
      ),
      'POST /departments/{departmentId}/deactivate': route(
        { pathParameters: departmentPathSchema },
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
        { body: updateCommitteeBodySchema, pathParameters: committeePathSchema },
        200,
        'committee',
        'CommitteesUpdated',
        (body, path, caller) => updateCommittee(deps, path.committeeId, body, caller),
      ),
      'POST /committees/{committeeId}/deactivate': route(
        { pathParameters: committeePathSchema },
        200,
        'committee',
        'CommitteesDeactivated',
        (_body, path, caller) => deactivateCommittee(deps, path.committeeId, caller),
      ),
      'POST /routing-rules': route(
        { body: createRoutingRuleBodySchema },
        201,
        'routingRule',
        'RoutingRulesCreated',
        (body, _path, caller) => createRoutingRule(deps, body, caller),
      ),
      'PATCH /routing-rules/{ruleId}': route(
        { body: updateRoutingRuleBodySchema, pathParameters: routingRulePathSchema },
        200,
        'routingRule',
        'RoutingRulesUpdated',
        (body, path, caller) => updateRoutingRule(deps, path.ruleId, body, caller),
      ),
      'POST /routing-rules/{ruleId}/deactivate': route(
        { pathParameters: routingRulePathSchema },
        200,
        'routingRule',
        'RoutingRulesDeactivated',
        (_body, path, caller) => deactivateRoutingRule(deps, path.ruleId, caller),
      ),
    }),
  );
