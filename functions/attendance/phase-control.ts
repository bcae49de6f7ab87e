import middy from '@middy/core';
import type { z } from 'zod/mini';
import { isOrganiserOf } from '../activities/view.js';
import { db, sfn } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import { NotFoundError } from '../shared/errors.js';
import {
  getCaller,
  httpErrorHandler,
  jsonResponse,
  requireRole,
  validateRequest,
  type HttpResult,
  type ValidatedHttpEvent,
} from '../shared/http/index.js';
import { logger } from '../shared/observability.js';
import { observe } from '../shared/observe.js';
import { endHumanStep, type HumanPhase } from '../shared/workflow/phase-control.js';
import { phaseControlEnvSchema } from './env.js';
import { activityPathSchema } from './schemas.js';

const env = parseEnv(phaseControlEnvSchema);
const deps = { db, sfn, tableName: env.TABLE_NAME, logger };

/** Route keys this function serves → the human step each ends. */
export const PHASE_ROUTES: Record<string, HumanPhase> = {
  'POST /activities/{activityId}/check-in/open': 'START',
  'POST /activities/{activityId}/attendance/close': 'ATTENDANCE',
};

/**
 * Organiser routes that end a human step early: `POST /activities/{id}/check-in/open` (ends
 * START: check-in opens now) and `POST /activities/{id}/attendance/close` (ends ATTENDANCE) →
 * `202 {activityId, phase, endedAt}`; the workflow's next step then makes the change. Wrong
 * phase: 409 naming the current one; deadline already passed: 409 "already closed".
 */
export const handler = middy<
  ValidatedHttpEvent<undefined, z.output<typeof activityPathSchema>>,
  HttpResult
>()
  .use(httpErrorHandler({ logger }))
  .use(observe())
  .use(requireRole('organiser'))
  .use(validateRequest({ pathParameters: activityPathSchema }))
  .handler(async (event) => {
    const phase = PHASE_ROUTES[event.routeKey];
    if (!phase) throw new NotFoundError(`No such route: ${event.routeKey}`);
    const { activityId } = event.pathParameters;
    logger.appendKeys({ activityId, phase });
    const caller = getCaller(event);
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
  });
