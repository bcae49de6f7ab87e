import { listRoute } from '../shared/http/list-route.js';
import { listReferralsEnvSchema } from './env.js';
import { listReferrals } from './list.js';
import { listReferralsRoute } from './routes.js';
import { tableDeps } from '../shared/table-deps.js';

const deps = tableDeps(listReferralsEnvSchema);

/**
 * `200 {items, nextCursor?}`: the 督办 list by status, overdue, supervising committee,
 * department, activity and due period, open referrals first and overdue first among them, each
 * with what it waits on.
 */
export const handler = listRoute(listReferralsRoute, (caller, filters) =>
  listReferrals(deps, caller, filters),
);
