import { httpRoute, type Caller, type HttpResult } from '../shared/http/index.js';
import { getSigningKey } from '../shared/secrets.js';
import { tableDeps } from '../shared/table-deps.js';
import { findResidentFindings } from './domain.js';
import { residentFindingsEnvSchema } from './env.js';
import type { PersonQueryBody } from './schemas.js';
import type { exportResidentFindingsRoute, searchResidentFindingsRoute } from './routes.js';

export const residentQueryDeps = tableDeps(residentFindingsEnvSchema, (env) => ({
  residentLookupKey: () => getSigningKey(env.RESIDENT_LOOKUP_SECRET_ARN),
}));

/**
 * A resident's request about their data: `{name?, contact?, reason}` finds the findings that
 * carry the person, by their lookup digests; the read is logged with the reason given and
 * `purpose`. The route decides what it answers from them.
 */
export const residentQueryRoute = (
  contract: typeof searchResidentFindingsRoute | typeof exportResidentFindingsRoute,
  purpose: string,
  answer: (
    found: Awaited<ReturnType<typeof findResidentFindings>>,
    request: { body: PersonQueryBody; caller: Caller },
  ) => Promise<HttpResult>,
) =>
  httpRoute(
    {
      ...contract,
      personalData: { purpose, reasonOf: ({ body }) => body.reason },
    },
    async ({ body, caller }) =>
      answer(await findResidentFindings(residentQueryDeps, caller, body), { body, caller }),
  );
