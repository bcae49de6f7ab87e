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
import { logPersonalDataRead } from '../shared/http/personal-data.js';
import { logger } from '../shared/observability.js';
import { observe } from '../shared/observe.js';
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
  .use(observe())
  .use(requireRole('organiser'))
  .use(bodyLimit({ maxBytes: 32 * 1024 }))
  .use(validateRequest({ body: updateReferralBodySchema, pathParameters: referralPathSchema }))
  .use(logPersonalDataRead({ logger, purpose: 'review' }))
  .handler(async (event) => {
    const { activityId, referralId } = event.pathParameters;
    logger.appendKeys({ activityId, referralId });
    return jsonResponse(
      200,
      await updateReferral(deps, activityId, referralId, event.body, getCaller(event)),
    );
  });
