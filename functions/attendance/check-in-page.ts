import middy from '@middy/core';
import { db } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import { getSigningKey } from '../shared/secrets.js';
import type { HttpEvent, HttpResult } from '../shared/http/index.js';
import { logger } from '../shared/observability.js';
import { observe } from '../shared/observe.js';
import { CheckInCodeError } from './check-in-code.js';
import { checkInPage } from './domain.js';
import { checkInPageEnvSchema } from './env.js';
import { renderCheckInPage, renderErrorPage, renderRefusalPage } from './page.js';
import { checkInPagePathSchema } from './schemas.js';
import '../shared/zod-locale.js'; // English zod messages: zod/mini loads no locale

const env = parseEnv(checkInPageEnvSchema);
const deps = {
  db,
  tableName: env.TABLE_NAME,
  checkInCodeKey: () => getSigningKey(env.CHECK_IN_CODE_SECRET_ARN),
  logger,
};

/**
 * `GET /check-in/{code}` (public: no JWT; the code names an activity and expires, it is not a
 * credential). Renders the check-in page, or a plain refusal: 400 for an invalid code, 410 for
 * an expired one. Reads only: a GET never changes anything.
 */
export const handler = middy<HttpEvent, HttpResult>()
  .use(observe())
  .handler(async (event) => {
    const path = checkInPagePathSchema.safeParse(event.pathParameters ?? {});
    if (!path.success) return renderRefusalPage('INVALID');
    try {
      return renderCheckInPage(await checkInPage(deps, path.data.code));
    } catch (error) {
      if (error instanceof CheckInCodeError) {
        logger.info('Check-in page refused', { reason: error.reason });
        return renderRefusalPage(error.reason);
      }
      logger.error('Check-in page failed', { error });
      return renderErrorPage();
    }
  });
