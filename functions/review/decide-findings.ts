import { httpRoute, jsonResponse } from '../shared/http/index.js';
import { logger } from '../shared/observability.js';
import { decideFindings } from './domain.js';
import { decideFindingsEnvSchema } from './env.js';
import { decideFindingsRoute } from './routes.js';
import { tableDeps } from '../shared/table-deps.js';

const deps = tableDeps(decideFindingsEnvSchema);

/**
 * Records per finding REFER (to a department), MERGE (into another finding), ANSWER_DIRECTLY
 * or NO_ACTION, each with a reason → `200` the review after the change.
 */
export const handler = httpRoute(
  {
    ...decideFindingsRoute,
    personalData: { purpose: 'review' },
  },
  async ({ body, path, caller }) => {
    const review = await decideFindings(deps, path.activityId, body.decisions, caller);
    logger.info('Review decisions recorded', { decisions: body.decisions.length });
    return jsonResponse(200, review);
  },
);
