import { db, sfn } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import { logger } from '../shared/observability.js';
import { getSigningKey } from '../shared/secrets.js';
import { linkPageEnvSchema } from './env.js';
import { pageHandler } from './handler.js';
import { ratingRoutes } from './routes.js';

const env = parseEnv(linkPageEnvSchema);

/**
 * `GET /rate/{token}` shows the department's reply to whoever raised the finding (reads only);
 * `POST /rate/{token}` stores their rating once. Public routes: the signed link is the
 * credential.
 */
export const handler = pageHandler(
  {
    db,
    sfn,
    tableName: env.TABLE_NAME,
    logger,
    signingKey: () => getSigningKey(env.LINK_SIGNING_SECRET_ARN),
  },
  ratingRoutes,
);
