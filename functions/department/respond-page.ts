import { db, sfn } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import { logger } from '../shared/observability.js';
import { getSigningKey } from '../shared/secrets.js';
import { linkPageEnvSchema } from './env.js';
import { responseRoutes } from './routes.js';
import { pageHandler } from './handler.js';

const env = parseEnv(linkPageEnvSchema);

/**
 * `GET /respond/{token}` shows the referral to its department (reads only);
 * `POST /respond/{token}` receives one action (ACKNOWLEDGE, RETURN, REQUEST_EXTENSION, PROGRESS,
 * REPLY), at most once per round. Public routes: the signed, expiring link is the credential.
 */
export const handler = pageHandler(
  {
    db,
    sfn,
    tableName: env.TABLE_NAME,
    logger,
    signingKey: () => getSigningKey(env.LINK_SIGNING_SECRET_ARN),
  },
  responseRoutes,
);
