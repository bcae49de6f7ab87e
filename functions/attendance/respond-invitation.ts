import { MetricUnit } from '@aws-lambda-powertools/metrics';
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
import { logger, metrics } from '../shared/observability.js';
import { observe } from '../shared/observe.js';
import { respondToInvitation } from './domain.js';
import { attendanceEnvSchema } from './env.js';
import {
  activityPathSchema,
  invitationResponseBodySchema,
  type InvitationResponseBody,
} from './schemas.js';

const env = parseEnv(attendanceEnvSchema);
const deps = { db, tableName: env.TABLE_NAME, logger };

/**
 * `POST /activities/{activityId}/invitation/response` (role deputy, the invited deputy only):
 * `{response: ACCEPTED|DECLINED, note?}` → `200 {invitation}`; changeable until check-in opens.
 */
export const handler = middy<
  ValidatedHttpEvent<InvitationResponseBody, z.output<typeof activityPathSchema>>,
  HttpResult
>()
  .use(httpErrorHandler({ logger }))
  .use(observe())
  .use(requireRole('deputy'))
  .use(bodyLimit({ maxBytes: 8 * 1024 }))
  .use(validateRequest({ body: invitationResponseBodySchema, pathParameters: activityPathSchema }))
  .handler(async (event) => {
    const { activityId } = event.pathParameters;
    logger.appendKeys({ activityId });
    const invitation = await respondToInvitation(deps, activityId, getCaller(event), event.body);
    metrics.addMetric(
      `Invitations${invitation.response === 'ACCEPTED' ? 'Accepted' : 'Declined'}`,
      MetricUnit.Count,
      1,
    );
    return jsonResponse(200, { invitation });
  });
