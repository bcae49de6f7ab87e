import { randomBytes } from 'node:crypto';

// Crockford base32 (no I, L, O, U): case-insensitive, URL- and execution-name-safe.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A ULID-shaped id: 10 characters of millisecond time then 16 of randomness, so ids sort by
 * creation time. Fits Step Functions execution names (1–80 of `[A-Za-z0-9-_]`).
 */
export const newId = (now: Date = new Date()): string => {
  let time = now.getTime();
  let timePart = '';
  for (let i = 0; i < 10; i++) {
    timePart = ALPHABET[time % 32] + timePart;
    time = Math.floor(time / 32);
  }
  const random = randomBytes(16);
  let randomPart = '';
  for (const byte of random) randomPart += ALPHABET[byte % 32];
  return timePart + randomPart;
};

export const ID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;
