import { db } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import { httpRoute, jsonResponse } from '../shared/http/index.js';
import { logger } from '../shared/observability.js';
import { readFindings } from './domain.js';
import { listFindingsEnvSchema } from './env.js';
import { activityPathSchema } from './schemas.js';

const env = parseEnv(listFindingsEnvSchema);

const deps = { db, tableName: env.TABLE_NAME, logger };

/**
 * `GET /activities/{activityId}/findings`: organisers and auditors see every finding (auditors
 * without residents' details); an invited deputy sees their own.
 */
export const handler = httpRoute(
  {
    roles: ['organiser', 'auditor', 'deputy'],
    path: activityPathSchema,
    personalData: { purpose: 'findings' },
    logKeys: ({ path }) => ({ activityId: path.activityId }),
  },
  async ({ path, caller }) => jsonResponse(200, await readFindings(deps, path.activityId, caller)),
);
