import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import type { z } from 'zod/mini';
import { db } from '../shared/clients.js';
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
import { logger, metrics } from '../shared/observability.js';
import { observe } from '../shared/observe.js';
import { makeUpCheckIn } from './domain.js';
import { attendanceEnvSchema } from './env.js';
import { activityPathSchema, makeUpCheckInBodySchema, type MakeUpCheckInBody } from './schemas.js';

const env = parseEnv(attendanceEnvSchema);
const deps = { db, tableName: env.TABLE_NAME, logger };

/**
 * `POST /activities/{activityId}/check-ins/make-up` (role organiser): `{deputyId, reason}` →
 * `201 {checkIn}`; while check-in is open, and after attendance closed until findings close.
 */
export const handler = middy<
  ValidatedHttpEvent<MakeUpCheckInBody, z.output<typeof activityPathSchema>>,
  HttpResult
>()
  .use(httpErrorHandler({ logger }))
  .use(observe())
  .use(requireRole('organiser'))
  .use(bodyLimit({ maxBytes: 8 * 1024 }))
  .use(validateRequest({ body: makeUpCheckInBodySchema, pathParameters: activityPathSchema }))
  .handler(async (event) => {
    const { activityId } = event.pathParameters;
    logger.appendKeys({ activityId });
    const result = await makeUpCheckIn(deps, activityId, getCaller(event), event.body);
    metrics.addMetric('MakeUpCheckIns', MetricUnit.Count, 1);
    return jsonResponse(201, { checkIn: result });
  });
