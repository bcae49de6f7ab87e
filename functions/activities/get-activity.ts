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
import { readActivity } from './domain.js';
import { getActivityEnvSchema } from './env.js';
import { activityPathSchema } from './schemas.js';

const env = parseEnv(getActivityEnvSchema);

const deps = {
  db,
  sfn,
  tableName: env.TABLE_NAME,
  stateMachineArn: env.ACTIVITY_STATE_MACHINE_ARN,
  logger,
};

/**
 * `GET /activities/{activityId}`: organisers and auditors; a deputy only for an activity they
 * are invited to (anyone else gets 404). Reads only: mail scanners and prefetchers may GET.
 */
export const handler = middy<
  ValidatedHttpEvent<undefined, z.output<typeof activityPathSchema>>,
  HttpResult
>()
  .use(httpErrorHandler({ logger }))
  .use(observe())
  .use(requireRole('organiser', 'auditor', 'deputy'))
  .use(validateRequest({ pathParameters: activityPathSchema }))
  .handler(async (event) => {
    const { activityId } = event.pathParameters;
    logger.appendKeys({ activityId });
    const view = await readActivity(deps, activityId, getCaller(event));
    return jsonResponse(200, view);
  });
