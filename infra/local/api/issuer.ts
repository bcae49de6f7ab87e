// The local stand-in for the Cognito user pool: one RSA key pair, Cognito-ID-token-like claims.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  SignJWT,
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  type CryptoKey,
  type JWK,
} from 'jose';
import { DEMO_DEPUTY_IDS } from '../seed';
import { DISTRICT_SCOPE, SCOPE_CLAIM } from '../../../functions/shared/http/auth';

export const ISSUER_PATH = '/_local/issuer';
export const ROLES = ['organiser', 'deputy', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export class TokenRequestError extends Error {
  override name = 'TokenRequestError';
}

export interface MintOptions {
  role?: Role;
  groups?: string[];
  sub?: string;
  email?: string;
  name?: string;
  /**
   * The organiser's scope (custom:street): a street working committee, by code or name, or DISTRICT.
   * An organiser token gets DISTRICT when none is given (stated in the token, as Cognito does for
   * a district organiser); `null` leaves the claim out (such a token has no organiser rights).
   */
  street?: string | null;
  ttlSeconds?: number;
  extraClaims?: Record<string, unknown>;
}

export interface LocalIssuer {
  issuerUrl: string;
  clientId: string;
  jwks: { keys: JWK[] };
  publicKey: CryptoKey;
  openIdConfiguration(): Record<string, unknown>;
  mintToken(options: MintOptions): Promise<string>;
}

// Stable per role, so a restart keeps the same identities (and their data) locally. Handlers
// take a deputy's id from `sub`, so the default deputy is one of the seeded demo deputies.
const DEFAULT_SUBS: Record<Role, string> = {
  organiser: '00000000-0000-4000-8000-000000000001',
  deputy: DEMO_DEPUTY_IDS.national,
  auditor: '00000000-0000-4000-8000-000000000003',
};

export function issuerUrlFor(apiBaseUrl: string): string {
  return `${apiBaseUrl.replace(/\/$/, '')}${ISSUER_PATH}`;
}

async function loadOrCreateKey(keyFile?: string): Promise<JWK> {
  if (keyFile && existsSync(keyFile)) return JSON.parse(readFileSync(keyFile, 'utf8')) as JWK;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true, modulusLength: 2048 });
  const jwk = await exportJWK(privateKey);
  jwk.kid = await calculateJwkThumbprint(jwk);
  jwk.alg = 'RS256';
  if (keyFile) {
    mkdirSync(dirname(keyFile), { recursive: true });
    writeFileSync(keyFile, JSON.stringify(jwk), { mode: 0o600 });
  }
  return jwk;
}

/** The scope claim a token carries: the given street, else DISTRICT for an organiser. */
function scopeClaimFor(street: string | null | undefined, groups: string[]) {
  if (street === null) return {};
  if (street) return { [SCOPE_CLAIM]: street };
  return groups.includes('organiser') ? { [SCOPE_CLAIM]: DISTRICT_SCOPE } : {};
}

export function claimsFor(options: MintOptions, issuerUrl: string, clientId: string, now: number) {
  const groups = options.groups ?? (options.role ? [options.role] : []);
  if (groups.length === 0) throw new TokenRequestError('give a role or groups');
  for (const g of groups) {
    if (!(ROLES as readonly string[]).includes(g)) {
      throw new TokenRequestError(`unknown group ${g} (groups: ${ROLES.join(', ')})`);
    }
  }
  const first = groups[0] as Role;
  const sub = options.sub ?? DEFAULT_SUBS[first];
  const ttl = options.ttlSeconds ?? 3600;
  if (!Number.isFinite(ttl)) throw new TokenRequestError('ttlSeconds must be a number');
  return {
    sub,
    'cognito:groups': groups,
    'cognito:username': sub,
    email: options.email ?? `${first}@liandong.local`,
    email_verified: true,
    name: options.name ?? `Local ${first}`,
    ...scopeClaimFor(options.street, groups),
    token_use: 'id',
    auth_time: now,
    event_id: randomUUID(),
    origin_jti: randomUUID(),
    jti: randomUUID(),
    ...options.extraClaims,
    aud: clientId,
    iss: issuerUrl,
    iat: now,
    exp: now + ttl,
  };
}

export async function createLocalIssuer(options: {
  issuerUrl: string;
  clientId: string;
  /** JSON file holding the private JWK; omitted = a fresh key in memory. */
  keyFile?: string;
}): Promise<LocalIssuer> {
  const privateJwk = await loadOrCreateKey(options.keyFile);
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = privateJwk;
  const privateKey = (await importJWK(privateJwk, 'RS256')) as CryptoKey;
  const publicKey = (await importJWK(publicJwk, 'RS256')) as CryptoKey;
  const kid = privateJwk.kid ?? 'local';
  const jwks = { keys: [{ ...publicJwk, use: 'sig' }] };
  const { issuerUrl, clientId } = options;
  return {
    issuerUrl,
    clientId,
    jwks,
    publicKey,
    openIdConfiguration: () => ({
      issuer: issuerUrl,
      jwks_uri: `${issuerUrl}/.well-known/jwks.json`,
      token_endpoint: `${issuerUrl}/token`,
      response_types_supported: ['token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      claims_supported: ['sub', 'email', 'name', 'cognito:groups', 'custom:street'],
    }),
    mintToken: async (mint) => {
      const now = Math.floor(Date.now() / 1000);
      const claims = claimsFor(mint, issuerUrl, clientId, now);
      return new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
        .sign(privateKey);
    },
  };
}

export function issuerKeyFile(dataDir: string): string {
  return join(dataDir, 'issuer', 'private-key.json');
}
