import middy from '@middy/core';
import type { HttpEvent, HttpResult } from '../shared/http/types.js';
import {
  InvalidLinkError,
  verifyLink,
  type LinkPurpose,
  type LinkRecord,
} from '../shared/data/links.js';
import { logger, metrics } from '../shared/observability.js';
import { observe } from '../shared/observe.js';
import { TransientError, ValidationError } from '../shared/errors.js';
import { FormError, TOKEN_PARAM_SCHEMA } from './form.js';
import { renderErrorPage, renderInvalidFormPage, renderRefusalPage } from './pages.js';
import type { Deps } from './referral.js';
import '../shared/zod-locale.js'; // English zod messages: zod/mini loads no locale

/**
 * What the two public pages share: the link is verified (signature, expiry, record, purpose)
 * before anything is read; a refused link gets a plain page and nothing else happens; errors
 * never leak details. GET only reads; POST acts.
 */

export interface PageDeps extends Deps {
  signingKey: () => Promise<string>;
}

export interface PageRoutes {
  purpose: LinkPurpose;
  get: (deps: PageDeps, link: LinkRecord) => Promise<HttpResult>;
  post: (deps: PageDeps, link: LinkRecord, event: HttpEvent) => Promise<HttpResult>;
}

export const handlePage = async (
  deps: PageDeps,
  routes: PageRoutes,
  event: HttpEvent,
): Promise<HttpResult> => {
  const path = TOKEN_PARAM_SCHEMA.safeParse(event.pathParameters ?? {});
  if (!path.success) return renderRefusalPage('TAMPERED');
  const method = event.requestContext?.http?.method?.toUpperCase() ?? 'GET';
  try {
    const link = await verifyLink(deps, await deps.signingKey(), path.data.token, routes.purpose);
    logger.appendKeys({ referralId: link.referralId, round: link.round });
    if (method === 'GET' || method === 'HEAD') return await routes.get(deps, link);
    if (method === 'POST') return await routes.post(deps, link, event);
    return renderErrorPage(405);
  } catch (error) {
    return pageOfError(error, method);
  }
};

/**
 * The page a link page answers when it fails (the deputy's pages too): a refused link gets a
 * plain refusal (and nothing else happens), a form that breaks a rule (FormError) or holds
 * ill-formed Unicode (ValidationError) 422, a passing fault 503; details never leak.
 */
export const pageOfError = (error: unknown, method: string): HttpResult => {
  if (error instanceof InvalidLinkError) {
    logger.info('Link refused', { reason: error.reason, method });
    metrics.addMetric('LinkRefused', 'Count', 1);
    return renderRefusalPage(error.reason);
  }
  if (error instanceof FormError || error instanceof ValidationError) {
    return renderInvalidFormPage(
      error.message,
      error instanceof FormError ? error.statusCode : 422,
    );
  }
  if (error instanceof TransientError) {
    logger.warn('Page failed transiently', { error });
    return renderErrorPage(503);
  }
  logger.error('Page failed', { error });
  return renderErrorPage();
};

export const pageHandler = (deps: PageDeps, routes: PageRoutes) =>
  middy<HttpEvent, HttpResult>()
    .use(observe())
    .handler((event) => handlePage(deps, routes, event));
