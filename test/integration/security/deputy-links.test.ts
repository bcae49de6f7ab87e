// Integration (local cloud, through the local HTTP API): the link suite of links.test.ts extended
// to the deputies' purposes (DEPUTY_ACTIVITY, DEPUTY_HOME). Tampered links (generated bit flips,
// swapped ids and signatures, garbage), another deputy's link, another activity's, a home link
// on the activity page and back, expired links and replayed POSTs: each refused (403, 410) or
// answered "already done", and nothing changes (every item of the activities' partitions and of
// the link records is compared). Markup in every text field a deputy can post is shown as text.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../../functions/shared/data/keys';
import { DEMO_DEPUTY_IDS } from '../../../infra/local/seed';
import { createDeputyLink, tokenOfLink } from '../../../functions/shared/data/links';
import { getInvitation } from '../../../functions/shared/data/invitations';
import { openCheckIn, scheduleActivity, waitForPhase } from '../support/activity';
import { api } from '../support/api';
import { partitionItems } from '../support/aws';
import { linkSigningKey, linkStore } from '../support/referral';

const RUN = Date.now().toString(36);
const XSS = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'&';
const organiser = api({ role: 'organiser', sub: `org-deputy-links-${RUN}` });
const anonymous = api(null);
const A = DEMO_DEPUTY_IDS.wenchong;
const B = DEMO_DEPUTY_IDS.municipalAndDistrict;
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const BAD_LINKS = 300;

let activityX = '';
let activityY = '';
/** Personal links: A and B of activity X, A of activity Y. */
const link = { AX: '', BX: '', AY: '', expired: '', home: '' };
const linkIds: string[] = [];

const schedule = (title: string, invited: string[]) =>
  scheduleActivity(organiser, { title, location: '文冲街道', invitedDeputyIds: invited });

const pageLinkOf = async (activityId: string, deputyId: string) => {
  const invitation = await getInvitation(linkStore(), activityId, deputyId);
  if (!invitation?.pageLink) throw new Error(`no personal link for ${deputyId}`);
  linkIds.push(invitation.pageLink.linkId);
  return tokenOfLink(
    await linkSigningKey(),
    invitation.pageLink.linkId,
    invitation.pageLink.expiresAt,
  );
};

async function snapshot(): Promise<unknown[]> {
  const pks = [
    keys.activity(activityX).pk,
    keys.activity(activityY).pk,
    ...linkIds.map((id) => keys.link(id).pk),
  ];
  return partitionItems(pks);
}

const post = (path: string, fields: Record<string, string>) =>
  anonymous.request('POST', path, {
    body: new URLSearchParams(fields).toString(),
    headers: FORM,
  });

const answer = (token: string, response: string, note = '') =>
  post(`/deputy/${encodeURIComponent(token)}`, { action: 'ANSWER', response, note });

beforeAll(async () => {
  [activityX, activityY] = await Promise.all([
    schedule(`链接安全 X ${RUN}`, [A, B]),
    schedule(`链接安全 Y ${RUN}`, [A]),
  ]);
  await Promise.all([
    waitForPhase(organiser, activityX, 'START'),
    waitForPhase(organiser, activityY, 'START'),
  ]);
  link.AX = await pageLinkOf(activityX, A);
  link.BX = await pageLinkOf(activityX, B);
  link.AY = await pageLinkOf(activityY, A);
  const key = await linkSigningKey();
  const expired = await createDeputyLink(linkStore(), key, {
    purpose: 'DEPUTY_ACTIVITY',
    deputyId: A,
    activityId: activityX,
    ttlSeconds: 1,
  });
  const home = await createDeputyLink(linkStore(), key, {
    purpose: 'DEPUTY_HOME',
    deputyId: A,
    ttlSeconds: 3600,
  });
  link.expired = expired.token;
  link.home = home.token;
  linkIds.push(expired.linkId, home.linkId);
  await new Promise((resolve) => setTimeout(resolve, 1500)); // the 1-second link expires
});

describe("deputies' links", () => {
  it('GET shows the page of the link and writes nothing', async () => {
    const before = await snapshot();
    for (const token of [link.AX, link.BX, link.AY]) {
      const res = await anonymous.get(`/deputy/${encodeURIComponent(token)}`);
      expect(res.status, res.text.slice(0, 300)).toBe(200);
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    }
    expect((await anonymous.get(`/my-activities/${encodeURIComponent(link.home)}`)).status).toBe(
      200,
    );
    expect(await snapshot()).toEqual(before);
  });

  it("acts only as the link's deputy on the link's activity", async () => {
    expect((await answer(link.BX, 'DECLINED')).status).toBe(200);
    const [a, b, ay] = await Promise.all([
      getInvitation(linkStore(), activityX, A),
      getInvitation(linkStore(), activityX, B),
      getInvitation(linkStore(), activityY, A),
    ]);
    expect(b).toMatchObject({ response: 'DECLINED' });
    expect(a).not.toHaveProperty('response');
    expect(ay).not.toHaveProperty('response');
    // A's link of Y answers Y only.
    expect((await answer(link.AY, 'ACCEPTED')).status).toBe(200);
    expect(await getInvitation(linkStore(), activityX, A)).not.toHaveProperty('response');
  });

  it('a replayed POST answers "already done" and changes nothing', async () => {
    expect((await answer(link.AX, 'ACCEPTED', '准时')).status).toBe(200);
    const before = await snapshot();
    const again = await answer(link.AX, 'ACCEPTED', '准时');
    expect(again.status).toBe(200);
    expect(again.text).toContain('已办理');
    expect(await snapshot()).toEqual(before);
  });

  it('expired: 410 on GET and POST, nothing changed', async () => {
    const before = await snapshot();
    const path = `/deputy/${encodeURIComponent(link.expired)}`;
    expect((await anonymous.get(path)).status).toBe(410);
    expect((await answer(link.expired, 'DECLINED')).status).toBe(410);
    expect(await snapshot()).toEqual(before);
  });

  it('a home link is no activity link, and an activity link is no home link', async () => {
    expect((await anonymous.get(`/deputy/${encodeURIComponent(link.home)}`)).status).toBe(403);
    expect((await answer(link.home, 'DECLINED')).status).toBe(403);
    expect((await anonymous.get(`/my-activities/${encodeURIComponent(link.AX)}`)).status).toBe(403);
  });

  it(`${BAD_LINKS} tampered and swapped links: 0 accepted, 0 writes`, async () => {
    const before = await snapshot();
    const valid = [link.AX, link.BX, link.AY];
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const flip = fc
      .tuple(
        fc.constantFrom(...valid),
        fc.constantFrom(0, 2),
        fc.nat(),
        fc.integer({ min: 1, max: 63 }),
      )
      .map(([token, part, index, shift]) => {
        const parts = token.split('.') as [string, string, string];
        const text = parts[part];
        const i = index % text.length;
        parts[part] =
          text.slice(0, i) +
          alphabet[(alphabet.indexOf(text[i]!) + shift) % 64]! +
          text.slice(i + 1);
        return parts.join('.');
      });
    // Another link's id (another deputy, another activity) with this one's signature.
    const swapped = fc.tuple(fc.nat(), fc.integer({ min: 1, max: 2 })).map(([a, d]) => {
      const x = valid[a % 3]!.split('.');
      const y = valid[(a + d) % 3]!.split('.');
      return `${x[0]}.${x[1]}.${y[2]}`;
    });
    const extended = fc.constantFrom(...valid).map((token) => {
      const [id, expiry, signature] = token.split('.') as [string, string, string];
      return `${id}.${(parseInt(expiry, 36) + 86_400).toString(36)}.${signature}`;
    });
    const garbage = fc.oneof(
      fc.string({ minLength: 1, maxLength: 60 }),
      fc.constantFrom('.', 'a.b.c', `${XSS}`, '%00'),
    );
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(flip, swapped, extended, garbage).filter((token) => !valid.includes(token)),
        fc.boolean(),
        async (token, isPost) => {
          // Paced under the stage throttle (50 rps), as a client would be: 429 is not the answer
          // under test, and a drained bucket would refuse the next test's calls too.
          await new Promise((resolve) => setTimeout(resolve, 30));
          const path = `/deputy/${encodeURIComponent(token)}`;
          const res = isPost
            ? await post(path, { action: 'ANSWER', response: 'DECLINED', note: '' })
            : await anonymous.get(path);
          if (res.status < 300) accepted++;
          expect([403, 404, 410], `${token}: ${res.status}`).toContain(res.status);
          expect(res.text).not.toContain('<script>alert');
        },
      ),
      { numRuns: BAD_LINKS, seed: 14_2026 },
    );
    expect(accepted).toBe(0);
    expect(await snapshot()).toEqual(before);
  }, 300_000);

  it('markup in every text field a deputy posts is shown as text', async () => {
    expect((await answer(link.BX, 'ACCEPTED', XSS)).status).toBe(200);
    await openCheckIn(organiser, activityX);
    const page = await anonymous.get(`/deputy/${encodeURIComponent(link.BX)}`);
    const formId = /name="formId" value="([0-9A-Z]{26})"/.exec(page.text)?.[1];
    expect(formId).toBeDefined();
    const recorded = await post(`/deputy/${encodeURIComponent(link.BX)}`, {
      action: 'FINDING',
      formId: formId!,
      kind: 'SUGGESTION',
      category: 'OTHER',
      place: XSS,
      description: XSS,
      needsReferral: 'on',
      residentName: XSS,
      residentContact: XSS,
    });
    expect(recorded.status, recorded.text.slice(0, 400)).toBe(200);
    const shown = await anonymous.get(`/deputy/${encodeURIComponent(link.BX)}`);
    expect(shown.text).not.toContain('<script>alert');
    expect(shown.text).not.toContain('<img src=x');
    expect(
      shown.text.split('&lt;script&gt;alert(1)&lt;/script&gt;').length - 1,
    ).toBeGreaterThanOrEqual(3);
    // A form that is not the page's (a bad form id, an unknown kind): 422, nothing recorded.
    const before = await snapshot();
    const bad = await post(`/deputy/${encodeURIComponent(link.BX)}`, {
      action: 'FINDING',
      formId: 'x',
      kind: 'SPAM',
      category: 'OTHER',
      place: 'p',
      description: 'd',
    });
    expect(bad.status).toBe(422);
    expect(await snapshot()).toEqual(before);
  });
});
