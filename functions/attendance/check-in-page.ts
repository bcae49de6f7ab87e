import middy from '@middy/core';
import { checkInWith, deputyCallerOf } from '../deputy/actions.js';
import { renderOutcomePage } from '../deputy/render.js';
import { DEPUTY_COOKIE } from '../deputy/page-routes.js';
import { getDeputies } from '../shared/data/deputies.js';
import { tableDeps } from '../shared/table-deps.js';
import { getSigningKey } from '../shared/secrets.js';
import type { HttpEvent, HttpResult } from '../shared/http/index.js';
import { InvalidLinkError, verifyDeputyLink, type DeputyLinkRecord } from '../shared/data/links.js';
import { logger } from '../shared/observability.js';
import { observe } from '../shared/observe.js';
import { CheckInCodeError } from './check-in-code.js';
import { checkInPage } from './domain.js';
import { checkInPageEnvSchema } from './env.js';
import { renderCheckInPage, renderErrorPage, renderRefusalPage } from './page.js';
import { checkInPageRoute } from './routes.js';
import '../shared/zod-locale.js'; // English zod messages: zod/mini loads no locale

const deps = tableDeps(checkInPageEnvSchema, (env) => ({
  checkInCodeKey: () => getSigningKey(env.CHECK_IN_CODE_SECRET_ARN),
  signingKey: () => getSigningKey(env.LINK_SIGNING_SECRET_ARN),
}));

/**
 * The deputy this phone opened a personal link of, for the activity the code names: the cookie
 * the deputy's page set (functions/deputy/page-routes.ts), verified like the link itself. Undefined
 * when there is none, it is not valid, or it is for another activity.
 */
const deputyOfCookie = async (
  event: Pick<HttpEvent, 'cookies'>,
  activityId: string,
): Promise<DeputyLinkRecord | undefined> => {
  const prefix = `${DEPUTY_COOKIE}=`;
  const tokens = (event.cookies ?? [])
    .filter((cookie) => cookie.startsWith(prefix))
    .map((cookie) => cookie.slice(prefix.length));
  for (const token of tokens) {
    try {
      const link = await verifyDeputyLink(deps, await deps.signingKey(), token, 'DEPUTY_ACTIVITY');
      if (link.activityId === activityId) return link;
    } catch (error) {
      if (!(error instanceof InvalidLinkError)) throw error;
    }
  }
  return undefined;
};

/**
 * `GET /check-in/{code}` (public: no JWT; the code names an activity and expires, it is not a
 * credential). Renders the check-in page, or a plain refusal: 400 for an invalid code, 410 for
 * an expired one. Reads only: a GET never changes anything. On a phone that opened its personal
 * link (its cookie), the page offers a one-tap check-in: `POST /check-in/{code}` checks that
 * deputy in, identity from the link, presence from the code. Without the cookie the page posts
 * with a signed-in token as before.
 */
export const handler = middy<HttpEvent, HttpResult>()
  .use(observe())
  .handler(async (event) => {
    const path = checkInPageRoute.path.safeParse(event.pathParameters ?? {});
    if (!path.success) return renderRefusalPage('INVALID');
    const method = event.requestContext?.http?.method?.toUpperCase() ?? 'GET';
    try {
      const model = await checkInPage(deps, path.data.code);
      const link = await deputyOfCookie(event, model.activity.id);
      if (method === 'POST') {
        if (!link) return renderRefusalPage('NO_LINK');
        const outcome = await checkInWith(deps, model.activity.id, deputyCallerOf(link), {
          qrCode: path.data.code,
        });
        return renderOutcomePage(outcome, `/check-in/${path.data.code}`);
      }
      const deputy = link
        ? (await getDeputies(deps, [link.deputyId], ['name'])).get(link.deputyId)
        : undefined;
      return renderCheckInPage(model, link ? { deputyName: deputy?.name ?? '' } : undefined);
    } catch (error) {
      if (error instanceof CheckInCodeError) {
        logger.info('Check-in page refused', { reason: error.reason });
        return renderRefusalPage(error.reason);
      }
      logger.error('Check-in page failed', { error });
      return renderErrorPage();
    }
  });
