import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import type { z } from 'zod/mini';
import { db, sfn } from '../shared/clients.js';
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
import { logger, metrics } from '../shared/observability.js';
import { observe } from '../shared/observe.js';
import { changeActivitySchedule } from './change.js';
import { changeActivityEnvSchema } from './env.js';
import {
  activityPathSchema,
  changeActivityBodySchema,
  type ChangeActivityBody,
} from './schemas.js';

const env = parseEnv(changeActivityEnvSchema);

/**
 * `PATCH /activities/{activityId}` (organiser of its scope): time, place, details, invitees
 * added or removed, before the start → `200 {activity, changed, added, removed}`. The workflow
 * then tells the invitees (change notice, invitation, withdrawal) and waits for the new times.
 */
export const handler = middy<
  ValidatedHttpEvent<ChangeActivityBody, z.output<typeof activityPathSchema>>,
  HttpResult
>()
  .use(httpErrorHandler({ logger }))
  .use(observe())
  .use(requireRole('organiser'))
  .use(bodyLimit({ maxBytes: 32 * 1024 }))
  .use(validateRequest({ body: changeActivityBodySchema, pathParameters: activityPathSchema }))
  .handler(async (event) => {
    const { activityId } = event.pathParameters;
    logger.appendKeys({ activityId });
    const result = await changeActivitySchedule(
      { db, sfn, tableName: env.TABLE_NAME, logger },
      activityId,
      event.body,
      getCaller(event),
    );
    if (result.changed.length || result.added.length || result.removed.length) {
      metrics.addMetric('ActivitiesChanged', MetricUnit.Count, 1);
    }
    return jsonResponse(200, result);
  });
