import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { sfn } from '../shared/clients.js';
import { httpRoute, jsonResponse } from '../shared/http/index.js';
import { logger, metrics } from '../shared/observability.js';
import { approveReview } from './domain.js';
import { approveReviewEnvSchema } from './env.js';
import { organiserOnActivity } from '../shared/http/path-schemas.js';
import { tableDeps } from '../shared/table-deps.js';

const deps = tableDeps(approveReviewEnvSchema, () => ({ sfn }));

/**
 * `POST /activities/{activityId}/review/approve` (organiser): 409 while a finding needing
 * referral is undecided or a referral lacks a committee or due date; else approves the
 * referrals and ends the REVIEW step (the workflow dispatches them).
 */
export const handler = httpRoute(organiserOnActivity, async ({ path, caller }) => {
  const result = await approveReview(deps, path.activityId, caller);
  metrics.addMetric('ReferralsApproved', MetricUnit.Count, result.approvedReferrals);
  logger.info('Review approved', { approvedReferrals: result.approvedReferrals });
  return jsonResponse(200, result);
});
