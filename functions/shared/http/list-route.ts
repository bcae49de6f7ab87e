import type { z } from 'zod/mini';
import type { Caller } from './auth.js';
import { jsonResponse } from './responses.js';
import { httpRoute } from './route.js';

/**
 * A list of the district's items by filters (`GET /activities`, `GET /referrals`): organisers
 * see their street's, auditors read everything. A `street` filter must name one of the
 * district's streets, past ones too (a list reads the past); `list` answers `200` with the page.
 */
export const listRoute = <TQuery extends z.ZodMiniType<{ street?: string | undefined }>>(
  query: TQuery,
  list: (caller: Caller, filters: z.output<TQuery>) => Promise<object>,
) =>
  httpRoute(
    {
      roles: ['organiser', 'auditor'],
      query,
      streets: (request) => ({ street: (request.query as z.output<TQuery>).street }),
      inactiveStreets: true,
    },
    async (request) =>
      jsonResponse(200, await list(request.caller, request.query as z.output<TQuery>)),
  );
