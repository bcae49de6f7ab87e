import { httpRoute, jsonResponse } from '../shared/http/index.js';
import { meActivitiesEnvSchema } from './env.js';
import type { meActivitiesAnswerSchema } from './schemas.js';
import type { z } from 'zod/mini';
import { deputyActivityLists, type DeputyActivityEntry } from './home.js';
import { tableDeps } from '../shared/table-deps.js';
import { meActivitiesRoute } from './routes.js';

const deps = tableDeps(meActivitiesEnvSchema);

/** An entry as the API shows it: the personal page's link stays out (it is emailed, not served). */
const view = ({ pageLink: _pageLink, ...entry }: DeputyActivityEntry) => entry;

/**
 * The signed-in deputy's `{pending, upcoming, past}` — the lists of the home page: invitations to
 * answer, upcoming and running activities, past ones with the duty record (attended, check-in,
 * findings raised).
 */
export const handler = httpRoute(meActivitiesRoute, async ({ caller }) => {
  const lists = await deputyActivityLists(deps, caller.deputyId);
  return jsonResponse(200, {
    pending: lists.pending.map(view),
    upcoming: lists.upcoming.map(view),
    past: lists.past.map(view),
  } satisfies z.output<typeof meActivitiesAnswerSchema>);
});
