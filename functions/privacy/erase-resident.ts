import { toFindingView } from '../findings/model.js';
import { httpRoute, jsonResponse } from '../shared/http/index.js';
import { eraseResidentOnRequest } from './domain.js';
import { eraseResidentEnvSchema } from './env.js';
import { erasureBodySchema, findingPathSchema } from './schemas.js';
import { tableDeps } from '../shared/table-deps.js';

const deps = tableDeps(eraseResidentEnvSchema);

/**
 * `POST /activities/{activityId}/findings/{findingId}/resident/erasure` (organiser, in scope):
 * erases the resident's name and contact now, at their request, with the reason in the trail.
 */
export const handler = httpRoute(
  {
    roles: ['organiser'],
    body: erasureBodySchema,
    path: findingPathSchema,
    maxBodyBytes: 8 * 1024,
  },
  async ({ body, path: { activityId, findingId }, caller }) => {
    const finding = await eraseResidentOnRequest(deps, caller, {
      activityId,
      findingId,
      reason: body.reason,
    });
    return jsonResponse(200, { finding: toFindingView(finding, { full: true, sub: caller.sub }) });
  },
);
