import { httpRoute, jsonResponse } from '../shared/http/index.js';
import { readReview } from './domain.js';
import { getReviewEnvSchema } from './env.js';
import { activityPathSchema } from './schemas.js';
import { tableDeps } from '../shared/table-deps.js';

const deps = tableDeps(getReviewEnvSchema);

/**
 * `GET /activities/{activityId}/review` (organiser; auditors read without residents' details):
 * findings with their draft referrals, unrouted flags and decisions, and what blocks approval.
 */
export const handler = httpRoute(
  {
    roles: ['organiser', 'auditor'],
    path: activityPathSchema,
    personalData: { purpose: 'review' },
  },
  async ({ path, caller }) => jsonResponse(200, await readReview(deps, path.activityId, caller)),
);
