import middy from '@middy/core';
import type { z } from 'zod/mini';
import { db, sfn } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
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
import { closeFindingsPhase } from './domain.js';
import { closeFindingsPhaseEnvSchema } from './env.js';
import { activityPathSchema } from './schemas.js';

const env = parseEnv(closeFindingsPhaseEnvSchema);

const deps = { db, sfn, tableName: env.TABLE_NAME, logger };

/**
 * `POST /activities/{activityId}/findings/close` (organiser): ends the FINDINGS step; the
 * workflow then seals the findings and triages them. 409 when findings are not open or their
 * deadline already closed them.
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
    const { activityId } = event.pathParameters;
    logger.appendKeys({ activityId });
    const ended = await closeFindingsPhase(deps, activityId, getCaller(event));
    logger.info('Findings closed by the organiser');
    return jsonResponse(200, ended);
  });
