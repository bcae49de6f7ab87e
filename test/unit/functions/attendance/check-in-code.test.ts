// unit test: plain functions
import { describe, expect, it } from 'vitest';
import {
  issueCheckInCode,
  verifyCheckInCode,
} from '../../../../functions/attendance/check-in-code.js';
import { ID, NOW, SECRET } from './fixtures.js';

describe('check-in codes', () => {
  it('round-trips, URL-safe and short', () => {
    const { code, expiresAt } = issueCheckInCode(SECRET, ID, NOW, 900);
    expect(code).toMatch(/^[A-Za-z0-9._-]{40,70}$/);
    expect(verifyCheckInCode(SECRET, code, NOW)).toEqual({ activityId: ID, expiresAt });
  });

  it('is INVALID in any other spelling of its signature', () => {
    const { code } = issueCheckInCode(SECRET, ID, NOW, 60);
    const signature = code.split('.').at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(signature.at(-1)!);
    const unused = (6 - ((Buffer.from(signature, 'base64url').length * 8) % 6)) % 6;
    expect(unused).toBeGreaterThan(0);
    for (let low = 1; low < 2 ** unused; low++) {
      const other = `${code.slice(0, -1)}${alphabet[last ^ low]}`;
      expect(Buffer.from(other.split('.').at(-1)!, 'base64url')).toEqual(
        Buffer.from(signature, 'base64url'),
      );
      expect(() => verifyCheckInCode(SECRET, other, NOW)).toThrow(
        expect.objectContaining({ reason: 'INVALID' }),
      );
    }
  });

  it('is EXPIRED after its time, INVALID when tampered with or signed with another key', () => {
    const { code } = issueCheckInCode(SECRET, ID, NOW, 60);
    expect(() => verifyCheckInCode(SECRET, code, new Date(NOW.getTime() + 60_000))).toThrow(
      expect.objectContaining({ reason: 'EXPIRED', statusCode: 410 }),
    );
    const [id, expiry, signature] = code.split('.') as [string, string, string];
    const later = `${id}.${(parseInt(expiry, 36) + 3600).toString(36)}.${signature}`;
    for (const bad of [later, `${code}x`, 'nonsense', code.replace(ID, ID.slice(0, -1) + 'K')]) {
      expect(() => verifyCheckInCode(SECRET, bad, NOW)).toThrow(
        expect.objectContaining({ reason: 'INVALID', statusCode: 400 }),
      );
    }
    expect(() => verifyCheckInCode(`${SECRET}!`, code, NOW)).toThrow(
      expect.objectContaining({ reason: 'INVALID' }),
    );
  });
});
