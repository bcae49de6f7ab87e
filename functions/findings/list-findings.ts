import { httpRoute, jsonResponse } from '../shared/http/index.js';
import { readFindings } from './domain.js';
import { listFindingsEnvSchema } from './env.js';
import { listFindingsRoute } from './routes.js';
import { tableDeps } from '../shared/table-deps.js';

const deps = tableDeps(listFindingsEnvSchema);

/**
 * The findings as the caller may see them: every finding for organisers and auditors (auditors
 * without residents' details), their own for an invited deputy.
 */
export const handler = httpRoute(
  {
    ...listFindingsRoute,
    personalData: { purpose: 'findings' },
  },
  async ({ path, caller }) => jsonResponse(200, await readFindings(deps, path.activityId, caller)),
);
