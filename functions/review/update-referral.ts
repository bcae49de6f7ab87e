import { db } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import { httpRoute, jsonResponse } from '../shared/http/index.js';
import { logger } from '../shared/observability.js';
import { updateReferral } from './domain.js';
import { updateReferralEnvSchema } from './env.js';
import { referralPathSchema, updateReferralBodySchema } from './schemas.js';

const env = parseEnv(updateReferralEnvSchema);

const deps = { db, tableName: env.TABLE_NAME, logger };

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
    logKeys: ({ path }) => ({ activityId: path.activityId, referralId: path.referralId }),
  },
  async ({ body, path, caller }) =>
    jsonResponse(200, await updateReferral(deps, path.activityId, path.referralId, body, caller)),
);
