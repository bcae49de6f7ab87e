import { httpRoute, jsonResponse } from '../shared/http/index.js';
import { logger } from '../shared/observability.js';
import { decideFindings } from './domain.js';
import { decideFindingsEnvSchema } from './env.js';
import { decisionsBodySchema } from './schemas.js';
import { organiserOnActivity } from '../shared/http/path-schemas.js';
import { tableDeps } from '../shared/table-deps.js';

const deps = tableDeps(decideFindingsEnvSchema);

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
