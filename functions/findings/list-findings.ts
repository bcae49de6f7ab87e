import { httpRoute, jsonResponse } from '../shared/http/index.js';
import { readFindings } from './domain.js';
import { listFindingsEnvSchema } from './env.js';
import { activityPathSchema } from './schemas.js';
import { tableDeps } from '../shared/table-deps.js';

const deps = tableDeps(listFindingsEnvSchema);

/**
 * `GET /activities/{activityId}/findings`: organisers and auditors see every finding (auditors
 * without residents' details); an invited deputy sees their own.
 */
export const handler = httpRoute(
  {
    roles: ['organiser', 'auditor', 'deputy'],
    path: activityPathSchema,
    personalData: { purpose: 'findings' },
  },
  async ({ path, caller }) => jsonResponse(200, await readFindings(deps, path.activityId, caller)),
);
