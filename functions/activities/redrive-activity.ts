import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { activityDeps } from './deps.js';
import { NotFoundError } from '../shared/errors.js';
import { isOrganiserOf } from '../shared/http/auth.js';
import { httpRoute, jsonResponse } from '../shared/http/index.js';
import { metrics } from '../shared/observability.js';
import { redriveActivityEnvSchema } from './env.js';
import { redriveActivity } from './redrive.js';
import { redriveActivityBodySchema } from './redrive-schemas.js';
import { organiserOnActivity } from '../shared/http/path-schemas.js';

const deps = activityDeps(redriveActivityEnvSchema);

/**
 * `POST /activities/{activityId}/redrive` {reason} (organiser of its scope): a FAILED activity whose
 * cause was removed runs its failed step again → `202 {activityId, status, redriveCount,
 * redrivenNow}`. Repeating the request while it runs again answers 202 with `redrivenNow:
 * false`; a completed, cancelled or not-failed activity is 409.
 */
export const handler = httpRoute(
  {
    ...organiserOnActivity,
    body: redriveActivityBodySchema,
    maxBodyBytes: 16 * 1024,
  },
  async ({ body, path: { activityId }, caller }) => {
    const result = await redriveActivity(
      deps,
      activityId,
      { actor: caller.sub, reason: body.reason },
      (activity) => {
        if (!isOrganiserOf(caller, activity)) {
          throw new NotFoundError(`Activity ${activityId} not found`);
        }
      },
    );
    if (result.redrivenNow) metrics.addMetric('ActivityWorkflowsRedriven', MetricUnit.Count, 1);
    return jsonResponse(202, result);
  },
);
