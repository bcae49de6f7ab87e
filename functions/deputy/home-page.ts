import { jurisdictionOf, letterheadOf } from '../shared/data/jurisdiction.js';
import middy from '@middy/core';
import * as z from 'zod/mini';
import { formFields, FormError } from '../department/form.js';
import { pageOfError } from '../department/handler.js';
import { renderErrorPage, renderInvalidFormPage } from '../department/pages.js';
import { db } from '../shared/clients.js';
import { getDeputies } from '../shared/data/deputies.js';
import { ValidationError } from '../shared/errors.js';
import { emailDepsFromEnv } from '../shared/email/deps.js';
import { parseEnv } from '../shared/env.js';
import type { HttpEvent, HttpResult } from '../shared/http/types.js';
import { logger } from '../shared/observability.js';
import { observe } from '../shared/observe.js';
import { getSigningKey } from '../shared/secrets.js';
import { deputyHomeEnvSchema } from './env.js';
import { homePageRoute, homeRequestRoute } from './routes.js';
import { handleDeputyPage } from './handler.js';
import {
  deputyActivityLists,
  requestHomeLink,
  withPageHrefs,
  type HomeRequestDeps,
} from './home.js';
import { renderHomePage, renderHomeRequestedPage, renderHomeRequestPage } from './render.js';
import '../shared/zod-locale.js'; // English zod messages: zod/mini loads no locale

const env = parseEnv(deputyHomeEnvSchema);
const deps: HomeRequestDeps = {
  db,
  ...emailDepsFromEnv(env),
  tableName: env.TABLE_NAME,
  logger,
  signingKey: () => getSigningKey(env.LINK_SIGNING_SECRET_ARN),
  publicBaseUrl: env.PUBLIC_BASE_URL ?? '',
  perHour: env.HOME_LINKS_PER_HOUR,
};

/**
 * "My activities": the form where a deputy asks for a home link, the request (always the same
 * answer), and the home page a home link opens (its token in the path).
 */
export const handler = middy<HttpEvent, HttpResult>()
  .use(observe())
  .handler(async (event) => {
    const method = event.requestContext?.http?.method?.toUpperCase() ?? 'GET';
    if (event.pathParameters?.token !== undefined) {
      return handleDeputyPage(
        deps,
        {
          purpose: 'DEPUTY_HOME',
          get: {
            contract: homePageRoute,
            answer: async (_deps, link) => {
              const [lists, deputies] = await Promise.all([
                deputyActivityLists(deps, link.deputyId),
                getDeputies(deps, [link.deputyId], ['name']),
              ]);
              return renderHomePage(
                deputies.get(link.deputyId)?.name ?? '',
                withPageHrefs(lists, await deps.signingKey()),
              );
            },
          },
        },
        event,
      );
    }
    if (method === 'GET' || method === 'HEAD') {
      // The form signs with the letterhead: no district yet answers the not-set-up page.
      try {
        return renderHomeRequestPage(letterheadOf(await jurisdictionOf(deps)));
      } catch (error) {
        return pageOfError(error, method);
      }
    }
    if (method !== 'POST') return renderErrorPage(405);
    try {
      const fields = formFields(event, homeRequestRoute.maxBodyBytes);
      const parsed = z.safeParse(homeRequestRoute.body, fields);
      if (!parsed.success) return renderInvalidFormPage('email: must be an email address');
      const outcome = await requestHomeLink(deps, parsed.data.email);
      // The outcome stays in the logs (no address there); the page says the same every time.
      logger.info('Home link requested', { outcome });
      return renderHomeRequestedPage();
    } catch (error) {
      // A form that breaks a rule, or holds ill-formed Unicode: 422 (this says nothing of who
      // is a deputy: it answers the same for every address).
      if (error instanceof FormError || error instanceof ValidationError) {
        return renderInvalidFormPage(
          error.message,
          error instanceof FormError ? error.statusCode : 422,
        );
      }
      // Even a failure to send answers the same: the page must not tell deputies apart.
      logger.error('Home link request failed', { error });
      return renderHomeRequestedPage();
    }
  });
