import { httpRoute, jsonResponse } from '../shared/http/index.js';
import { updateReferral } from './domain.js';
import { updateReferralEnvSchema } from './env.js';
import { referralPathSchema, updateReferralBodySchema } from './schemas.js';
import { tableDeps } from '../shared/table-deps.js';

const deps = tableDeps(updateReferralEnvSchema);

/**
 * `POST /activities/{activityId}/review/referrals/{referralId}` (organiser): supervising
 * committee, due date, findings moved into this draft referral.
 */
export const handler = httpRoute(
  {
    roles: ['organiser'],
    body: updateReferralBodySchema,
    path: referralPathSchema,
    maxBodyBytes: 32 * 1024,
    personalData: { purpose: 'review' },
  },
  async ({ body, path, caller }) =>
    jsonResponse(200, await updateReferral(deps, path.activityId, path.referralId, body, caller)),
);
