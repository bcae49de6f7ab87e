/**
 * The console's Content-Security-Policy, one definition for both places that serve it: the
 * CloudFront response headers policy (infra/constructs/console-site.ts) and the local cloud's
 * stand-in (infra/local/api/console.ts). Scripts and styles only from the console's own origin
 * (no inline code, no eval); the browser talks only to the API and the sign-in service.
 */
export const consoleContentSecurityPolicy = (origins: { api: string; auth: string }): string =>
  [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    // The venue QR code arrives as SVG from the API and is shown as a data: image.
    "img-src 'self' data:",
    `connect-src 'self' ${origins.api} ${origins.auth}`,
    `form-action 'self' ${origins.auth}`,
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');

/** The one file the console reads to learn where it runs (served beside it as config.json). */
export interface ConsoleConfig {
  /** The HTTP API's base URL, no trailing slash. */
  apiUrl: string;
  /** OAuth 2.0 endpoints of the user pool's managed login (or the local issuer's). */
  authorizeUrl: string;
  tokenUrl: string;
  logoutUrl: string;
  /** The console's app client (public: no secret, authorization code with PKCE only). */
  clientId: string;
}

export const CONSOLE_CONFIG_FILE = 'config.json';
