import { db, sfn } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import { logger } from '../shared/observability.js';
import { getSigningKey } from '../shared/secrets.js';
import { linkPageEnvSchema } from './env.js';
import type { z } from 'zod/mini';
import { pageHandler, type DepartmentPageRoutes } from './handler.js';

/** A public link page's Lambda handler (response, rating): its deps from its environment. */
export const linkPageHandler = <TForm extends z.ZodMiniType>(
  routes: DepartmentPageRoutes<TForm>,
) => {
  const env = parseEnv(linkPageEnvSchema);
  return pageHandler(
    {
      db,
      sfn,
      tableName: env.TABLE_NAME,
      logger,
      signingKey: () => getSigningKey(env.LINK_SIGNING_SECRET_ARN),
    },
    routes,
  );
};
