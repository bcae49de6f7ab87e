import { db } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import { httpRoute, type Caller, type HttpResult } from '../shared/http/index.js';
import { logger } from '../shared/observability.js';
import { getSigningKey } from '../shared/secrets.js';
import { findResidentFindings } from './domain.js';
import { residentFindingsEnvSchema } from './env.js';
import { personQueryBodySchema, type PersonQueryBody } from './schemas.js';

const env = parseEnv(residentFindingsEnvSchema);

export const residentQueryDeps = {
  db,
  tableName: env.TABLE_NAME,
  logger,
  residentLookupKey: () => getSigningKey(env.RESIDENT_LOOKUP_SECRET_ARN),
};

/**
 * A resident's request about their data (organiser, in scope): `{name?, contact?, reason}` finds
 * the findings that carry the person, by their lookup digests; the read is logged with the
 * reason given and `purpose`. The route decides what it answers from them.
 */
export const residentQueryRoute = (
  purpose: string,
  answer: (
    found: Awaited<ReturnType<typeof findResidentFindings>>,
    request: { body: PersonQueryBody; caller: Caller },
  ) => Promise<HttpResult>,
) =>
  httpRoute(
    {
      roles: ['organiser'],
      body: personQueryBodySchema,
      maxBodyBytes: 8 * 1024,
      personalData: { purpose, reasonOf: ({ body }) => body.reason },
    },
    async ({ body, caller }) =>
      answer(await findResidentFindings(residentQueryDeps, caller, body), { body, caller }),
  );
