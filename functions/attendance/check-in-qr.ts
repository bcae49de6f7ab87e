import { getSigningKey } from '../shared/secrets.js';
import { httpRoute, jsonResponse, type HttpEvent } from '../shared/http/index.js';
import { tableDeps } from '../shared/table-deps.js';
import { checkInQr } from './domain.js';
import { checkInQrEnvSchema } from './env.js';
import { checkInQrRoute } from './routes.js';

const deps = tableDeps(checkInQrEnvSchema, (env) => ({
  checkInCodeKey: () => getSigningKey(env.CHECK_IN_CODE_SECRET_ARN),
  ttlSeconds: env.CHECK_IN_CODE_TTL_SECONDS,
}));

/** The origin the public page is reached on: `PUBLIC_BASE_URL`, else the request's own. */
export const originOf = (event: Pick<HttpEvent, 'headers' | 'requestContext'>): string => {
  if (deps.env.PUBLIC_BASE_URL) return deps.env.PUBLIC_BASE_URL;
  const headers = event.headers ?? {};
  const proto = headers['x-forwarded-proto'] === 'http' ? 'http' : 'https';
  const host = headers.host ?? event.requestContext.domainName;
  return `${proto}://${host}`;
};

/**
 * A short-lived activity code and the QR code of the public page `/check-in/{code}`:
 * `200 {code, expiresAt, url, svg}`.
 */
export const handler = httpRoute(checkInQrRoute, async ({ path, caller, event }) => {
  const qr = await checkInQr(deps, path.activityId, caller, originOf(event));
  return jsonResponse(200, qr, { 'cache-control': 'no-store' });
});
