import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '../shared/errors.js';
import { ID_PATTERN } from '../shared/ids.js';

/**
 * Short-lived activity codes for check-in by QR code: `<activityId>.<expiry>.<signature>`,
 * where expiry is Unix seconds in base 36 and the signature the first 16 bytes of
 * HMAC-SHA256(secret, "liandong:check-in:v1:<activityId>:<expiry>") in base64url. URL-safe,
 * about 60 characters. A code names an activity and expires; it is NOT a credential: the
 * deputy still signs in, and the check-in API checks their invitation.
 */

export const DEFAULT_CODE_TTL_SECONDS = 15 * 60;
const SIGNATURE_BYTES = 16;
const CODE_PATTERN = /^([0-9A-HJKMNP-TV-Z]{26})\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{22})$/;

/** A check-in code that does not verify (400) or has expired (410). */
export class CheckInCodeError extends AppError {
  override readonly name = 'CheckInCodeError';
  readonly statusCode: 400 | 410;
  readonly reason: 'INVALID' | 'EXPIRED';

  constructor(reason: 'INVALID' | 'EXPIRED') {
    super(
      reason === 'EXPIRED'
        ? 'This check-in code has expired; ask the organiser for a new QR code'
        : 'This is not a valid check-in code',
    );
    this.reason = reason;
    this.statusCode = reason === 'EXPIRED' ? 410 : 400;
  }
}

const sign = (secret: string, activityId: string, expiry: string) =>
  createHmac('sha256', secret)
    .update(`liandong:check-in:v1:${activityId}:${expiry}`, 'utf8')
    .digest()
    .subarray(0, SIGNATURE_BYTES);

export const issueCheckInCode = (
  secret: string,
  activityId: string,
  now: Date,
  ttlSeconds: number = DEFAULT_CODE_TTL_SECONDS,
): { code: string; expiresAt: string } => {
  if (!ID_PATTERN.test(activityId)) throw new Error(`Not an activity id: ${activityId}`);
  const expiresAtSeconds = Math.floor(now.getTime() / 1000) + Math.max(1, Math.floor(ttlSeconds));
  const expiry = expiresAtSeconds.toString(36);
  const signature = sign(secret, activityId, expiry).toString('base64url');
  return {
    code: `${activityId}.${expiry}.${signature}`,
    expiresAt: new Date(expiresAtSeconds * 1000).toISOString(),
  };
};

/**
 * The activity a code names, or `CheckInCodeError`: INVALID for anything malformed or wrongly
 * signed (the signature is checked before the expiry, so a forged code never reads "expired"),
 * EXPIRED once its time has passed.
 */
export const verifyCheckInCode = (
  secret: string,
  code: string,
  now: Date,
): { activityId: string; expiresAt: string } => {
  const match = CODE_PATTERN.exec(code);
  if (!match) throw new CheckInCodeError('INVALID');
  const [, activityId, expiry, signature] = match as unknown as [string, string, string, string];
  const expected = sign(secret, activityId, expiry);
  const given = Buffer.from(signature, 'base64url');
  // Only the canonical spelling: the unused low bits of the last character would otherwise
  // give one signature several accepted spellings (as links.ts).
  if (
    given.length !== expected.length ||
    given.toString('base64url') !== signature ||
    !timingSafeEqual(given, expected)
  ) {
    throw new CheckInCodeError('INVALID');
  }
  const expiresAtMs = parseInt(expiry, 36) * 1000;
  if (!Number.isSafeInteger(expiresAtMs)) throw new CheckInCodeError('INVALID');
  if (now.getTime() >= expiresAtMs) throw new CheckInCodeError('EXPIRED');
  return { activityId, expiresAt: new Date(expiresAtMs).toISOString() };
};
