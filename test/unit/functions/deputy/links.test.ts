import { beforeEach, describe, expect, it } from 'vitest';
import { keys } from '../../../../functions/shared/data/keys';
import {
  createDeputyLink,
  createLink,
  linkOfToken,
  tokenOfLink,
  verifyDeputyLink,
  verifyLink,
} from '../../../../functions/shared/data/links';
import { LINK_TEST_NOW, linkRefusal, linkTestStore, SIGNING_KEY } from '../department/fixtures';

const { table, clock, store } = linkTestStore();
const ACTIVITY_ID = '01J5ZQ8V6W7X8Y9Z0ABCDEFGHJ';

describe("deputies' links", () => {
  beforeEach(() => clock.reset());

  const activityLink = (deputyId = 'dep-0041', ttlSeconds = 3600) =>
    createDeputyLink(store(), SIGNING_KEY, {
      purpose: 'DEPUTY_ACTIVITY',
      deputyId,
      activityId: ACTIVITY_ID,
      ttlSeconds,
    });

  it('keeps the deputy and the activity server-side: the token names neither', async () => {
    const { token, linkId, expiresAt } = await activityLink();
    expect(token).toMatch(/^[A-Za-z0-9_-]{22}\.[0-9a-z]+\.[A-Za-z0-9_-]{22}$/);
    expect(token).not.toContain('dep-0041');
    expect(token).not.toContain(ACTIVITY_ID);
    expect(table.get(keys.link(linkId).pk, 'LINK')).toMatchObject({
      purpose: 'DEPUTY_ACTIVITY',
      deputyId: 'dep-0041',
      activityId: ACTIVITY_ID,
      expiresAt,
    });
    await expect(verifyDeputyLink(store(), SIGNING_KEY, token, 'DEPUTY_ACTIVITY')).resolves.toEqual(
      {
        linkId,
        purpose: 'DEPUTY_ACTIVITY',
        deputyId: 'dep-0041',
        activityId: ACTIVITY_ID,
        expiresAt,
      },
    );
  });

  it('recomputes the same token from the stored id and expiry (pages show it again)', async () => {
    const { token, linkId, expiresAt } = await activityLink();
    expect(tokenOfLink(SIGNING_KEY, linkId, expiresAt)).toBe(token);
    expect(linkOfToken(token)).toEqual({ linkId, expiresAt });
    expect(tokenOfLink(`${SIGNING_KEY}x`, linkId, expiresAt)).not.toBe(token);
  });

  it('refuses a link of another purpose, both ways', async () => {
    const { token } = await activityLink();
    expect(
      (await linkRefusal(verifyDeputyLink(store(), SIGNING_KEY, token, 'DEPUTY_HOME'))).reason,
    ).toBe('WRONG_PURPOSE');
    expect((await linkRefusal(verifyLink(store(), SIGNING_KEY, token, 'RATE'))).reason).toBe(
      'WRONG_PURPOSE',
    );
    const rate = await createLink(store(), SIGNING_KEY, {
      purpose: 'RATE',
      referralId: ACTIVITY_ID,
      round: 1,
      raiserRef: 'D.dep-0041',
      ttlSeconds: 60,
    });
    expect(
      (await linkRefusal(verifyDeputyLink(store(), SIGNING_KEY, rate, 'DEPUTY_ACTIVITY'))).reason,
    ).toBe('WRONG_PURPOSE');
  });

  it('answers 410 once expired and 403 when tampered with', async () => {
    const { token } = await activityLink('dep-0041', 60);
    const [id, expiry, signature] = token.split('.') as [string, string, string];
    const later = (parseInt(expiry, 36) + 86_400).toString(36);
    const extended = await linkRefusal(
      verifyDeputyLink(store(), SIGNING_KEY, `${id}.${later}.${signature}`, 'DEPUTY_ACTIVITY'),
    );
    expect([extended.reason, extended.statusCode]).toEqual(['TAMPERED', 403]);
    clock.now = new Date(LINK_TEST_NOW.getTime() + 61_000);
    const expired = await linkRefusal(
      verifyDeputyLink(store(), SIGNING_KEY, token, 'DEPUTY_ACTIVITY'),
    );
    expect([expired.reason, expired.statusCode]).toEqual(['EXPIRED', 410]);
  });

  it('needs the activity for an activity link and refuses unknown purposes', async () => {
    await expect(
      createDeputyLink(store(), SIGNING_KEY, {
        purpose: 'DEPUTY_ACTIVITY',
        deputyId: 'dep-0041',
        ttlSeconds: 60,
      }),
    ).rejects.toThrow(/activity id/);
    await expect(
      createDeputyLink(store(), SIGNING_KEY, {
        purpose: 'RESPOND' as never,
        deputyId: 'dep-0041',
        ttlSeconds: 60,
      }),
    ).rejects.toThrow(/Unknown purpose/);
  });
});
