import { toFindingView } from '../findings/model.js';
import { httpRoute, jsonResponse } from '../shared/http/index.js';
import { eraseResidentOnRequest } from './domain.js';
import { eraseResidentEnvSchema } from './env.js';
import { eraseResidentRoute } from './routes.js';
import { tableDeps } from '../shared/table-deps.js';

const deps = tableDeps(eraseResidentEnvSchema);

/**
 * Erases the resident's name and contact now, at their request, with the reason in the trail →
 * `200 {finding}`.
 */
export const handler = httpRoute(
  eraseResidentRoute,
  async ({ body, path: { activityId, findingId }, caller }) => {
    const finding = await eraseResidentOnRequest(deps, caller, {
      activityId,
      findingId,
      reason: body.reason,
    });
    return jsonResponse(200, { finding: toFindingView(finding, { full: true, sub: caller.sub }) });
  },
);
