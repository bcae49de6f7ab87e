import type { z } from 'zod/mini';
import type { Caller } from './auth.js';
import type { RouteKey } from './contract.js';
import { jsonResponse } from './responses.js';
import { httpRoute } from './route.js';

type ListQuery = z.ZodMiniType<{ street?: string | undefined }>;

/** The contract of a list route (the area's `routes.ts`): organisers and auditors, a query. */
export interface ListContract<TQuery extends ListQuery> {
  route: RouteKey;
  roles: readonly ('organiser' | 'auditor')[];
  rolesNote?: string;
  query: TQuery;
}

/**
 * A list of the district's items by filters (`GET /activities`, `GET /referrals`): organisers
 * see their street's, auditors read everything. A `street` filter must name one of the
 * district's streets, past ones too (a list reads the past); `list` answers `200` with the page.
 * Given a bare query schema (an area not yet on contracts), organisers and auditors may call it.
 */
export const listRoute = <TQuery extends ListQuery>(
  contract: ListContract<TQuery> | TQuery,
  list: (caller: Caller, filters: z.output<TQuery>) => Promise<object>,
) =>
  httpRoute(
    {
      ...('route' in contract ? contract : { roles: ['organiser', 'auditor'], query: contract }),
      streets: (request) => ({ street: (request.query as z.output<TQuery>).street }),
      inactiveStreets: true,
    },
    async (request) =>
      jsonResponse(200, await list(request.caller, request.query as z.output<TQuery>)),
  );
