import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
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
import { logger, metrics, tracer } from '../shared/observability.js';
import { updateReferral } from './domain.js';
import { updateReferralEnvSchema } from './env.js';
import {
  referralPathSchema,
  updateReferralBodySchema,
  type UpdateReferralBody,
} from './schemas.js';

const env = parseEnv(updateReferralEnvSchema);

const deps = { db, tableName: env.TABLE_NAME, logger };

/**
 * `POST /activities/{activityId}/review/referrals/{referralId}` (organiser): supervising
 * committee, due date, findings moved into this draft referral.
 */
export const handler = middy<
  ValidatedHttpEvent<UpdateReferralBody, z.output<typeof referralPathSchema>>,
  HttpResult
>()
  .use(httpErrorHandler({ logger }))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(captureLambdaHandler(tracer))
  .use(logMetrics(metrics))
  .use(requireRole('organiser'))
  .use(bodyLimit({ maxBytes: 32 * 1024 }))
  .use(validateRequest({ body: updateReferralBodySchema, pathParameters: referralPathSchema }))
  .handler(async (event) => {
    const { activityId, referralId } = event.pathParameters;
    logger.appendKeys({ activityId, referralId });
    return jsonResponse(
      200,
      await updateReferral(deps, activityId, referralId, event.body, getCaller(event)),
    );
  });
