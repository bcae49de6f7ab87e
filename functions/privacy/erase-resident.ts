import middy from '@middy/core';
import type { z } from 'zod/mini';
import { toFindingView } from '../findings/model.js';
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
import { logger } from '../shared/observability.js';
import { observe } from '../shared/observe.js';
import { eraseResidentOnRequest } from './domain.js';
import { eraseResidentEnvSchema } from './env.js';
import { erasureBodySchema, findingPathSchema, type ErasureBody } from './schemas.js';

const env = parseEnv(eraseResidentEnvSchema);

const deps = { db, tableName: env.TABLE_NAME, logger };

/**
 * `POST /activities/{activityId}/findings/{findingId}/resident/erasure` (organiser, in scope):
 * erases the resident's name and contact now, at their request, with the reason in the trail.
 */
export const handler = middy<
  ValidatedHttpEvent<ErasureBody, z.output<typeof findingPathSchema>>,
  HttpResult
>()
  .use(httpErrorHandler({ logger }))
  .use(observe())
  .use(requireRole('organiser'))
  .use(bodyLimit({ maxBytes: 8 * 1024 }))
  .use(validateRequest({ body: erasureBodySchema, pathParameters: findingPathSchema }))
  .handler(async (event) => {
    const { activityId, findingId } = event.pathParameters;
    logger.appendKeys({ activityId, findingId });
    const caller = getCaller(event);
    const finding = await eraseResidentOnRequest(deps, caller, {
      activityId,
      findingId,
      reason: event.body.reason,
    });
    return jsonResponse(200, { finding: toFindingView(finding, { full: true, sub: caller.sub }) });
  });
