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
import { NotSetUpError, TransientError, ValidationError } from '../shared/errors.js';
import { FormError, TOKEN_PARAM_SCHEMA } from './form.js';
import {
  renderErrorPage,
  renderInvalidFormPage,
  renderNotSetUpPage,
  renderRefusalPage,
} from './pages.js';
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

/**
 * A page opened from a signed link: its link's purpose and how a token of it is verified
 * (signature, expiry, record, purpose), the ids of the link to log, what GET and POST answer.
 */
export interface LinkPage<D, L, P> {
  purpose: P;
  verify: (deps: D, secret: string, token: string, purpose: P) => Promise<L>;
  /** Ids of the link put on every log line (never personal data). */
  logKeysOf: (link: L) => Record<string, unknown>;
  get: (deps: D, link: L, event: HttpEvent, token: string) => Promise<HttpResult>;
  post: (deps: D, link: L, event: HttpEvent, token: string) => Promise<HttpResult>;
  /** The page's own answer to an error, before the common ones (`pageOfError`). */
  pageOf?: (error: unknown) => HttpResult | undefined;
}

/** The one way a link page (the department's, the deputy's) answers a request. */
export const handleLinkPage = async <D extends { signingKey: () => Promise<string> }, L, P>(
  deps: D,
  page: LinkPage<D, L, P>,
  event: HttpEvent,
): Promise<HttpResult> => {
  const path = TOKEN_PARAM_SCHEMA.safeParse(event.pathParameters ?? {});
  if (!path.success) return renderRefusalPage('TAMPERED');
  const method = event.requestContext?.http?.method?.toUpperCase() ?? 'GET';
  try {
    const token = path.data.token;
    const link = await page.verify(deps, await deps.signingKey(), token, page.purpose);
    logger.appendKeys(page.logKeysOf(link));
    if (method === 'GET' || method === 'HEAD') return await page.get(deps, link, event, token);
    if (method === 'POST') return await page.post(deps, link, event, token);
    return renderErrorPage(405);
  } catch (error) {
    return page.pageOf?.(error) ?? pageOfError(error, method);
  }
};

/** The link page's function: Powertools' middlewares, then `handleLinkPage`. */
export const linkPageHandler = <D extends { signingKey: () => Promise<string> }, L, P>(
  deps: D,
  page: LinkPage<D, L, P>,
) =>
  middy<HttpEvent, HttpResult>()
    .use(observe())
    .handler((event) => handleLinkPage(deps, page, event));

/**
 * The page a link page answers when it fails (the deputy's pages too): a refused link gets a
 * plain refusal (and nothing else happens), a form that breaks a rule (FormError) or holds
 * ill-formed Unicode (ValidationError) 422, a deployment not set up (no district) or a passing
 * fault 503; details never leak.
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
  if (error instanceof NotSetUpError) {
    logger.error('Page failed: not set up', { errorName: error.name, reason: error.message });
    return renderNotSetUpPage();
  }
  if (error instanceof TransientError) {
    logger.warn('Page failed transiently', { error });
    return renderErrorPage(503);
  }
  logger.error('Page failed', { error });
  return renderErrorPage();
};

/** The department's pages: a link of one round of a referral. */
export const pageHandler = (deps: PageDeps, routes: PageRoutes) =>
  linkPageHandler(deps, {
    ...routes,
    verify: verifyLink,
    logKeysOf: (link) => ({ referralId: link.referralId, round: link.round }),
  });
