// End-to-end: a reception day as the deputies live it, in Debian's Chromium (playwright-core) on
// the local cloud. Two deputies open the personal links of their invitation emails (from the
// local SES store, their calendar attachments parsed by ical.js) on phone-sized pages; one
// accepts, the other declines and then accepts; both check in at the venue (one types the venue
// code, the other scans the QR code on the phone that opened the link); one records a finding with a resident's consent; the organiser approves the
// referral (API); the department replies on its page; the deputy's page shows the reply and the
// rating link. Each deputy page is screenshotted at 375×667 into docs/screenshots/, checked with
// axe-core, and weighed (gzip) against the 14 KB budget.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../functions/shared/data/keys';
import { DEMO_DEPUTY_IDS, DEMO_EMAIL_DOMAIN } from '../../infra/local/seed';
import {
  closeAttendance,
  closeFindings,
  completeReview,
  eventually,
  openCheckIn,
  waitForPhase,
} from '../integration/support/activity';
import { api } from '../integration/support/api';
import { ddbDoc, waitForMail, type SentMail } from '../integration/support/aws';
import { localCloud, tableName } from '../integration/support/cloud';
import { seedRoutingFixture } from '../integration/support/reference';
import { CHROMIUM, CHROMIUM_FLAGS } from './chromium';
import { parseCalendar } from '../support/calendar';

const RUN = Date.now().toString(36);
const TITLE = `代表接待日（文冲联络站）${RUN}`;
const XSS = '<script>alert(1)</script><img src=x onerror=alert(2)>';
const organiser = api({ role: 'organiser', sub: `org-e2e-deputy-${RUN}` });
const DEPUTY_A = DEMO_DEPUTY_IDS.wenchong;
const DEPUTY_B = DEMO_DEPUTY_IDS.townAndDistrict;
const DEPARTMENT = {
  id: `dept-e2e-drain-${RUN}`,
  name: '黄埔区水务局（测试）',
  email: `drain-${RUN}@departments.example.org`,
};
const CATEGORY = 'WATER_POLLUTION';
const COMMITTEE = {
  id: `cmte-e2e-${RUN}`,
  name: '城建环保工委',
  email: `cmte-${RUN}@committees.example.org`,
};
const SCREENSHOTS = join(process.cwd(), 'docs', 'screenshots');
const PHONE = { width: 375, height: 667 };
/** The budget of every person's page (README, docs/performance.md): 14 KB gzip. */
const PAGE_BUDGET_BYTES = 14 * 1024;
const AXE_SOURCE = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

const emailOf = (deputyId: string) => `${deputyId}@${DEMO_EMAIL_DOMAIN}`;

/** The personal link of the deputy's invitation, pointed at the local API. */
const personalLink = (mail: SentMail[], deputyId: string): string => {
  const email = mail.find(
    (m) => m.subject.includes(TITLE) && m.destination.to.includes(emailOf(deputyId)),
  );
  if (!email) throw new Error(`no invitation for ${deputyId}`);
  const token = /\/deputy\/([A-Za-z0-9_.%-]+)/.exec(email.body.text ?? '')?.[1];
  if (!token) throw new Error(`no personal link in the invitation:\n${email.body.text}`);
  expect(email.body.text).not.toContain(deputyId);
  return `${localCloud().api}/deputy/${token}`;
};

/** Page weight as served: the HTML (styles inline, nothing else is loaded), gzipped. */
const gzipBytes = async (page: Page) => gzipSync(Buffer.from(await page.content(), 'utf8')).length;

const figures: Record<string, number> = {};

async function check(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  figures[name] = await gzipBytes(page);
  expect(figures[name], `${name} gzip bytes`).toBeLessThanOrEqual(PAGE_BUDGET_BYTES);
  // Phone-first: nothing wider than the screen.
  const overflow = await page.evaluate(
    'document.documentElement.scrollWidth - document.documentElement.clientWidth',
  );
  expect(overflow, `${name} scrolls sideways`).toBeLessThanOrEqual(0);
  // axe-core, injected by the test (the page itself runs no script: its CSP allows none, so
  // the test adds it through the browser's own evaluation, outside the page's CSP).
  await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run: (o: unknown) => Promise<{ violations: { id: string; nodes: unknown[] }[] }> };
      }
    ).axe;
    const result = await axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
    return result.violations.map((v) => `${v.id} (${v.nodes.length})`);
  })) as string[];
  expect(violations, `${name} axe violations`).toEqual([]);
}

const submit = async (page: Page, form: string) => {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.locator(`${form} button[type="submit"]`).click(),
  ]);
  await page.waitForLoadState();
  return response;
};

describe('a reception day through the deputies’ personal links, in Chromium', () => {
  let browser: Browser;
  let contextA: BrowserContext;
  let contextB: BrowserContext;
  let pageA: Page;
  let pageB: Page;
  const dialogs: string[] = [];

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
    });
    // Two phones: each its own cookies.
    contextA = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
    contextB = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
    pageA = await contextA.newPage();
    pageB = await contextB.newPage();
    for (const page of [pageA, pageB]) {
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
    }
    // A rule is keyed by category and street, and the integration files share one cloud: this
    // run's rule takes a category no other file records in Wenchong (activity-lifecycle's
    // drainage finding there must still reach the demo's water department).
    await seedRoutingFixture({
      department: DEPARTMENT,
      category: CATEGORY,
      street: 'WENCHONG',
      committee: COMMITTEE,
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('invites, answers, checks in, records a finding and follows it to the reply', async () => {
    const scheduled = await organiser.post<{ activity: { id: string } }>('/activities', {
      title: TITLE,
      type: 'RECEPTION_DAY',
      street: 'WENCHONG',
      location: `文冲街道人大代表联络站 ${XSS}`,
      liaisonStations: ['文冲人大代表联络站', `红山联络站 ${XSS}`],
      startsAt: new Date(Date.now() + 3_600_000).toISOString(),
      endsAt: new Date(Date.now() + 3 * 3_600_000).toISOString(),
      invitedDeputyIds: [DEPUTY_A, DEPUTY_B],
    });
    expect(scheduled.status, scheduled.text).toBe(201);
    const id = scheduled.json.activity.id;
    await waitForPhase(organiser, id, 'START');

    const mail = await waitForMail(
      (all) => all.filter((m) => m.subject.includes(TITLE)).length >= 2,
      30_000,
    );
    const linkA = personalLink(mail, DEPUTY_A);
    const linkB = personalLink(mail, DEPUTY_B);
    expect(linkA).not.toBe(linkB);
    const invitation = mail.find((m) => m.subject.includes(TITLE))!;
    expect(invitation.body.text).not.toContain('请登录');
    expect(invitation.body.text).toContain('接待联络站');
    // Each invitation's calendar attachment parses (ical.js): this activity's event, for them.
    for (const deputyId of [DEPUTY_A, DEPUTY_B]) {
      const sent = mail.find(
        (m) => m.subject.includes(TITLE) && m.destination.to.includes(emailOf(deputyId)),
      )!;
      const ics = sent.attachments?.find((a) => a.filename === 'invite.ics');
      expect(ics, `calendar attachment of ${deputyId}`).toBeDefined();
      expect(parseCalendar(Buffer.from(ics!.content, 'base64').toString('utf8'))).toMatchObject({
        method: 'REQUEST',
        uid: `${id}@liandong.activities`,
        summary: TITLE,
        startZone: 'Asia/Shanghai',
        attendee: `mailto:${emailOf(deputyId)}`,
      });
    }

    // Deputy A opens the link: the activity, escaped, Chinese first; a GET changes nothing.
    const invitationKeyA = keys.invitation(id, DEPUTY_A);
    const readInvitation = async (key: { pk: string; sk: string }) =>
      (
        await ddbDoc().send(
          new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }),
        )
      ).Item;
    const before = await readInvitation(invitationKeyA);
    expect((await pageA.goto(linkA))?.status()).toBe(200);
    await pageA.reload();
    expect(await readInvitation(invitationKeyA)).toEqual(before);
    const shown = await pageA.locator('body').innerText();
    expect(shown).toContain(TITLE);
    expect(shown).toContain('<script>alert(1)</script>');
    expect(shown).toContain('红山联络站');
    expect(await pageA.locator('img[src="x"]').count()).toBe(0);
    await check(pageA, 'deputy-invitation');

    // A accepts.
    await pageA.check('input[name="response"][value="ACCEPTED"]');
    await pageA.fill('textarea[name="note"]', '准时到');
    expect((await submit(pageA, 'form:has(input[value="ANSWER"])')).status()).toBe(200);
    expect(await pageA.locator('h1').innerText()).toContain('已完成');
    await check(pageA, 'deputy-answered');
    // The same answer again: already done, nothing changed.
    const afterAccept = await readInvitation(invitationKeyA);
    await pageA.goto(linkA);
    await pageA.check('input[name="response"][value="ACCEPTED"]');
    await pageA.fill('textarea[name="note"]', '准时到');
    await submit(pageA, 'form:has(input[value="ANSWER"])');
    expect(await pageA.locator('h1').innerText()).toContain('已办理');
    expect(await readInvitation(invitationKeyA)).toEqual(afterAccept);

    // B declines, then changes to accept.
    await pageB.goto(linkB);
    await pageB.check('input[name="response"][value="DECLINED"]');
    await pageB.fill('textarea[name="note"]', '当天有会');
    await submit(pageB, 'form:has(input[value="ANSWER"])');
    await pageB.goto(linkB);
    expect(await pageB.locator('body').innerText()).toContain('不参加');
    await pageB.check('input[name="response"][value="ACCEPTED"]');
    await pageB.fill('textarea[name="note"]', '会议改期，可以参加');
    await submit(pageB, 'form:has(input[value="ANSWER"])');
    // The same logic as POST /activities/{id}/invitation/response: two answers on record.
    expect(await readInvitation(keys.invitation(id, DEPUTY_B))).toMatchObject({
      response: 'ACCEPTED',
      responseCount: 2,
    });

    // Check-in opens; the venue shows the QR code and its six digits.
    await openCheckIn(organiser, id);
    const qr = await organiser.get<{ url: string; venueCode: string; code: string }>(
      `/activities/${id}/check-in/qr`,
    );
    expect(qr.status, qr.text).toBe(200);
    expect(qr.json.venueCode).toMatch(/^[0-9]{6}$/);

    // A types the venue code on the personal page (a wrong one first: refused, nothing changed).
    await pageA.goto(linkA);
    expect(await pageA.locator('body').innerText()).not.toContain('提交回复');
    await check(pageA, 'deputy-check-in');
    const wrong = qr.json.venueCode === '000000' ? '111111' : '000000';
    await pageA.fill('input[name="code"]', wrong);
    expect((await submit(pageA, 'form:has(input[value="CHECK_IN"])')).status()).toBe(422);
    expect((await readInvitation(invitationKeyA))?.checkedInAt).toBeUndefined();
    await pageA.goto(linkA);
    await pageA.fill('input[name="code"]', qr.json.venueCode);
    expect((await submit(pageA, 'form:has(input[value="CHECK_IN"])')).status()).toBe(200);
    expect(await readInvitation(invitationKeyA)).toMatchObject({ checkInMethod: 'CODE' });

    // B scans the venue QR code on the phone that opened the link: one tap, no token typed.
    const qrUrl = qr.json.url.replace(/^https?:\/\/[^/]+/, localCloud().api);
    await pageB.goto(linkB); // refreshes the link's cookie (as opening the link does)
    expect((await pageB.goto(qrUrl))?.status()).toBe(200);
    expect(await pageB.locator('input[name="token"]').count()).toBe(0);
    await check(pageB, 'deputy-qr-check-in');
    expect((await submit(pageB, 'form')).status()).toBe(200);
    expect(await readInvitation(keys.invitation(id, DEPUTY_B))).toMatchObject({
      checkInMethod: 'QR',
    });
    // The QR page without the link (another phone): it checks nobody in.
    const stranger = await browser.newContext({ viewport: PHONE });
    const strangerPage = await stranger.newPage();
    await strangerPage.goto(qrUrl);
    expect(await strangerPage.locator('form[method="post"]').count()).toBe(0);
    await stranger.close();

    // A records a finding with a resident's consent; the form's repeat records nothing new.
    await pageA.goto(linkA);
    await pageA.selectOption('select[name="kind"]', 'PROBLEM');
    await pageA.selectOption('select[name="category"]', CATEGORY);
    await pageA.fill('input[name="place"]', '文冲村东路');
    await pageA.fill('textarea[name="description"]', `雨后积水严重，影响出行 ${XSS}`);
    await pageA.fill('input[name="residentName"]', '王某某');
    await pageA.fill('input[name="residentContact"]', 'resident@example.org');
    await pageA.check('input[name="residentConsent"]');
    const recorded = await submit(pageA, 'form:has(input[value="FINDING"])');
    expect(recorded.status()).toBe(200);
    // The same POST again (a double tap, a resent form): already done, nothing new recorded.
    const replayed = await contextA.request.post(recorded.url(), {
      data: recorded.request().postData() ?? '',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(replayed.status()).toBe(200);
    expect(await replayed.text()).toContain('已办理');
    const findings = await organiser.get<{ findings: { id: string }[] }>(
      `/activities/${id}/findings`,
    );
    expect(findings.json.findings).toHaveLength(1);

    // The organiser closes attendance and findings and approves the referral (API).
    await closeAttendance(organiser, id);
    await closeFindings(organiser, id);
    await completeReview(organiser, id, COMMITTEE.id);

    // The department replies on its page.
    const sent = await waitForMail(
      (all) => all.some((m) => m.destination.to.includes(DEPARTMENT.email)),
      60_000,
    );
    const referralMail = sent.find((m) => m.destination.to.includes(DEPARTMENT.email))!;
    const respondToken = /\/respond\/([A-Za-z0-9_.%-]+)/.exec(referralMail.body.text ?? '')?.[1];
    const department = await browser.newContext({ locale: 'zh-CN' });
    const departmentPage = await department.newPage();
    await eventually(
      async () => {
        await departmentPage.goto(`${localCloud().api}/respond/${respondToken}`);
        return departmentPage.locator('select[name="result"]').count();
      },
      (count) => count > 0,
    );
    await departmentPage.selectOption('select[name="result"]', 'RESOLVED');
    await departmentPage.fill('textarea[name="text"]', '已疏通排水管，积水已解决。');
    await submit(departmentPage, 'form:has(input[name="action"][value="REPLY"])');
    await department.close();

    // A's page: the finding, the department's reply, and the rating link.
    await eventually(
      async () => {
        await pageA.goto(linkA);
        return pageA.locator('a[href^="/rate/"]').count();
      },
      (count) => count > 0,
      60_000,
      500,
    );
    const followed = await pageA.locator('body').innerText();
    expect(followed).toContain('已疏通排水管，积水已解决。');
    expect(followed).toContain(DEPARTMENT.name);
    expect(followed).toContain('已转办');
    expect(followed).toContain('王某某');
    expect(followed).toContain('<script>alert(1)</script>');
    await check(pageA, 'deputy-finding-reply');
    await pageA.locator('a[href^="/rate/"]').click();
    await pageA.waitForLoadState();
    expect(await pageA.locator('h1').innerText()).toContain('问题办理结果反馈');

    // No script ran anywhere.
    expect(dialogs).toEqual([]);
    console.info(`deputy page gzip bytes: ${JSON.stringify(figures)}`);
  });
});
