import { httpRoute, jsonResponse } from '../shared/http/index.js';
import { updateCommunityCounts } from './domain.js';
import { attendanceEnvSchema } from './env.js';
import type { z } from 'zod/mini';
import type { communityCountsAnswerSchema } from './schemas.js';
import { updateCountsRoute } from './routes.js';
import { tableDeps } from '../shared/table-deps.js';

const deps = tableDeps(attendanceEnvSchema);

/** A community visit's counts, consultations answered and residents received: `200 {communityCounts}`. */
export const handler = httpRoute(updateCountsRoute, async ({ body, path, caller }) => {
  const counts = await updateCommunityCounts(deps, path.activityId, caller, body);
  return jsonResponse(200, {
    communityCounts: {
      consultationsAnswered: counts.consultationsAnswered ?? null,
      residentsReceived: counts.residentsReceived ?? null,
      peopleServed: counts.peopleServed ?? null,
      recordedAt: counts.recordedAt,
    },
  } satisfies z.output<typeof communityCountsAnswerSchema>);
});
