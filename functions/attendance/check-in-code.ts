import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '../shared/errors.js';
import { ID_PATTERN } from '../shared/ids.js';
import { signedToken, verifiedToken } from '../shared/signed-token.js';

/**
 * Short-lived activity codes for check-in by QR code: `<activityId>.<expiry>.<signature>`,
 * where expiry is Unix seconds in base 36 and the signature the first 16 bytes of
 * HMAC-SHA256(secret, "liandong:check-in:v1:<activityId>:<expiry>") in base64url. URL-safe,
 * about 60 characters. A code names an activity and expires; it is NOT a credential: the
 * deputy still signs in, and the check-in API checks their invitation.
 */

export const DEFAULT_CODE_TTL_SECONDS = 15 * 60;
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

export const issueCheckInCode = (
  secret: string,
  activityId: string,
  now: Date,
  ttlSeconds: number = DEFAULT_CODE_TTL_SECONDS,
): { code: string; expiresAt: string } => {
  if (!ID_PATTERN.test(activityId)) throw new Error(`Not an activity id: ${activityId}`);
  const expiresAtSeconds = Math.floor(now.getTime() / 1000) + Math.max(1, Math.floor(ttlSeconds));
  return {
    code: signedToken(secret, 'check-in', activityId, expiresAtSeconds),
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
  const verified = verifiedToken(secret, 'check-in', CODE_PATTERN, code);
  if (!verified) throw new CheckInCodeError('INVALID');
  const { id: activityId } = verified;
  const expiresAtMs = verified.expiresAt * 1000;
  if (!Number.isSafeInteger(expiresAtMs)) throw new CheckInCodeError('INVALID');
  if (now.getTime() >= expiresAtMs) throw new CheckInCodeError('EXPIRED');
  return { activityId, expiresAt: new Date(expiresAtMs).toISOString() };
};

// --- the venue's short code ---------------------------------------------------------------

/** How long the venue's short code shows before the next one; the previous one is still taken. */
export const VENUE_CODE_STEP_SECONDS = 5 * 60;
const VENUE_CODE_DIGITS = 6;
export const VENUE_CODE_PATTERN = /^[0-9]{6}$/;

const venueCodeAt = (secret: string, activityId: string, window: number): string => {
  const digest = createHmac('sha256', secret)
    .update(`liandong:venue-code:v1:${activityId}:${window}`, 'utf8')
    .digest();
  return String(digest.readUInt32BE(0) % 10 ** VENUE_CODE_DIGITS).padStart(VENUE_CODE_DIGITS, '0');
};

/**
 * The six digits the venue shows beside its QR code (issue 14): derived from the activity and
 * the current {@link VENUE_CODE_STEP_SECONDS} window, so it rotates and proves presence, not
 * identity. A deputy types it on their personal page: identity comes from their link, presence
 * from this code; neither alone checks anyone in.
 */
export const venueCodeOf = (
  secret: string,
  activityId: string,
  now: Date,
): { venueCode: string; expiresAt: string } => {
  if (!ID_PATTERN.test(activityId)) throw new Error(`Not an activity id: ${activityId}`);
  const window = Math.floor(now.getTime() / 1000 / VENUE_CODE_STEP_SECONDS);
  return {
    venueCode: venueCodeAt(secret, activityId, window),
    expiresAt: new Date((window + 1) * VENUE_CODE_STEP_SECONDS * 1000).toISOString(),
  };
};

/** Whether `code` is the venue code of now or of the window before (a code read just as it turned). */
export const isVenueCode = (
  secret: string,
  activityId: string,
  code: string,
  now: Date,
): boolean => {
  if (!VENUE_CODE_PATTERN.test(code)) return false;
  const window = Math.floor(now.getTime() / 1000 / VENUE_CODE_STEP_SECONDS);
  const given = Buffer.from(code, 'utf8');
  let match = false;
  for (const w of [window, window - 1]) {
    // Both compared, in constant time: no early exit tells which window matched.
    match =
      timingSafeEqual(given, Buffer.from(venueCodeAt(secret, activityId, w), 'utf8')) || match;
  }
  return match;
};
