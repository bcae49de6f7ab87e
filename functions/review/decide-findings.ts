import { db } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import { httpRoute, jsonResponse } from '../shared/http/index.js';
import { logger } from '../shared/observability.js';
import { decideFindings } from './domain.js';
import { decideFindingsEnvSchema } from './env.js';
import { decisionsBodySchema } from './schemas.js';
import { organiserOnActivity } from '../shared/http/path-schemas.js';

const env = parseEnv(decideFindingsEnvSchema);

const deps = { db, tableName: env.TABLE_NAME, logger };

/**
 * `POST /activities/{activityId}/review/decisions` (organiser): per finding REFER (to a
 * department), MERGE (into another finding), ANSWER_DIRECTLY or NO_ACTION, each with a reason.
 */
export const handler = httpRoute(
  {
    ...organiserOnActivity,
    body: decisionsBodySchema,
    maxBodyBytes: 128 * 1024,
    personalData: { purpose: 'review' },
  },
  async ({ body, path, caller }) => {
    const review = await decideFindings(deps, path.activityId, body.decisions, caller);
    logger.info('Review decisions recorded', { decisions: body.decisions.length });
    return jsonResponse(200, review);
  },
);
