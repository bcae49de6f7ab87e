import { db } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import { httpRoute, jsonResponse } from '../shared/http/index.js';
import { logger } from '../shared/observability.js';
import { updateCommunityCounts } from './domain.js';
import { attendanceEnvSchema } from './env.js';
import type { z } from 'zod/mini';
import { updateCountsBodySchema, type communityCountsAnswerSchema } from './schemas.js';
import { organiserOnActivity } from '../shared/http/path-schemas.js';

const env = parseEnv(attendanceEnvSchema);
const deps = { db, tableName: env.TABLE_NAME, logger };

/**
 * `PATCH /activities/{activityId}/counts` (role organiser, community visits):
 * `{consultationsAnswered?, residentsReceived?}` → `200 {communityCounts}`.
 */
export const handler = httpRoute(
  {
    ...organiserOnActivity,
    body: updateCountsBodySchema,
    maxBodyBytes: 4 * 1024,
  },
  async ({ body, path, caller }) => {
    const counts = await updateCommunityCounts(deps, path.activityId, caller, body);
    return jsonResponse(200, {
      communityCounts: {
        consultationsAnswered: counts.consultationsAnswered ?? null,
        residentsReceived: counts.residentsReceived ?? null,
        peopleServed: counts.peopleServed ?? null,
        recordedAt: counts.recordedAt,
      },
    } satisfies z.output<typeof communityCountsAnswerSchema>);
  },
);
