import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy, { type MiddlewareObj } from '@middy/core';
import type { z } from 'zod/mini';
import { db } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import { getSigningKey } from '../shared/secrets.js';
import {
  bodyLimit,
  getCaller,
  httpErrorHandler,
  jsonResponse,
  requireRole,
  validateRequest,
  type HttpEvent,
  type HttpResult,
  type ValidatedHttpEvent,
} from '../shared/http/index.js';
import { logger, metrics } from '../shared/observability.js';
import { observe } from '../shared/observe.js';
import { checkIn } from './domain.js';
import { checkInEnvSchema } from './env.js';
import { activityPathSchema, checkInBodySchema, type CheckInBody } from './schemas.js';

const env = parseEnv(checkInEnvSchema);
const deps = {
  db,
  tableName: env.TABLE_NAME,
  checkInCodeKey: () => getSigningKey(env.CHECK_IN_CODE_SECRET_ARN),
  logger,
};

/** The body is optional (`{code?}`): no body at all means `{}`. */
const emptyBodyIsEmptyObject = (): MiddlewareObj<unknown> => ({
  before: (request) => {
    const event = request.event as HttpEvent;
    if (event.body === undefined || event.body === null || event.body.trim() === '') {
      event.body = '{}';
      event.isBase64Encoded = false;
      event.headers = { ...event.headers, 'content-type': 'application/json' };
    }
  },
});

/**
 * `POST /activities/{activityId}/check-ins` (role deputy, invited deputies only): `{code?}` →
 * `201 {checkIn}`. Only while check-in is open, exactly once.
 */
export const handler = middy<
  ValidatedHttpEvent<CheckInBody, z.output<typeof activityPathSchema>>,
  HttpResult
>()
  .use(httpErrorHandler({ logger }))
  .use(observe())
  .use(requireRole('deputy'))
  .use(bodyLimit({ maxBytes: 4 * 1024 }))
  .use(emptyBodyIsEmptyObject())
  .use(validateRequest({ body: checkInBodySchema, pathParameters: activityPathSchema }))
  .handler(async (event) => {
    const { activityId } = event.pathParameters;
    logger.appendKeys({ activityId });
    const result = await checkIn(deps, activityId, getCaller(event), event.body);
    metrics.addMetric('CheckIns', MetricUnit.Count, 1);
    return jsonResponse(201, { checkIn: result });
  });
