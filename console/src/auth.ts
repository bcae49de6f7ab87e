// Sign-in the AWS way: the OAuth 2.0 authorization code flow with PKCE (RFC 7636) against the
// user pool's managed login, or the local issuer's same endpoints. The console is a public client:
// no secret, so the code is bound to this browser by the verifier kept in sessionStorage.
import type { ConsoleConfig } from '../csp';

const PENDING = 'liandong.signin';
const SESSION = 'liandong.session';

export interface Session {
  idToken: string;
  expiresAt: number;
  sub: string;
  name: string;
  groups: string[];
  street?: string;
}

/** The street claim of an organiser of the whole district (the API's DISTRICT_SCOPE). */
const DISTRICT_WIDE = 'DISTRICT';

/**
 * Whether the API lets this person write reference data and the jurisdiction: organisers of the
 * whole district only (a street's organiser writes its own liaison stations, nothing else).
 */
export const writesDistrict = (session: Session): boolean =>
  session.groups.includes('organiser') && districtWide(session);

/** Whether the person's scope is the whole district (not one street). */
export const districtWide = (session: Session): boolean => session.street === DISTRICT_WIDE;

const base64url = (bytes: Uint8Array): string =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

const randomText = (): string => base64url(crypto.getRandomValues(new Uint8Array(32)));

/** Where the user pool sends the browser back: the console's own address, without the hash. */
export const redirectUri = (): string => `${location.origin}${location.pathname}`;

export async function signIn(config: ConsoleConfig, returnTo: string): Promise<never> {
  const verifier = randomText();
  const state = randomText();
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, returnTo }));
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: redirectUri(),
    scope: 'openid email profile',
    state,
    code_challenge: base64url(new Uint8Array(digest)),
    code_challenge_method: 'S256',
  });
  location.assign(`${config.authorizeUrl}?${query}`);
  return new Promise<never>(() => undefined);
}

const claimsOf = (jwt: string): Record<string, unknown> => {
  const payload = jwt.split('.')[1] ?? '';
  const text = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = Uint8Array.from(text, (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
};

const sessionOf = (idToken: string): Session => {
  const claims = claimsOf(idToken);
  const street = claims['custom:street'];
  return {
    idToken,
    expiresAt: Number(claims.exp) * 1000,
    sub: String(claims.sub),
    name: String(claims.name ?? claims.email ?? claims.sub),
    groups: Array.isArray(claims['cognito:groups']) ? (claims['cognito:groups'] as string[]) : [],
    ...(typeof street === 'string' ? { street } : {}),
  };
};

export class SignInError extends Error {
  override name = 'SignInError';
}

/**
 * Completes a sign-in when the browser comes back with `?code=&state=`: the code and the
 * verifier are exchanged for tokens at the token endpoint. Returns the hash to show next.
 */
export async function completeSignIn(config: ConsoleConfig): Promise<string | undefined> {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  const error = params.get('error');
  if (!code && !error) return undefined;
  history.replaceState(null, '', redirectUri());
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null') as {
    verifier: string;
    state: string;
    returnTo: string;
  } | null;
  sessionStorage.removeItem(PENDING);
  if (error) throw new SignInError(`${error}: ${params.get('error_description') ?? ''}`);
  if (!pending || pending.state !== params.get('state')) {
    throw new SignInError('登录状态不符，请重新登录 (the sign-in state does not match)');
  }
  const res = await fetch(config.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: config.clientId,
      code: code ?? '',
      redirect_uri: redirectUri(),
      code_verifier: pending.verifier,
    }),
  });
  const body = (await res.json()) as { id_token?: string; error?: string };
  if (!res.ok || !body.id_token) throw new SignInError(body.error ?? `token ${res.status}`);
  sessionStorage.setItem(SESSION, body.id_token);
  return pending.returnTo;
}

/** The signed-in user, while the ID token is valid for at least another minute. */
export function currentSession(): Session | undefined {
  const token = sessionStorage.getItem(SESSION);
  if (!token) return undefined;
  const session = sessionOf(token);
  return session.expiresAt - 60_000 > Date.now() ? session : undefined;
}

export function signOut(config: ConsoleConfig): void {
  sessionStorage.removeItem(SESSION);
  const query = new URLSearchParams({ client_id: config.clientId, logout_uri: redirectUri() });
  location.assign(`${config.logoutUrl}?${query}`);
}
