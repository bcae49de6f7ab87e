import { db } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import { logger } from '../shared/observability.js';
import { getSigningKey } from '../shared/secrets.js';
import { deputyPageEnvSchema } from './env.js';
import { deputyPageHandler } from './handler.js';
import { deputyActivityRoutes } from './page-routes.js';

const env = parseEnv(deputyPageEnvSchema);

/**
 * `GET /deputy/{token}` shows a deputy their activity (reads only; sets the check-in cookie);
 * `POST /deputy/{token}` answers the invitation, checks in with the venue code, or records a
 * finding, each once. Public routes: the signed, expiring personal link is the credential.
 */
export const handler = deputyPageHandler(
  {
    db,
    tableName: env.TABLE_NAME,
    logger,
    signingKey: () => getSigningKey(env.LINK_SIGNING_SECRET_ARN),
    checkInCodeKey: () => getSigningKey(env.CHECK_IN_CODE_SECRET_ARN),
    residentLookupKey: () => getSigningKey(env.RESIDENT_LOOKUP_SECRET_ARN),
  },
  deputyActivityRoutes,
);
