import { sfn } from '../shared/clients.js';
import { NotFoundError } from '../shared/errors.js';
import { isOrganiserOf } from '../shared/http/auth.js';
import { httpRoute, httpRoutes, jsonResponse } from '../shared/http/index.js';
import { logger } from '../shared/observability.js';
import { endHumanStep, type HumanPhase } from '../shared/workflow/phase-control.js';
import { phaseControlEnvSchema } from './env.js';
import { closeAttendanceRoute, openCheckInEarlyRoute } from './routes.js';
import { tableDeps } from '../shared/table-deps.js';

const deps = tableDeps(phaseControlEnvSchema, () => ({ sfn }));

/** The route that ends the human step `phase` early. */
const endPhase = (
  contract: typeof openCheckInEarlyRoute | typeof closeAttendanceRoute,
  phase: HumanPhase,
) =>
  httpRoute(
    { ...contract, logKeys: () => ({ phase }) },
    async ({ path: { activityId }, caller }) => {
      const ended = await endHumanStep(deps, {
        activityId,
        phase,
        actor: caller.sub,
        authorize: (activity) => {
          if (!isOrganiserOf(caller, activity)) {
            throw new NotFoundError(`Activity ${activityId} not found`);
          }
        },
      });
      logger.info('Human step ended by an organiser');
      return jsonResponse(202, ended);
    },
  );

/**
 * Organiser routes that end a human step early: opening check-in now ends START, closing
 * attendance ends ATTENDANCE → `202 {activityId, phase, endedAt}`; the workflow's next step then
 * makes the change. Wrong phase: 409 naming the current one; deadline passed: 409 "already closed".
 */
export const handler = httpRoutes([
  endPhase(openCheckInEarlyRoute, 'START'),
  endPhase(closeAttendanceRoute, 'ATTENDANCE'),
]);
