// The HTTP API JWT authorizer, checked as API Gateway checks it.
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import type { LocalJwtAuthorizer } from '../template';

export class UnauthorizedError extends Error {
  override name = 'UnauthorizedError';
}

export class ForbiddenError extends Error {
  override name = 'ForbiddenError';
}

export interface JwtAuthorization {
  /** Claims as API Gateway hands them to the integration: every value a string. */
  claims: Record<string, string>;
  scopes: string[] | null;
}

// API Gateway renders claim values the way Go prints them: arrays as "[a b]".
export function stringifyClaim(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(stringifyClaim).join(' ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => a.localeCompare(b));
    return `map[${entries.map(([k, v]) => `${k}:${stringifyClaim(v)}`).join(' ')}]`;
  }
  return String(value);
}

/** The token of the identity source header: the bare token or `Bearer <token>`. */
export function tokenFrom(
  headers: Record<string, string>,
  identitySource: string[],
): string | undefined {
  const source = identitySource[0] ?? '$request.header.Authorization';
  const header = /^\$request\.header\.(.+)$/.exec(source)?.[1]?.toLowerCase();
  if (!header) return undefined;
  const value = headers[header]?.trim();
  if (!value) return undefined;
  const bearer = /^bearer\s+(.+)$/i.exec(value);
  return bearer ? bearer[1]?.trim() : value;
}

export async function authorizeJwt(
  token: string | undefined,
  authorizer: LocalJwtAuthorizer,
  jwks: JSONWebKeySet,
  routeScopes: string[] = [],
  now: Date = new Date(),
): Promise<JwtAuthorization> {
  if (!token) throw new UnauthorizedError('no token in the identity source');
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, createLocalJWKSet(jwks), {
      // API Gateway accepts only RSA signatures; `none` and HMAC never pass.
      algorithms: ['RS256'],
      issuer: authorizer.issuer,
      requiredClaims: ['exp'],
      currentDate: now,
    }));
  } catch (err) {
    throw new UnauthorizedError(`invalid token: ${(err as Error).message}`);
  }
  const iat = payload.iat;
  if (typeof iat === 'number' && iat > Math.floor(now.getTime() / 1000) + 1) {
    throw new UnauthorizedError('token issued in the future');
  }
  // aud (ID tokens) or client_id (Cognito access tokens) must name a configured audience.
  const aud = payload.aud === undefined ? [] : [payload.aud].flat();
  const candidates =
    aud.length > 0 ? aud : [payload.client_id].filter((c) => typeof c === 'string');
  if (!candidates.some((a) => authorizer.audience.includes(String(a)))) {
    throw new UnauthorizedError('token audience is not an audience of the authorizer');
  }
  const scopes =
    typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : null;
  if (routeScopes.length > 0 && !routeScopes.some((s) => scopes?.includes(s))) {
    throw new ForbiddenError('token has none of the route scopes');
  }
  const claims: Record<string, string> = {};
  for (const [k, v] of Object.entries(payload)) claims[k] = stringifyClaim(v);
  return { claims, scopes };
}
