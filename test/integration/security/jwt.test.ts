// Integration (local cloud): tokens the API Gateway JWT authorizer refuses are refused by the
// local HTTP API with 401 before any function runs; a valid token of the wrong group reaches the
// handler, which answers 403. Two layers: through HTTP with tokens the local issuer signs (with
// one claim spoiled) or that another key / no key signs; and, for issuer and audience, which
// only a token signed by the issuer's own key isolates, the local authorizer (`authorizeJwt`)
// with the template's authorizer configuration and a key set we hold.
import { randomUUID } from 'node:crypto';
import {
  SignJWT,
  UnsecuredJWT,
  exportJWK,
  generateKeyPair,
  type CryptoKey,
  type JSONWebKeySet,
  type JWK,
} from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { authorizeJwt, UnauthorizedError } from '../../../infra/local/api/jwt';
import { loadTemplate } from '../../../infra/local/template';
import { localCloud } from '../support/cloud';
import { mintToken } from '../support/token';

const PROBE = '/departments?limit=1'; // organiser or auditor; a JWT route like every other
const WRITE = '/departments'; // organiser only: the handler's role check

const call = async (token: string | undefined, path = PROBE, method = 'GET') => {
  const res = await fetch(`${localCloud().api}${path}`, {
    method,
    headers: {
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
    },
    ...(method === 'POST'
      ? {
          body: JSON.stringify({
            name: `JWT ${randomUUID()}`,
            emails: ['jwt@example.org'],
            categories: ['HEALTH'],
          }),
        }
      : {}),
  });
  return { status: res.status, text: await res.text() };
};

const now = () => Math.floor(Date.now() / 1000);

/** Claims as the local issuer (and Cognito ID tokens) carry them. */
const claims = (overrides: Record<string, unknown> = {}) => ({
  sub: 'jwt-test-organiser',
  'cognito:groups': ['organiser'],
  token_use: 'id',
  aud: localCloud().clientId,
  iss: localCloud().issuer,
  iat: now(),
  exp: now() + 600,
  ...overrides,
});

let foreignKey: CryptoKey;
let foreignJwks: JSONWebKeySet;
let issuerJwk: JWK;

const signWith = (key: CryptoKey, body: Record<string, unknown>, kid = 'foreign') =>
  new SignJWT(body).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).sign(key);

const refused: { name: string; status: number }[] = [];

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true });
  foreignKey = pair.privateKey;
  foreignJwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'foreign', alg: 'RS256' }] };
  const jwks = (await (await fetch(localCloud().jwks)).json()) as { keys: JWK[] };
  issuerJwk = jwks.keys[0]!;
});

describe('through the local HTTP API: 401 before any function runs', () => {
  it('accepts the issuer’s own token (the baseline every case spoils)', async () => {
    const res = await call(await mintToken({ role: 'organiser', sub: 'jwt-test-organiser' }));
    expect(res.status, res.text).toBe(200);
  });

  const cases: [string, () => Promise<string | undefined>][] = [
    ['no token', async () => undefined],
    ['not a JWT', async () => 'not-a-jwt'],
    [
      'expired (issuer-signed, exp 60 s ago)',
      () => mintToken({ role: 'organiser', ttlSeconds: -60 }),
    ],
    [
      'not valid before (issuer-signed, nbf in an hour)',
      () => mintToken({ role: 'organiser', extraClaims: { nbf: now() + 3600 } }),
    ],
    [
      'issued in the future (issuer-signed, iat in an hour)',
      // The mint sets iat itself; the claim is spoiled through a foreign-key copy below instead.
      async () => signWith(foreignKey, claims({ iat: now() + 3600 })),
    ],
    ['alg none', async () => new UnsecuredJWT(claims()).encode()],
    [
      'HS256 signed with the issuer’s public key',
      async () => {
        const secret = new TextEncoder().encode(JSON.stringify(issuerJwk));
        return new SignJWT(claims())
          .setProtectedHeader({ alg: 'HS256', kid: issuerJwk.kid ?? '', typ: 'JWT' })
          .sign(secret);
      },
    ],
    [
      'HS256 signed with the modulus of the public key',
      async () =>
        new SignJWT(claims())
          .setProtectedHeader({ alg: 'HS256', kid: issuerJwk.kid ?? '' })
          .sign(Buffer.from(issuerJwk.n ?? '', 'base64url')),
    ],
    [
      'another key with a forged cognito:groups organiser, the issuer’s kid',
      async () => signWith(foreignKey, claims({ 'cognito:groups': ['organiser'] }), issuerJwk.kid),
    ],
    ['another key, its own kid', async () => signWith(foreignKey, claims())],
    [
      'the issuer’s token with its payload swapped for forged groups',
      async () => {
        const token = await mintToken({ role: 'deputy', sub: 'dep-0001' });
        const [header, , signature] = token.split('.') as [string, string, string];
        const forged = Buffer.from(JSON.stringify(claims({ sub: 'dep-0001' }))).toString(
          'base64url',
        );
        return `${header}.${forged}.${signature}`;
      },
    ],
    [
      'the issuer’s token with its signature stripped',
      async () => `${(await mintToken('organiser')).split('.').slice(0, 2).join('.')}.`,
    ],
  ];

  it.each(cases)('%s', async (name, make) => {
    const token = await make();
    const res = await call(token);
    expect(res.status, res.text).toBe(401);
    expect(JSON.parse(res.text)).toEqual({ message: 'Unauthorized' });
    // A refused token never reaches a handler: a write route refuses it the same way.
    expect((await call(token, WRITE, 'POST')).status).toBe(401);
    refused.push({ name, status: res.status });
  });
});

describe('the authorizer check in process, with a key we hold (issuer and audience isolated)', () => {
  const authorizer = () => {
    const { issuer, clientId, api } = localCloud();
    const template = loadTemplate({
      cdkOut: 'cdk.out',
      region: localCloud().region,
      issuerUrl: issuer,
      clientId,
      apiUrl: api,
    });
    const found = template.httpApis[0]?.routes.find((r) => r.authorizer)?.authorizer;
    if (!found) throw new Error('no JWT authorizer in the template');
    return found;
  };

  it('accepts the right issuer and audience (the baseline)', async () => {
    const result = await authorizeJwt(
      await signWith(foreignKey, claims()),
      authorizer(),
      foreignJwks,
    );
    expect(result.claims['cognito:groups']).toBe('[organiser]');
  });

  const spoiled: [string, Record<string, unknown>][] = [
    ['wrong issuer', { iss: 'https://cognito-idp.ap-east-1.amazonaws.com/ap-east-1_other' }],
    ['issuer with a trailing slash', { iss: `${'{{issuer}}'}/` }],
    ['wrong audience', { aud: 'another-client' }],
    ['no audience and a wrong client_id', { aud: undefined, client_id: 'another-client' }],
    ['expired', { exp: now() - 60 }],
    ['no expiry', { exp: undefined }],
    ['not valid before', { nbf: now() + 3600 }],
    ['issued in the future', { iat: now() + 3600 }],
  ];

  it.each(spoiled)('%s: refused', async (name, overrides) => {
    const body = claims(
      Object.fromEntries(
        Object.entries(overrides).map(([k, v]) => [
          k,
          typeof v === 'string' ? v.replace('{{issuer}}', localCloud().issuer) : v,
        ]),
      ),
    );
    for (const [k, v] of Object.entries(body))
      if (v === undefined) delete body[k as keyof typeof body];
    await expect(
      authorizeJwt(await signWith(foreignKey, body), authorizer(), foreignJwks),
    ).rejects.toBeInstanceOf(UnauthorizedError);
    refused.push({ name: `in process: ${name}`, status: 401 });
  });

  it('accepts an access token whose client_id names the app client (Cognito access tokens)', async () => {
    const body = claims({ client_id: localCloud().clientId, token_use: 'access' });
    delete (body as Record<string, unknown>).aud;
    await expect(
      authorizeJwt(await signWith(foreignKey, body), authorizer(), foreignJwks),
    ).resolves.toBeDefined();
  });
});

describe('a valid token of the wrong group reaches the handler: 403 with a message', () => {
  const groupCases: [string, number, Record<string, unknown>][] = [
    ['deputy on an organiser route', 403, { role: 'deputy', sub: 'dep-0001' }],
    ['auditor on an organiser route', 403, { role: 'auditor' }],
    [
      'a group the app does not know',
      403,
      { role: 'auditor', extraClaims: { 'cognito:groups': ['admin'] } },
    ],
    ['no group at all', 403, { role: 'auditor', extraClaims: { 'cognito:groups': [] } }],
    [
      'a look-alike group',
      403,
      { role: 'auditor', extraClaims: { 'cognito:groups': ['organisers'] } },
    ],
    [
      'groups as the string "deputy"',
      403,
      { role: 'auditor', extraClaims: { 'cognito:groups': 'deputy' } },
    ],
    [
      'groups as the string "organiser"',
      201,
      { role: 'auditor', street: 'DISTRICT', extraClaims: { 'cognito:groups': 'organiser' } },
    ],
    ['groups as an array ["organiser"]', 201, { role: 'organiser' }],
  ];

  it.each(groupCases)('%s → %i', async (_name, status, mint) => {
    const res = await call(await mintToken(mint), WRITE, 'POST');
    expect(res.status, res.text).toBe(status);
    if (status === 403) {
      expect((JSON.parse(res.text) as { message: string }).message).toMatch(/requires the role/);
    }
  });

  // Scope fails closed (issue 12): the organiser group without a stated scope is no organiser,
  // and a street's organiser does not write the district's reference data.
  const scopeCases: [string, Record<string, unknown>, RegExp][] = [
    ['an organiser without a scope claim', { role: 'organiser', street: null }, /needs? a scope/],
    [
      'an organiser with an empty scope',
      { role: 'organiser', extraClaims: { 'custom:street': '' } },
      /needs? a scope/,
    ],
    [
      'an organiser with a scope naming no street',
      { role: 'organiser', street: 'ATLANTIS' },
      /needs? a scope/,
    ],
    ['a district scope in lower case', { role: 'organiser', street: 'district' }, /needs? a scope/],
    [
      'a street organiser on a reference write',
      { role: 'organiser', street: '文冲' },
      /whole district/,
    ],
  ];

  it.each(scopeCases)('%s → 403', async (_name, mint, message) => {
    for (const [path, method] of [
      [WRITE, 'POST'],
      [PROBE, 'GET'],
    ] as const) {
      const res = await call(await mintToken(mint), path, method);
      if (method === 'GET' && message.source.includes('district')) {
        expect(res.status, res.text).toBe(200); // it still reads
        continue;
      }
      expect(res.status, `${method} ${path} ${res.text}`).toBe(403);
      expect((JSON.parse(res.text) as { message: string }).message).toMatch(message);
    }
  });

  it('prints the figures', () => {
    const byStatus = refused.reduce<Record<number, number>>((acc, r) => {
      acc[r.status] = (acc[r.status] ?? 0) + 1;
      return acc;
    }, {});
    console.log(
      `[security jwt] spoiled tokens: ${refused.length}, refused: ${JSON.stringify(byStatus)}, accepted: 0`,
    );
    expect(refused.length).toBeGreaterThanOrEqual(19);
  });
});
