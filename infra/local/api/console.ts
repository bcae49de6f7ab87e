// The console locally: the stand-in for its CloudFront distribution (the built files of the
// cloud assembly, config.json, the same CSP) and for the user pool's managed login (the OAuth 2.0
// authorization code flow with PKCE: /oauth2/authorize with a page to choose a demo user,
// /oauth2/token checking the verifier, /logout). The console cannot tell it from AWS.
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import escapeHtml from 'escape-html';
import {
  CONSOLE_CONFIG_FILE,
  consoleContentSecurityPolicy,
  type ConsoleConfig,
} from '../../../console/csp';
import { DISTRICT_SCOPE } from '../../../functions/shared/http/auth';
import { DEMO_ORGANISER_STREET, DEMO_STREET_NAMES } from '../demo-jurisdiction';
import type { HttpResponse } from './event';
import type { LocalIssuer, MintOptions } from './issuer';

export const CONSOLE_PATH = '/console/';

/** The demo users the local sign-in page offers (Cognito users and groups on AWS). */
export const DEMO_USERS: Record<string, { label: string; mint: MintOptions }> = {
  'organiser-district': {
    label: `组织者（全区）区人大常委会办公室 · Organiser, whole district`,
    mint: { role: 'organiser', street: DISTRICT_SCOPE, name: '区人大常委会办公室' },
  },
  // The demo's street organiser (its street from the demo jurisdiction, as the seed has it).
  [`organiser-${DEMO_ORGANISER_STREET.toLowerCase()}`]: {
    label: `组织者（${DEMO_STREET_NAMES[DEMO_ORGANISER_STREET].zh}工委）· Organiser, ${DEMO_STREET_NAMES[DEMO_ORGANISER_STREET].en}`,
    mint: {
      role: 'organiser',
      street: DEMO_ORGANISER_STREET,
      sub: '00000000-0000-4000-8000-000000000004',
      name: `${DEMO_STREET_NAMES[DEMO_ORGANISER_STREET].zh}工委`,
    },
  },
  auditor: {
    label: '审计（只读）· Auditor (read-only)',
    mint: { role: 'auditor', name: '审计员' },
  },
};

const CODE_TTL_MS = 5 * 60_000;

interface PendingCode {
  user: string;
  clientId: string;
  redirectUri: string;
  challenge: string;
  expiresAt: number;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

const respond = (
  statusCode: number,
  body: string | Buffer,
  headers: Record<string, string> = {},
): HttpResponse => ({
  statusCode,
  headers,
  cookies: [],
  body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
});

const oauthError = (statusCode: number, error: string, description: string) =>
  respond(statusCode, JSON.stringify({ error, error_description: description }), {
    'content-type': 'application/json',
    'cache-control': 'no-store',
  });

const base64url = (buffer: Buffer) => buffer.toString('base64url');

export interface LocalConsole {
  /** Answers a request under /console/ or the issuer's OAuth paths; undefined: not ours. */
  handle(
    method: string,
    path: string,
    query: URLSearchParams,
    body: Buffer,
  ): Promise<HttpResponse | undefined>;
}

export function createLocalConsole(options: {
  apiUrl: string;
  issuer: LocalIssuer;
  issuerPath: string;
  /** The built console (cloud assembly), once the template is read. */
  site: () => string | undefined;
}): LocalConsole {
  const { apiUrl, issuer } = options;
  const consoleUrl = `${apiUrl}${CONSOLE_PATH}`;
  const config: ConsoleConfig = {
    apiUrl,
    authorizeUrl: `${issuer.issuerUrl}/oauth2/authorize`,
    tokenUrl: `${issuer.issuerUrl}/oauth2/token`,
    logoutUrl: `${issuer.issuerUrl}/logout`,
    clientId: issuer.clientId,
  };
  const origin = new URL(apiUrl).origin;
  const csp = consoleContentSecurityPolicy({ api: origin, auth: origin });
  const securityHeaders = {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
  };
  const codes = new Map<string, PendingCode>();

  const serveFile = async (path: string): Promise<HttpResponse> => {
    const site = options.site();
    if (!site) return respond(503, 'the console is not built: synthesize the app (npm start does)');
    const name = path === '' ? 'index.html' : path;
    if (name === CONSOLE_CONFIG_FILE) {
      return respond(200, JSON.stringify(config), {
        ...securityHeaders,
        'content-type': TYPES['.json']!,
        'cache-control': 'no-cache',
      });
    }
    const file = normalize(join(site, name));
    if (!file.startsWith(site) || !TYPES[extname(file)]) return respond(404, 'Not Found');
    try {
      return respond(200, await readFile(file), {
        ...securityHeaders,
        'content-type': TYPES[extname(file)]!,
        'cache-control': 'no-cache',
      });
    } catch {
      return respond(404, 'Not Found');
    }
  };

  /** The managed login's stand-in: one button per demo user, no script. */
  const signInPage = (query: URLSearchParams): HttpResponse => {
    const hidden = [...query.entries()]
      .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
      .join('');
    const buttons = Object.entries(DEMO_USERS)
      .map(
        ([id, user]) =>
          `<form method="post">${hidden}<input type="hidden" name="user" value="${id}"><button type="submit">${escapeHtml(user.label)}</button></form>`,
      )
      .join('\n');
    const html = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>登录 Sign in · 联动（本地）</title><style>body{font-family:sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}button{display:block;width:100%;margin:.5rem 0;padding:.75rem;font-size:1rem}</style></head><body><main><h1>登录 Sign in</h1><p>本地演示用户（AWS 上为 Cognito 托管登录）。Local demo users (Cognito managed login on AWS).</p>${buttons}</main></body></html>`;
    return respond(200, html, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy':
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
      'cache-control': 'no-store',
    });
  };

  const checkAuthorize = (query: URLSearchParams): string | undefined => {
    if (query.get('response_type') !== 'code') return 'response_type must be code';
    if (query.get('client_id') !== issuer.clientId) return 'unknown client_id';
    if (query.get('redirect_uri') !== consoleUrl) return `redirect_uri must be ${consoleUrl}`;
    if (query.get('code_challenge_method') !== 'S256') return 'code_challenge_method must be S256';
    if (!/^[A-Za-z0-9_-]{43}$/.test(query.get('code_challenge') ?? ''))
      return 'code_challenge must be a base64url SHA-256';
    return undefined;
  };

  const authorize = (method: string, query: URLSearchParams, body: Buffer): HttpResponse => {
    const params = method === 'POST' ? new URLSearchParams(body.toString('utf8')) : query;
    const problem = checkAuthorize(params);
    if (problem) return oauthError(400, 'invalid_request', problem);
    if (method === 'GET') return signInPage(params);
    const user = params.get('user') ?? '';
    if (!DEMO_USERS[user]) return oauthError(400, 'invalid_request', 'choose a demo user');
    const code = base64url(randomBytes(24));
    codes.set(code, {
      user,
      clientId: params.get('client_id')!,
      redirectUri: params.get('redirect_uri')!,
      challenge: params.get('code_challenge')!,
      expiresAt: Date.now() + CODE_TTL_MS,
    });
    const back = new URL(params.get('redirect_uri')!);
    back.searchParams.set('code', code);
    const state = params.get('state');
    if (state) back.searchParams.set('state', state);
    return respond(302, '', { location: back.toString(), 'cache-control': 'no-store' });
  };

  const token = async (body: Buffer): Promise<HttpResponse> => {
    const form = new URLSearchParams(body.toString('utf8'));
    if (form.get('grant_type') !== 'authorization_code') {
      return oauthError(400, 'unsupported_grant_type', 'only authorization_code');
    }
    const code = form.get('code') ?? '';
    const pending = codes.get(code);
    // A code is used once, whatever the outcome.
    codes.delete(code);
    if (!pending || pending.expiresAt < Date.now()) {
      return oauthError(400, 'invalid_grant', 'unknown, used or expired code');
    }
    if (
      form.get('client_id') !== pending.clientId ||
      form.get('redirect_uri') !== pending.redirectUri
    ) {
      return oauthError(
        400,
        'invalid_grant',
        'client_id or redirect_uri differ from the authorization',
      );
    }
    const verifier = form.get('code_verifier') ?? '';
    const challenge = base64url(createHash('sha256').update(verifier).digest());
    if (verifier.length < 43 || challenge !== pending.challenge) {
      return oauthError(400, 'invalid_grant', 'code_verifier does not match the code_challenge');
    }
    const mint = DEMO_USERS[pending.user]!.mint;
    const idToken = await issuer.mintToken(mint);
    const accessToken = await issuer.mintToken({
      ...mint,
      extraClaims: { token_use: 'access', client_id: pending.clientId },
    });
    return respond(
      200,
      JSON.stringify({
        id_token: idToken,
        access_token: accessToken,
        token_type: 'Bearer',
        expires_in: 3600,
      }),
      { 'content-type': 'application/json', 'cache-control': 'no-store' },
    );
  };

  return {
    async handle(method, path, query, body) {
      if (path === '/console') return respond(301, '', { location: CONSOLE_PATH });
      if (path.startsWith(CONSOLE_PATH) && method === 'GET') {
        return serveFile(path.slice(CONSOLE_PATH.length));
      }
      const sub = path.startsWith(options.issuerPath) ? path.slice(options.issuerPath.length) : '';
      if (sub === '/oauth2/authorize' && (method === 'GET' || method === 'POST')) {
        return authorize(method, query, body);
      }
      if (sub === '/oauth2/token' && method === 'POST') return token(body);
      if (sub === '/logout' && method === 'GET') {
        if (query.get('client_id') !== issuer.clientId || query.get('logout_uri') !== consoleUrl) {
          return oauthError(400, 'invalid_request', 'unknown client_id or logout_uri');
        }
        return respond(302, '', { location: consoleUrl, 'cache-control': 'no-store' });
      }
      return undefined;
    },
  };
}
