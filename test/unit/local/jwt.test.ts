// Unit: the local issuer's tokens and the JWT authorizer's checks (as HTTP API does them).
import { SignJWT, UnsecuredJWT, exportJWK, generateKeyPair } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLocalIssuer, type LocalIssuer } from '../../../infra/local/api/issuer';
import {
  ForbiddenError,
  UnauthorizedError,
  authorizeJwt,
  stringifyClaim,
  tokenFrom,
} from '../../../infra/local/api/jwt';
import type { LocalJwtAuthorizer } from '../../../infra/local/template';

const issuerUrl = 'http://127.0.0.1:3000/_local/issuer';
const authorizer: LocalJwtAuthorizer = {
  logicalId: 'A',
  name: 'A',
  issuer: issuerUrl,
  audience: ['liandong-local-client'],
  identitySource: ['$request.header.Authorization'],
};

let issuer: LocalIssuer;
beforeAll(async () => {
  issuer = await createLocalIssuer({ issuerUrl, clientId: 'liandong-local-client' });
});

const check = (token: string | undefined, scopes: string[] = []) =>
  authorizeJwt(token, authorizer, issuer.jwks, scopes);

describe('local issuer + JWT authorizer', () => {
  it('accepts its own token and passes claims as API Gateway does (arrays as "[a b]")', async () => {
    const token = await issuer.mintToken({
      groups: ['organiser', 'deputy'],
      street: '文冲',
      sub: 's1',
    });
    const { claims, scopes } = await check(token);
    expect(claims['cognito:groups']).toBe('[organiser deputy]');
    expect(claims['custom:street']).toBe('文冲');
    expect(claims.sub).toBe('s1');
    expect(claims.token_use).toBe('id');
    expect(claims.aud).toBe('liandong-local-client');
    expect(claims.iss).toBe(issuerUrl);
    expect(claims.exp).toMatch(/^\d+$/);
    expect(claims.email_verified).toBe('true');
    expect(scopes).toBeNull();
  });

  it('states an organiser’s scope: DISTRICT unless a street is given; null leaves it out', async () => {
    const scopeOf = async (options: Parameters<LocalIssuer['mintToken']>[0]) =>
      (await check(await issuer.mintToken(options))).claims['custom:street'];
    expect(await scopeOf({ role: 'organiser' })).toBe('DISTRICT');
    expect(await scopeOf({ role: 'organiser', street: 'WENCHONG' })).toBe('WENCHONG');
    expect(await scopeOf({ role: 'organiser', street: null })).toBeUndefined();
    expect(await scopeOf({ role: 'auditor' })).toBeUndefined();
  });

  it('rejects a missing token, an expired token and another issuer', async () => {
    await expect(check(undefined)).rejects.toThrow(UnauthorizedError);
    await expect(
      check(await issuer.mintToken({ role: 'auditor', ttlSeconds: -10 })),
    ).rejects.toThrow(UnauthorizedError);
    // extraClaims cannot replace iss or aud: the issuer sets them last.
    const pinned = await issuer.mintToken({ role: 'auditor', extraClaims: { iss: 'x', aud: 'y' } });
    await expect(check(pinned)).resolves.toBeDefined();
    const other = await createLocalIssuer({
      issuerUrl: 'http://elsewhere',
      clientId: 'liandong-local-client',
    });
    await expect(check(await other.mintToken({ role: 'auditor' }))).rejects.toThrow(
      UnauthorizedError,
    );
  });

  it('checks aud, else client_id, against the audience list', async () => {
    const sign = async (claims: Record<string, unknown>) => {
      const key = await generateKeyPair('RS256');
      const jwk = { ...(await exportJWK(key.publicKey)), kid: 'k' };
      const token = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'k' })
        .setIssuer(issuerUrl)
        .setExpirationTime('1h')
        .sign(key.privateKey);
      return authorizeJwt(token, authorizer, { keys: [jwk] });
    };
    await expect(sign({ aud: 'other' })).rejects.toThrow(/audience/);
    await expect(sign({ client_id: 'liandong-local-client' })).resolves.toBeDefined();
    await expect(sign({ client_id: 'other' })).rejects.toThrow(/audience/);
    await expect(sign({ aud: ['x', 'liandong-local-client'] })).resolves.toBeDefined();
  });

  it('rejects alg none, HS256 and a token without exp', async () => {
    const none = new UnsecuredJWT({ aud: 'liandong-local-client' })
      .setIssuer(issuerUrl)
      .setExpirationTime('1h')
      .encode();
    await expect(check(none)).rejects.toThrow(UnauthorizedError);
    const hs = await new SignJWT({ aud: 'liandong-local-client' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(issuerUrl)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('a-shared-secret-of-32-bytes-long!!'));
    await expect(check(hs)).rejects.toThrow(UnauthorizedError);
    const key = await generateKeyPair('RS256');
    const noExp = await new SignJWT({ aud: 'liandong-local-client' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k' })
      .setIssuer(issuerUrl)
      .sign(key.privateKey);
    const jwk = { ...(await exportJWK(key.publicKey)), kid: 'k' };
    await expect(authorizeJwt(noExp, authorizer, { keys: [jwk] })).rejects.toThrow(/exp/);
  });

  it('rejects a token that is not yet valid (nbf)', async () => {
    const token = await issuer.mintToken({
      role: 'deputy',
      extraClaims: { nbf: Math.floor(Date.now() / 1000) + 600 },
    });
    await expect(check(token)).rejects.toThrow(UnauthorizedError);
  });

  it('requires one of the route scopes when the route has scopes (403 otherwise)', async () => {
    const token = await issuer.mintToken({ role: 'deputy', extraClaims: { scope: 'a b' } });
    await expect(check(token, ['b'])).resolves.toMatchObject({ scopes: ['a', 'b'] });
    await expect(check(token, ['c'])).rejects.toThrow(ForbiddenError);
  });

  it('refuses unknown roles when minting', async () => {
    await expect(issuer.mintToken({ groups: ['admin'] })).rejects.toThrow(/unknown group/);
    await expect(issuer.mintToken({})).rejects.toThrow(/role or groups/);
  });
});

describe('tokenFrom', () => {
  it('takes the token with or without the Bearer prefix', () => {
    const src = ['$request.header.Authorization'];
    expect(tokenFrom({ authorization: 'Bearer abc' }, src)).toBe('abc');
    expect(tokenFrom({ authorization: 'abc' }, src)).toBe('abc');
    expect(tokenFrom({}, src)).toBeUndefined();
    expect(tokenFrom({ authorization: '  ' }, src)).toBeUndefined();
  });
});

describe('stringifyClaim', () => {
  it('renders values as API Gateway does', () => {
    expect(stringifyClaim(['organiser', 'deputy'])).toBe('[organiser deputy]');
    expect(stringifyClaim(1700000000)).toBe('1700000000');
    expect(stringifyClaim(false)).toBe('false');
    expect(stringifyClaim({ b: 1, a: 'x' })).toBe('map[a:x b:1]');
  });
});
