import middy from '@middy/core';
import type { z } from 'zod/mini';
import { db } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import {
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
import { readReview } from './domain.js';
import { getReviewEnvSchema } from './env.js';
import { activityPathSchema } from './schemas.js';

const env = parseEnv(getReviewEnvSchema);

const deps = { db, tableName: env.TABLE_NAME, logger };

/**
 * `GET /activities/{activityId}/review` (organiser; auditors read without residents' details):
 * findings with their draft referrals, unrouted flags and decisions, and what blocks approval.
 */
export const handler = middy<
  ValidatedHttpEvent<undefined, z.output<typeof activityPathSchema>>,
  HttpResult
>()
  .use(httpErrorHandler({ logger }))
  .use(observe())
  .use(requireRole('organiser', 'auditor'))
  .use(validateRequest({ pathParameters: activityPathSchema }))
  .use(logPersonalDataRead({ logger, purpose: 'review' }))
  .handler(async (event) => {
    const { activityId } = event.pathParameters;
    logger.appendKeys({ activityId });
    return jsonResponse(200, await readReview(deps, activityId, getCaller(event)));
  });
