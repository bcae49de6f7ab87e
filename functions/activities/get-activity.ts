import { parseEnv } from '../shared/env.js';
import { activityDepsFromEnv } from './deps.js';
import { httpRoute, jsonResponse } from '../shared/http/index.js';
import { readActivity } from './domain.js';
import { getActivityEnvSchema } from './env.js';
import { activityPathSchema } from './schemas.js';

const env = parseEnv(getActivityEnvSchema);

const deps = activityDepsFromEnv(env);

/**
 * `GET /activities/{activityId}`: organisers and auditors; a deputy only for an activity they
 * are invited to (anyone else gets 404). Reads only: mail scanners and prefetchers may GET.
 */
export const handler = httpRoute(
  {
    roles: ['organiser', 'auditor', 'deputy'],
    path: activityPathSchema,
    logKeys: ({ path }) => ({ activityId: path.activityId }),
  },
  async ({ path, caller }) => jsonResponse(200, await readActivity(deps, path.activityId, caller)),
);
