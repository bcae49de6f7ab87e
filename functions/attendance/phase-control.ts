import { sfn } from '../shared/clients.js';
import { NotFoundError } from '../shared/errors.js';
import { isOrganiserOf } from '../shared/http/auth.js';
import { httpRoute, httpRoutes, jsonResponse } from '../shared/http/index.js';
import { logger } from '../shared/observability.js';
import { endHumanStep, type HumanPhase } from '../shared/workflow/phase-control.js';
import { phaseControlEnvSchema } from './env.js';
import { activityPathSchema } from './schemas.js';
import { tableDeps } from '../shared/table-deps.js';

const deps = tableDeps(phaseControlEnvSchema, () => ({ sfn }));

/** The route that ends the human step `phase` early. */
const endPhase = (phase: HumanPhase) =>
  httpRoute(
    {
      roles: ['organiser'],
      path: activityPathSchema,
      logKeys: () => ({ phase }),
    },
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
 * Organiser routes that end a human step early: `POST /activities/{id}/check-in/open` (ends
 * START: check-in opens now) and `POST /activities/{id}/attendance/close` (ends ATTENDANCE) →
 * `202 {activityId, phase, endedAt}`; the workflow's next step then makes the change. Wrong
 * phase: 409 naming the current one; deadline already passed: 409 "already closed".
 */
export const handler = httpRoutes({
  'POST /activities/{activityId}/check-in/open': endPhase('START'),
  'POST /activities/{activityId}/attendance/close': endPhase('ATTENDANCE'),
});
