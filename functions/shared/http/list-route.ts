import type { z } from 'zod/mini';
import type { Role } from '../domain/reference.js';
import type { Caller } from './auth.js';
import type { RouteKey } from './contract.js';
import { jsonResponse } from './responses.js';
import { httpRoute } from './route.js';

type StreetQuery = z.ZodMiniType<{ street?: string | undefined }>;

/** The contract (./contract.ts) of a list: its route, who may read it and its filters. */
interface ListContract<TQuery extends StreetQuery> {
  route: RouteKey;
  roles: readonly Role[];
  rolesNote?: string;
  query: TQuery;
}

/**
 * A route's `street` query filter (`?street=`): one of the district's streets, past ones too (a
 * filter reads the past), else 422 naming `field`, as the route names its query's fields
 * (`query.street` where its `queryIssuePrefix` is `['query']`). Spread into the route's spec.
 */
export const streetQueryFilter = (field: 'street' | 'query.street' = 'query.street') => ({
  streets: ({ query }: { query: unknown }) => ({
    [field]: (query as { street?: string } | undefined)?.street,
  }),
  inactiveStreets: true,
});

/**
 * A list of the district's items by filters (`GET /activities`, `GET /referrals`): organisers
 * see their street's, auditors read everything. A `street` filter must name one of the
 * district's streets, past ones too (a list reads the past); `list` answers `200` with the page.
 */
export const listRoute = <TQuery extends StreetQuery>(
  contract: ListContract<TQuery>,
  list: (caller: Caller, filters: z.output<TQuery>) => Promise<object>,
) =>
  httpRoute(
    {
      ...contract,
      ...streetQueryFilter('street'),
    },
    async (request) =>
      jsonResponse(200, await list(request.caller, request.query as z.output<TQuery>)),
  );
