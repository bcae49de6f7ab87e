import middy from '@middy/core';
import type { z } from 'zod/mini';
import { db } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import {
  bodyLimit,
  getCaller,
  httpErrorHandler,
  jsonResponse,
  requireRole,
  validateRequest,
  type HttpResult,
  type ValidatedHttpEvent,
} from '../shared/http/index.js';
import { logPersonalDataRead } from '../shared/http/personal-data.js';
import { logger } from '../shared/observability.js';
import { observe } from '../shared/observe.js';
import { decideFindings } from './domain.js';
import { decideFindingsEnvSchema } from './env.js';
import { activityPathSchema, decisionsBodySchema, type DecisionsBody } from './schemas.js';

const env = parseEnv(decideFindingsEnvSchema);

const deps = { db, tableName: env.TABLE_NAME, logger };

/**
 * `POST /activities/{activityId}/review/decisions` (organiser): per finding REFER (to a
 * department), MERGE (into another finding), ANSWER_DIRECTLY or NO_ACTION, each with a reason.
 */
export const handler = middy<
  ValidatedHttpEvent<DecisionsBody, z.output<typeof activityPathSchema>>,
  HttpResult
>()
  .use(httpErrorHandler({ logger }))
  .use(observe())
  .use(requireRole('organiser'))
  .use(bodyLimit({ maxBytes: 128 * 1024 }))
  .use(validateRequest({ body: decisionsBodySchema, pathParameters: activityPathSchema }))
  .use(logPersonalDataRead({ logger, purpose: 'review' }))
  .handler(async (event) => {
    const { activityId } = event.pathParameters;
    logger.appendKeys({ activityId });
    const review = await decideFindings(deps, activityId, event.body.decisions, getCaller(event));
    logger.info('Review decisions recorded', { decisions: event.body.decisions.length });
    return jsonResponse(200, review);
  });
