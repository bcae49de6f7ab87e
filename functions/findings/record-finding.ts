import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import type { z } from 'zod/mini';
import { db, dynamoDb } from '../shared/clients.js';
import { keys } from '../shared/data/keys.js';
import { parseEnv } from '../shared/env.js';
import {
  bodyLimit,
  getCaller,
  httpErrorHandler,
  jsonResponse,
  requireRole,
  validateRequest,
  type HttpResult,
  type ValidatedHttpEvent,
} from '../shared/http/index.js';
import { idempotentRequest } from '../shared/http/idempotent.js';
import { logPersonalDataRead } from '../shared/http/personal-data.js';
import { logger, metrics } from '../shared/observability.js';
import { observe } from '../shared/observe.js';
import { getSigningKey } from '../shared/secrets.js';
import { recordFinding } from './domain.js';
import { recordFindingEnvSchema } from './env.js';
import {
  activityPathSchema,
  idempotencyHeadersSchema,
  recordFindingBodySchema,
  type RecordFindingBody,
} from './schemas.js';

const env = parseEnv(recordFindingEnvSchema);

const persistenceStore = new DynamoDBPersistenceLayer({
  tableName: env.TABLE_NAME,
  keyAttr: 'pk',
  sortKeyAttr: 'sk',
  staticPkValue: keys.idempotency('RecordFinding'),
  expiryAttr: 'expiresAt',
  awsSdkV3Client: dynamoDb,
});

const idempotencyConfig = new IdempotencyConfig({
  // Scoped to the caller and the activity; without the header the request runs as is.
  eventKeyJmesPath:
    'headers."idempotency-key" && ' +
    "join(':', [requestContext.authorizer.jwt.claims.sub, pathParameters.activityId, " +
    'headers."idempotency-key"])',
  payloadValidationJmesPath: 'body',
  expiresAfterSeconds: 24 * 60 * 60,
  throwOnNoIdempotencyKey: false,
});

const deps = {
  db,
  tableName: env.TABLE_NAME,
  logger,
  residentLookupKey: () => getSigningKey(env.RESIDENT_LOOKUP_SECRET_ARN),
};

/**
 * `POST /activities/{activityId}/findings` (a deputy invited to the activity, or an organiser):
 * records a finding while check-in or findings are open. `Idempotency-Key` header honoured.
 */
export const handler = middy<
  ValidatedHttpEvent<RecordFindingBody, z.output<typeof activityPathSchema>>,
  HttpResult
>()
  .use(httpErrorHandler({ logger }))
  .use(observe())
  .use(requireRole('deputy', 'organiser'))
  .use(bodyLimit({ maxBytes: 32 * 1024 }))
  .use(
    validateRequest({
      body: recordFindingBodySchema,
      pathParameters: activityPathSchema,
      headers: idempotencyHeadersSchema,
    }),
  )
  .use(idempotentRequest({ persistenceStore, config: idempotencyConfig }))
  .use(logPersonalDataRead({ logger, purpose: 'recording' }))
  .handler(async (event) => {
    const { activityId } = event.pathParameters;
    logger.appendKeys({ activityId });
    const finding = await recordFinding(deps, activityId, event.body, getCaller(event));
    // Ids and codes only: the description and any resident stay out of the logs.
    logger.info('Finding recorded', { findingId: finding.id, kind: finding.kind });
    metrics.addMetric('FindingsRecorded', MetricUnit.Count, 1);
    return jsonResponse(201, { finding });
  });
