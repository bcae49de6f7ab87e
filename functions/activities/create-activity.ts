import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import { db, dynamoDb, sfn } from '../shared/clients.js';
import { keys } from '../shared/data/keys.js';
import { parseEnv } from '../shared/env.js';
import {
  bodyLimit,
  getCaller,
  httpErrorHandler,
  jsonResponse,
  requireRole,
  requireScopeOver,
  validateRequest,
  type HttpResult,
  type ValidatedHttpEvent,
} from '../shared/http/index.js';
import { idempotentRequest } from '../shared/http/idempotent.js';
import { logger, metrics } from '../shared/observability.js';
import { observe } from '../shared/observe.js';
import { createActivity } from './domain.js';
import { createActivityEnvSchema } from './env.js';
import {
  createActivityBodySchema,
  idempotencyHeadersSchema,
  type CreateActivityBody,
} from './schemas.js';

const env = parseEnv(createActivityEnvSchema);

// Idempotency records live in the application table, under their own partition.
const persistenceStore = new DynamoDBPersistenceLayer({
  tableName: env.TABLE_NAME,
  keyAttr: 'pk',
  sortKeyAttr: 'sk',
  staticPkValue: keys.idempotency('CreateActivity'),
  expiryAttr: 'expiresAt',
  awsSdkV3Client: dynamoDb,
});

const idempotencyConfig = new IdempotencyConfig({
  // The key is scoped to the caller, so two organisers who happen to pick the same key never
  // see each other's activity; without the header the expression is null and the request
  // simply runs without idempotency.
  eventKeyJmesPath:
    'headers."idempotency-key" && ' +
    'join(\':\', [requestContext.authorizer.jwt.claims.sub, headers."idempotency-key"])',
  // The parsed body (validateRequest ran before): the same key with another body is refused.
  payloadValidationJmesPath: 'body',
  expiresAfterSeconds: 24 * 60 * 60,
  throwOnNoIdempotencyKey: false,
});

const deps = {
  db,
  sfn,
  tableName: env.TABLE_NAME,
  stateMachineArn: env.ACTIVITY_STATE_MACHINE_ARN,
  logger,
};

/** `POST /activities` (role organiser): schedules an activity and starts its workflow. */
export const handler = middy<ValidatedHttpEvent<CreateActivityBody>, HttpResult>()
  .use(httpErrorHandler({ logger }))
  .use(observe())
  .use(requireRole('organiser'))
  .use(bodyLimit())
  .use(validateRequest({ body: createActivityBodySchema, headers: idempotencyHeadersSchema }))
  // Scope before the idempotency record: a replay must not hand another street's activity back.
  .use(requireScopeOver((event) => (event as ValidatedHttpEvent<CreateActivityBody>).body.street))
  // Last before the handler: only authorised, valid requests take an idempotency record.
  .use(idempotentRequest({ persistenceStore, config: idempotencyConfig }))
  .handler(async (event) => {
    const activity = await createActivity(deps, event.body, getCaller(event));
    logger.appendKeys({ activityId: activity.id });
    logger.info('Activity scheduled', { invited: activity.counts.invited });
    metrics.addMetric('ActivitiesScheduled', MetricUnit.Count, 1);
    metrics.addMetric('DeputiesInvited', MetricUnit.Count, activity.counts.invited);
    return jsonResponse(201, { activity });
  });
