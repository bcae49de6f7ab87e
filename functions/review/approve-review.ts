import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { sfn } from '../shared/clients.js';
import { httpRoute, jsonResponse } from '../shared/http/index.js';
import { logger, metrics } from '../shared/observability.js';
import { approveReview } from './domain.js';
import { approveReviewEnvSchema } from './env.js';
import { approveReviewRoute } from './routes.js';
import { tableDeps } from '../shared/table-deps.js';

const deps = tableDeps(approveReviewEnvSchema, () => ({ sfn }));

/**
 * Approves the referrals and ends the REVIEW step (the workflow dispatches them); 409 while a
 * finding needing referral is undecided or a referral lacks a committee or due date.
 */
export const handler = httpRoute(approveReviewRoute, async ({ path, caller }) => {
  const result = await approveReview(deps, path.activityId, caller);
  metrics.addMetric('ReferralsApproved', MetricUnit.Count, result.approvedReferrals);
  logger.info('Review approved', { approvedReferrals: result.approvedReferrals });
  return jsonResponse(200, result);
});
