import { db } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import { logger } from '../shared/observability.js';
import { getSigningKey } from '../shared/secrets.js';
import { deputyPageEnvSchema } from './env.js';
import { deputyPageHandler } from './handler.js';
import { deputyActivityRoutes } from './page-routes.js';

const env = parseEnv(deputyPageEnvSchema);

/**
 * Shows a deputy their activity (a GET reads only; it sets the check-in cookie), and answers the
 * invitation, checks in with the venue code, or records a finding, each once.
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
