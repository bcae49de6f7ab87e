import { httpRoute, jsonResponse } from '../shared/http/index.js';
import { updateReferral } from './domain.js';
import { updateReferralEnvSchema } from './env.js';
import { updateReferralRoute } from './routes.js';
import { tableDeps } from '../shared/table-deps.js';

const deps = tableDeps(updateReferralEnvSchema);

/**
 * Sets a draft referral's supervising committee and due date, and moves findings into it →
 * `200` the review after the change.
 */
export const handler = httpRoute(
  {
    ...updateReferralRoute,
    personalData: { purpose: 'review' },
  },
  async ({ body, path, caller }) =>
    jsonResponse(200, await updateReferral(deps, path.activityId, path.referralId, body, caller)),
);
