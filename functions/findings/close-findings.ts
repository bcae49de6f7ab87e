import { sfn } from '../shared/clients.js';
import { httpRoute, jsonResponse } from '../shared/http/index.js';
import { logger } from '../shared/observability.js';
import { closeFindingsPhase } from './domain.js';
import { closeFindingsPhaseEnvSchema } from './env.js';
import { closeFindingsRoute } from './routes.js';
import { tableDeps } from '../shared/table-deps.js';

const deps = tableDeps(closeFindingsPhaseEnvSchema, () => ({ sfn }));

/**
 * Ends the FINDINGS step; the workflow then seals the findings and triages them. 409 when
 * findings are not open or their deadline already closed them.
 */
export const handler = httpRoute(closeFindingsRoute, async ({ path, caller }) => {
  const ended = await closeFindingsPhase(deps, path.activityId, caller);
  logger.info('Findings closed by the organiser');
  return jsonResponse(200, ended);
});
