import { db } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import { httpRoute, jsonResponse } from '../shared/http/index.js';
import { logger } from '../shared/observability.js';
import { readReview } from './domain.js';
import { getReviewEnvSchema } from './env.js';
import { activityPathSchema } from './schemas.js';

const env = parseEnv(getReviewEnvSchema);

const deps = { db, tableName: env.TABLE_NAME, logger };

/**
 * `GET /activities/{activityId}/review` (organiser; auditors read without residents' details):
 * findings with their draft referrals, unrouted flags and decisions, and what blocks approval.
 */
export const handler = httpRoute(
  {
    roles: ['organiser', 'auditor'],
    path: activityPathSchema,
    personalData: { purpose: 'review' },
    logKeys: ({ path }) => ({ activityId: path.activityId }),
  },
  async ({ path, caller }) => jsonResponse(200, await readReview(deps, path.activityId, caller)),
);
