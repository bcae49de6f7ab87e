import { httpRoute, jsonResponse } from '../shared/http/index.js';
import { readReview } from './domain.js';
import { getReviewEnvSchema } from './env.js';
import { getReviewRoute } from './routes.js';
import { tableDeps } from '../shared/table-deps.js';

const deps = tableDeps(getReviewEnvSchema);

/**
 * The findings with their draft referrals, unrouted flags and decisions, and what blocks
 * approval (auditors read without residents' details).
 */
export const handler = httpRoute(
  {
    ...getReviewRoute,
    personalData: { purpose: 'review' },
  },
  async ({ path, caller }) => jsonResponse(200, await readReview(deps, path.activityId, caller)),
);
