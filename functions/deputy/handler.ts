import type { z } from 'zod/mini';
import { handleLinkPage, linkPageHandler, type PageRoutes } from '../department/handler.js';
import { renderRefusalPage } from '../department/pages.js';
import type { HttpEvent, HttpResult } from '../shared/http/types.js';
import {
  verifyDeputyLink,
  type DeputyLinkPurpose,
  type DeputyLinkRecord,
  type LinkStore,
} from '../shared/data/links.js';
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

/** A deputy's link page: what it shows and does, each with its route's contract. */
export type DeputyPageRoutes<
  D extends DeputyPageDeps,
  TForm extends z.ZodMiniType = z.ZodMiniType,
> = PageRoutes<D, DeputyLinkRecord, DeputyLinkPurpose, TForm>;

/** The deputy's link: a gone activity is "not found" (a refusal page), as an unknown link. */
const deputyLinkPage = {
  verify: verifyDeputyLink,
  // Ids only: the deputy id is an opaque reference, no personal data.
  logKeysOf: (link: DeputyLinkRecord) => ({
    linkPurpose: link.purpose,
    activityId: link.activityId,
  }),
  pageOf: (error: unknown) =>
    error instanceof GoneError ? renderRefusalPage('NOT_FOUND') : undefined,
};

export const handleDeputyPage = <D extends DeputyPageDeps, TForm extends z.ZodMiniType>(
  deps: D,
  routes: DeputyPageRoutes<D, TForm>,
  event: HttpEvent,
): Promise<HttpResult> => handleLinkPage(deps, { ...deputyLinkPage, ...routes }, event);

export const deputyPageHandler = <D extends DeputyPageDeps, TForm extends z.ZodMiniType>(
  deps: D,
  routes: DeputyPageRoutes<D, TForm>,
) => linkPageHandler(deps, { ...deputyLinkPage, ...routes });

/** Whether the request came over HTTPS (API Gateway says so); the local cloud serves HTTP. */
export const isHttps = (event: Pick<HttpEvent, 'headers'>): boolean =>
  (event.headers?.['x-forwarded-proto'] ?? '').toLowerCase() === 'https';
