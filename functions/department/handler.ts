import middy from '@middy/core';
import * as z from 'zod/mini';
import type { RouteContract } from '../shared/http/contract.js';
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
import { FormError, formFields, parseForm } from './form.js';
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

/** A link page's path: the link's token. */
type TokenPath = z.ZodMiniType<{ token: string }>;

/**
 * What a link page serves, each with its route's contract (the area's `routes.ts`): the GET that
 * shows the page, and the POST that acts on its form, if it has one (else POST is 405). The
 * contracts' path schema checks the token and the POST's form is read with its `body` schema,
 * up to its `maxBodyBytes`, before `answer` runs.
 */
export interface PageRoutes<D, L, P, TForm extends z.ZodMiniType> {
  purpose: P;
  get: {
    contract: RouteContract & { path: TokenPath };
    answer: (deps: D, link: L, event: HttpEvent, token: string) => Promise<HttpResult>;
  };
  post?: {
    contract: RouteContract & { path: TokenPath; body: TForm; maxBodyBytes: number };
    answer: (deps: D, link: L, form: z.output<TForm>, token: string) => Promise<HttpResult>;
  };
}

/** The department's pages: a link of one round of a referral. */
export type DepartmentPageRoutes<TForm extends z.ZodMiniType> = PageRoutes<
  PageDeps,
  LinkRecord,
  LinkPurpose,
  TForm
>;

/**
 * A page opened from a signed link: what it serves (`PageRoutes`), how a token of it is verified
 * (signature, expiry, record, purpose) and the ids of the link to log.
 */
export interface LinkPage<D, L, P, TForm extends z.ZodMiniType> extends PageRoutes<D, L, P, TForm> {
  verify: (deps: D, secret: string, token: string, purpose: P) => Promise<L>;
  /** Ids of the link put on every log line (never personal data). */
  logKeysOf: (link: L) => Record<string, unknown>;
  /** The page's own answer to an error, before the common ones (`pageOfError`). */
  pageOf?: (error: unknown) => HttpResult | undefined;
}

/** The one way a link page (the department's, the deputy's) answers a request. */
export const handleLinkPage = async <
  D extends { signingKey: () => Promise<string> },
  L,
  P,
  TForm extends z.ZodMiniType,
>(
  deps: D,
  page: LinkPage<D, L, P, TForm>,
  event: HttpEvent,
): Promise<HttpResult> => {
  const method = event.requestContext?.http?.method?.toUpperCase() ?? 'GET';
  const { post } = page;
  const contract = method === 'POST' && post ? post.contract : page.get.contract;
  const path = z.safeParse(contract.path, event.pathParameters ?? {});
  if (!path.success) return renderRefusalPage('TAMPERED');
  try {
    const token = path.data.token;
    const link = await page.verify(deps, await deps.signingKey(), token, page.purpose);
    logger.appendKeys(page.logKeysOf(link));
    if (method === 'GET' || method === 'HEAD') {
      return await page.get.answer(deps, link, event, token);
    }
    if (method === 'POST' && post) {
      const fields = formFields(event, post.contract.maxBodyBytes);
      return await post.answer(deps, link, parseForm(post.contract.body, fields), token);
    }
    return renderErrorPage(405);
  } catch (error) {
    return page.pageOf?.(error) ?? pageOfError(error, method);
  }
};

/** The link page's function: Powertools' middlewares, then `handleLinkPage`. */
export const linkPageHandler = <
  D extends { signingKey: () => Promise<string> },
  L,
  P,
  TForm extends z.ZodMiniType,
>(
  deps: D,
  page: LinkPage<D, L, P, TForm>,
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
export const pageHandler = <TForm extends z.ZodMiniType>(
  deps: PageDeps,
  routes: DepartmentPageRoutes<TForm>,
) =>
  linkPageHandler(deps, {
    ...routes,
    verify: verifyLink,
    logKeysOf: (link) => ({ referralId: link.referralId, round: link.round }),
  });
