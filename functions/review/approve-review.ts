import middy from '@middy/core';
import type { z } from 'zod/mini';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { db, sfn } from '../shared/clients.js';
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
import { logger, metrics } from '../shared/observability.js';
import { observe } from '../shared/observe.js';
import { approveReview } from './domain.js';
import { approveReviewEnvSchema } from './env.js';
import { activityPathSchema } from './schemas.js';

const env = parseEnv(approveReviewEnvSchema);

const deps = { db, sfn, tableName: env.TABLE_NAME, logger };

/**
 * `POST /activities/{activityId}/review/approve` (organiser): 409 while a finding needing
 * referral is undecided or a referral lacks a committee or due date; else approves the
 * referrals and ends the REVIEW step (the workflow dispatches them).
 */
export const handler = middy<
  ValidatedHttpEvent<undefined, z.output<typeof activityPathSchema>>,
  HttpResult
>()
  .use(httpErrorHandler({ logger }))
  .use(observe())
  .use(requireRole('organiser'))
  .use(validateRequest({ pathParameters: activityPathSchema }))
  .handler(async (event) => {
    const { activityId } = event.pathParameters;
    logger.appendKeys({ activityId });
    const result = await approveReview(deps, activityId, getCaller(event));
    metrics.addMetric('ReferralsApproved', MetricUnit.Count, result.approvedReferrals);
    logger.info('Review approved', { approvedReferrals: result.approvedReferrals });
    return jsonResponse(200, result);
  });
