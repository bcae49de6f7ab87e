import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import type { z } from 'zod/mini';
import { redriveActivity } from '../activity-workflow/domain.js';
import { db, sfn } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import { NotFoundError } from '../shared/errors.js';
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
import { redriveActivityEnvSchema } from './env.js';
import { isOrganiserOf } from './view.js';
import {
  activityPathSchema,
  redriveActivityBodySchema,
  type RedriveActivityBody,
} from './schemas.js';

const env = parseEnv(redriveActivityEnvSchema);

/**
 * `POST /activities/{activityId}/redrive` {reason} (organiser of its scope): a FAILED activity whose
 * cause was removed runs its failed step again → `202 {activityId, status, redriveCount,
 * redrivenNow}`. Repeating the request while it runs again answers 202 with `redrivenNow:
 * false`; a completed, cancelled or not-failed activity is 409.
 */
export const handler = middy<
  ValidatedHttpEvent<RedriveActivityBody, z.output<typeof activityPathSchema>>,
  HttpResult
>()
  .use(httpErrorHandler({ logger }))
  .use(observe())
  .use(requireRole('organiser'))
  .use(bodyLimit({ maxBytes: 16 * 1024 }))
  .use(validateRequest({ body: redriveActivityBodySchema, pathParameters: activityPathSchema }))
  .handler(async (event) => {
    const { activityId } = event.pathParameters;
    logger.appendKeys({ activityId });
    const caller = getCaller(event);
    const result = await redriveActivity(
      {
        db,
        sfn,
        tableName: env.TABLE_NAME,
        stateMachineArn: env.ACTIVITY_STATE_MACHINE_ARN,
        logger,
      },
      activityId,
      { actor: caller.sub, reason: event.body.reason },
      (activity) => {
        if (!isOrganiserOf(caller, activity)) {
          throw new NotFoundError(`Activity ${activityId} not found`);
        }
      },
    );
    if (result.redrivenNow) metrics.addMetric('ActivityWorkflowsRedriven', MetricUnit.Count, 1);
    return jsonResponse(202, result);
  });
