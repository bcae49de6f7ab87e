import middy from '@middy/core';
import type { z } from 'zod/mini';
import { updateCountsBodySchema, type UpdateCountsBody } from '../activities/schemas.js';
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
import { updateCommunityCounts } from './domain.js';
import { attendanceEnvSchema } from './env.js';
import { activityPathSchema } from './schemas.js';

const env = parseEnv(attendanceEnvSchema);
const deps = { db, tableName: env.TABLE_NAME, logger };

/**
 * `PATCH /activities/{activityId}/counts` (role organiser, community visits):
 * `{consultationsAnswered?, residentsReceived?}` → `200 {communityCounts}`.
 */
export const handler = middy<
  ValidatedHttpEvent<UpdateCountsBody, z.output<typeof activityPathSchema>>,
  HttpResult
>()
  .use(httpErrorHandler({ logger }))
  .use(observe())
  .use(requireRole('organiser'))
  .use(bodyLimit({ maxBytes: 4 * 1024 }))
  .use(validateRequest({ body: updateCountsBodySchema, pathParameters: activityPathSchema }))
  .handler(async (event) => {
    const { activityId } = event.pathParameters;
    logger.appendKeys({ activityId });
    const counts = await updateCommunityCounts(deps, activityId, getCaller(event), event.body);
    return jsonResponse(200, {
      communityCounts: {
        consultationsAnswered: counts.consultationsAnswered ?? null,
        residentsReceived: counts.residentsReceived ?? null,
        peopleServed: counts.peopleServed ?? null,
        recordedAt: counts.recordedAt,
      },
    });
  });
