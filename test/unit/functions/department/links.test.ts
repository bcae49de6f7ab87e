import { beforeEach, describe, expect, it } from 'vitest';
import { keys } from '../../../../functions/shared/data/keys';
import {
  createLink,
  MAX_LINK_TTL_SECONDS,
  verifyLink,
} from '../../../../functions/shared/data/links';
import { LINK_TEST_NOW, linkRefusal, linkTestStore, REFERRAL_ID, SIGNING_KEY } from './fixtures';

const { table, clock, store } = linkTestStore();

describe('signed links', () => {
  beforeEach(() => clock.reset());

  const respondLink = () =>
    createLink(store(), SIGNING_KEY, {
      purpose: 'RESPOND',
      referralId: REFERRAL_ID,
      round: 1,
      ttlSeconds: 3600,
    });

  it('stores the record and returns an opaque token that verifies', async () => {
    const token = await respondLink();
    expect(token).toMatch(/^[A-Za-z0-9_-]{22}\.[0-9a-z]+\.[A-Za-z0-9_-]{22}$/);
    expect(token).not.toContain(REFERRAL_ID);
    const linkId = token.split('.')[0]!;
    expect(table.get(keys.link(linkId).pk, 'LINK')).toMatchObject({
      purpose: 'RESPOND',
      referralId: REFERRAL_ID,
      round: 1,
      expiresAt: Math.floor(LINK_TEST_NOW.getTime() / 1000) + 3600,
    });
    const record = await verifyLink(store(), SIGNING_KEY, token, 'RESPOND');
    expect(record).toMatchObject({ linkId, purpose: 'RESPOND', referralId: REFERRAL_ID, round: 1 });
  });

  it('carries the raiser of a rating link server-side only', async () => {
    const token = await createLink(store(), SIGNING_KEY, {
      purpose: 'RATE',
      referralId: REFERRAL_ID,
      round: 2,
      raiserRef: 'D.dep-0001',
      ttlSeconds: 60,
    });
    expect(token).not.toContain('dep-0001');
    await expect(verifyLink(store(), SIGNING_KEY, token, 'RATE')).resolves.toMatchObject({
      raiserRef: 'D.dep-0001',
      round: 2,
    });
  });

  it('refuses a tampered signature, id or expiry (403)', async () => {
    const token = await respondLink();
    const [id, expiry, signature] = token.split('.') as [string, string, string];
    const flip = (text: string) => (text[0] === 'A' ? 'B' : 'A') + text.slice(1);
    for (const forged of [
      `${id}.${expiry}.${flip(signature)}`,
      `${flip(id)}.${expiry}.${signature}`,
      `${id}.${(parseInt(expiry, 36) + 86_400).toString(36)}.${signature}`,
      `${id}.${expiry}`,
      '',
      `${token}x`,
    ]) {
      const error = await linkRefusal(verifyLink(store(), SIGNING_KEY, forged, 'RESPOND'));
      expect(error.reason).toBe('TAMPERED');
      expect(error.statusCode).toBe(403);
    }
    const wrongKey = await linkRefusal(verifyLink(store(), `${SIGNING_KEY}!`, token, 'RESPOND'));
    expect(wrongKey.reason).toBe('TAMPERED');
  });

  it('refuses another spelling of the same signature (the unused bits of its last character)', async () => {
    const token = await respondLink();
    const [id, expiry, signature] = token.split('.') as [string, string, string];
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(signature.at(-1)!);
    const spellings = [1, 2, 3].map(
      (low) =>
        `${id}.${expiry}.${signature.slice(0, -1)}${alphabet[(last & ~3) | ((last + low) & 3)]}`,
    );
    for (const forged of spellings) {
      // Same 16 bytes once decoded: only the canonical spelling is the signature.
      expect(Buffer.from(forged.split('.')[2]!, 'base64url')).toEqual(
        Buffer.from(signature, 'base64url'),
      );
      const error = await linkRefusal(verifyLink(store(), SIGNING_KEY, forged, 'RESPOND'));
      expect(error.reason).toBe('TAMPERED');
    }
    await expect(verifyLink(store(), SIGNING_KEY, token, 'RESPOND')).resolves.toBeDefined();
  });

  it('refuses an expired link (410), before reading the table', async () => {
    const token = await respondLink();
    clock.now = new Date(LINK_TEST_NOW.getTime() + 3600_000);
    const error = await linkRefusal(verifyLink(store(), SIGNING_KEY, token, 'RESPOND'));
    expect(error.reason).toBe('EXPIRED');
    expect(error.statusCode).toBe(410);
  });

  it('refuses a well-signed link whose record is gone (403)', async () => {
    const token = await respondLink();
    table.items.clear();
    expect((await linkRefusal(verifyLink(store(), SIGNING_KEY, token, 'RESPOND'))).reason).toBe(
      'UNKNOWN',
    );
  });

  it('refuses a link of another purpose (403)', async () => {
    const token = await respondLink();
    const error = await linkRefusal(verifyLink(store(), SIGNING_KEY, token, 'RATE'));
    expect(error.reason).toBe('WRONG_PURPOSE');
    expect(error.statusCode).toBe(403);
  });

  it('rejects lifetimes out of range', async () => {
    for (const ttlSeconds of [0, -5, MAX_LINK_TTL_SECONDS + 1, Number.NaN]) {
      await expect(
        createLink(store(), SIGNING_KEY, {
          purpose: 'RESPOND',
          referralId: REFERRAL_ID,
          round: 1,
          ttlSeconds,
        }),
      ).rejects.toThrow(/lifetime/);
    }
  });
});
