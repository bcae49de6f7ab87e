import { httpRoute, jsonResponse } from '../shared/http/index.js';
import { updateCommunityCounts } from './domain.js';
import { attendanceEnvSchema } from './env.js';
import type { z } from 'zod/mini';
import { updateCountsBodySchema, type communityCountsAnswerSchema } from './schemas.js';
import { organiserOnActivity } from '../shared/http/path-schemas.js';
import { tableDeps } from '../shared/table-deps.js';

const deps = tableDeps(attendanceEnvSchema);

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
