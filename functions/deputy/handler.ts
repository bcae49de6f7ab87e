import middy from '@middy/core';
import { TOKEN_PARAM_SCHEMA } from '../department/form.js';
import { pageOfError } from '../department/handler.js';
import { renderErrorPage, renderRefusalPage } from '../department/pages.js';
import type { HttpEvent, HttpResult } from '../shared/http/types.js';
import {
  verifyDeputyLink,
  type DeputyLinkPurpose,
  type DeputyLinkRecord,
  type LinkStore,
} from '../shared/data/links.js';
import { logger } from '../shared/observability.js';
import { observe } from '../shared/observe.js';
import { GoneError } from './model.js';
import '../shared/zod-locale.js'; // English zod messages: zod/mini loads no locale

/**
 * What the deputy's link pages share with the department pages (functions/department/handler.ts):
 * the link is verified (signature, expiry, record, purpose) before anything is read; a refused
 * link gets a plain page (403, 410 expired) and nothing else happens; errors never leak details.
 * GET only reads; POST acts.
 */

export interface DeputyPageDeps extends LinkStore {
  signingKey: () => Promise<string>;
}

export interface DeputyPageRoutes<D extends DeputyPageDeps> {
  purpose: DeputyLinkPurpose;
  get: (deps: D, link: DeputyLinkRecord, event: HttpEvent, token: string) => Promise<HttpResult>;
  post: (deps: D, link: DeputyLinkRecord, event: HttpEvent, token: string) => Promise<HttpResult>;
}

export const handleDeputyPage = async <D extends DeputyPageDeps>(
  deps: D,
  routes: DeputyPageRoutes<D>,
  event: HttpEvent,
): Promise<HttpResult> => {
  const path = TOKEN_PARAM_SCHEMA.safeParse(event.pathParameters ?? {});
  if (!path.success) return renderRefusalPage('TAMPERED');
  const method = event.requestContext?.http?.method?.toUpperCase() ?? 'GET';
  try {
    const token = path.data.token;
    const link = await verifyDeputyLink(deps, await deps.signingKey(), token, routes.purpose);
    // Ids only: the deputy id is an opaque reference, no personal data.
    logger.appendKeys({ linkPurpose: link.purpose, activityId: link.activityId });
    if (method === 'GET' || method === 'HEAD') return await routes.get(deps, link, event, token);
    if (method === 'POST') return await routes.post(deps, link, event, token);
    return renderErrorPage(405);
  } catch (error) {
    if (error instanceof GoneError) return renderRefusalPage('NOT_FOUND');
    return pageOfError(error, method);
  }
};

export const deputyPageHandler = <D extends DeputyPageDeps>(deps: D, routes: DeputyPageRoutes<D>) =>
  middy<HttpEvent, HttpResult>()
    .use(observe())
    .handler((event) => handleDeputyPage(deps, routes, event));

/** Whether the request came over HTTPS (API Gateway says so); the local cloud serves HTTP. */
export const isHttps = (event: Pick<HttpEvent, 'headers'>): boolean =>
  (event.headers?.['x-forwarded-proto'] ?? '').toLowerCase() === 'https';
