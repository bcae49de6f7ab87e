import { jurisdictionOf } from '../shared/data/jurisdiction.js';
import { tokenOfLink, type DeputyLinkRecord } from '../shared/data/links.js';
import type { HttpEvent } from '../shared/http/types.js';
import { actOnPage, type ActionDeps } from './actions.js';
import type { deputyFormSchema } from './form.js';
import { isHttps, type DeputyPageDeps, type DeputyPageRoutes } from './handler.js';
import { deputyActivityPage } from './model.js';
import { renderDeputyActivityPage, renderOutcomePage } from './render.js';
import { activityPageContracts } from './routes.js';

/**
 * The cookie that lets the venue's QR page check this phone's deputy in without typing: it holds
 * the personal link's token, is sent only to `/check-in/…`, never to scripts (HttpOnly), not on
 * cross-site POSTs (SameSite=Lax), and lives at most a day and never past the link.
 */
export const DEPUTY_COOKIE = 'liandong_deputy';
const COOKIE_MAX_AGE_SECONDS = 86_400;

export const deputyCookieOf = (
  link: Pick<DeputyLinkRecord, 'expiresAt'>,
  token: string,
  event: Pick<HttpEvent, 'headers'>,
  now: Date,
): string | undefined => {
  const maxAge = Math.min(
    COOKIE_MAX_AGE_SECONDS,
    link.expiresAt - Math.floor(now.getTime() / 1000),
  );
  if (maxAge <= 0) return undefined;
  return `${DEPUTY_COOKIE}=${token}; Path=/check-in; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${
    isHttps(event) ? '; Secure' : ''
  }`;
};

export type DeputyActivityDeps = DeputyPageDeps & ActionDeps;

/**
 * The deputy's page of one activity: GET shows it (and sets the check-in cookie while the deputy
 * can answer or check in); POST answers the invitation, checks in or records a finding.
 */
export const deputyActivityRoutes: DeputyPageRoutes<DeputyActivityDeps, typeof deputyFormSchema> = {
  purpose: 'DEPUTY_ACTIVITY',
  get: {
    contract: activityPageContracts.show,
    answer: async (deps, link, event, token) => {
      const model = await deputyActivityPage(deps, link);
      const secret = await deps.signingKey();
      for (const finding of model.findings) {
        const referral = finding.outcome.referral;
        if (referral?.rateLink) {
          referral.rateHref = `/rate/${tokenOfLink(secret, referral.rateLink.linkId, referral.rateLink.expiresAt)}`;
        }
      }
      const now = (deps.now ?? (() => new Date()))();
      const cookie =
        model.activity.status === 'CHECK_IN_OPEN' || model.canAnswer
          ? deputyCookieOf(link, token, event, now)
          : undefined;
      return renderDeputyActivityPage(
        model,
        await jurisdictionOf(deps),
        cookie ? { cookies: [cookie] } : {},
      );
    },
  },
  post: {
    contract: activityPageContracts.submit,
    answer: async (deps, link, form, token) =>
      renderOutcomePage(await actOnPage(deps, link, form), `/deputy/${token}`),
  },
};
