import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Tokens `<id>.<expiry>.<signature>` that a person's link or the venue's QR code carries
 * (functions/shared/data/links.ts, functions/attendance/check-in-code.ts): the expiry is Unix
 * seconds in base 36, the signature the first 16 bytes of HMAC-SHA256(secret,
 * "liandong:<kind>:v1:<id>:<expiry>") in base64url (22 characters). The kind keeps a link's
 * signature from verifying as a check-in code and the other way round.
 */

const SIGNATURE_BYTES = 16;

export type SignedTokenKind = 'link' | 'check-in';

export const tokenSignature = (
  secret: string,
  kind: SignedTokenKind,
  id: string,
  expiry: string,
): Buffer =>
  createHmac('sha256', secret)
    .update(`liandong:${kind}:v1:${id}:${expiry}`, 'utf8')
    .digest()
    .subarray(0, SIGNATURE_BYTES);

/** The token of `id` that expires at `expiresAt` (Unix seconds). */
export const signedToken = (
  secret: string,
  kind: SignedTokenKind,
  id: string,
  expiresAt: number,
): string => {
  const expiry = expiresAt.toString(36);
  return `${id}.${expiry}.${tokenSignature(secret, kind, id, expiry).toString('base64url')}`;
};

/**
 * The id and expiry (Unix seconds, not yet compared with the clock) of a token that matches
 * `pattern` (three groups: id, expiry, signature) and whose signature verifies; undefined for
 * anything else, so a forged token is never told apart from a malformed one.
 */
export const verifiedToken = (
  secret: string,
  kind: SignedTokenKind,
  pattern: RegExp,
  token: unknown,
): { id: string; expiresAt: number } | undefined => {
  const match = typeof token === 'string' ? pattern.exec(token) : null;
  if (!match) return undefined;
  const [, id, expiry, signature] = match as unknown as [string, string, string, string];
  const expected = tokenSignature(secret, kind, id, expiry);
  const given = Buffer.from(signature, 'base64url');
  // The last of 22 base64url characters carries 2 unused bits: without the canonical check,
  // four spellings of one signature would all verify (found by the security link test).
  if (
    given.length !== expected.length ||
    given.toString('base64url') !== signature ||
    !timingSafeEqual(given, expected)
  ) {
    return undefined;
  }
  const expiresAt = parseInt(expiry, 36);
  return Number.isSafeInteger(expiresAt) ? { id, expiresAt } : undefined;
};
