// End-to-end: a department answers a referral in a real browser (Debian's Chromium driven by
// playwright-core) on the local cloud. The referral workflow emails the department; the link is
// taken from that email in the local SES store; the page shows the referral; the reply is
// submitted through the form; the workflow leaves AwaitDepartment (stored state, audit trail,
// execution history). Part of the integration project (one local cloud per run).
import {
  DescribeExecutionCommand,
  StartExecutionCommand,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../functions/shared/data/audit';
import { keys } from '../../functions/shared/data/keys';
import { eventually, executionHistory, rawItem } from '../integration/support/activity';
import { sfnClient, waitForMail } from '../integration/support/aws';
import { localCloud, stateMachineArn } from '../integration/support/cloud';
import { referralChain, seedReferral } from '../integration/support/referral';
import { openChromium, type ChromiumSession } from './chromium';

const XSS = '<script>alert(1)</script><img src=x onerror=alert(2)>';

const enteredStates = (events: HistoryEvent[]): string[] =>
  events.flatMap((e) =>
    e.stateEnteredEventDetails?.name ? [e.stateEnteredEventDetails.name] : [],
  );

/** An activity with one finding, its department, and a DISPATCHED referral (as the review leaves it). */
const seedDispatchedReferral = () =>
  seedReferral({
    referral: { status: 'DISPATCHED' },
    finding: { description: `文冲村雨后积水严重，影响居民出行 ${XSS}` },
    text: XSS,
  });

/** The response link of the department's email, pointed at the local API. */
function responseLink(text: string): string {
  const token = /\/respond\/([A-Za-z0-9_.%~-]+)/.exec(text)?.[1];
  if (!token) throw new Error(`no response link in the email:\n${text}`);
  return `${localCloud().api}/respond/${token}`;
}

describe('department response in Chromium', () => {
  let browser: ChromiumSession | undefined;
  let page: Page;
  const dialogs: string[] = [];

  beforeAll(async () => {
    browser = await openChromium();
    page = browser.page;
    // Any script that ran (an alert of the injected markup) would open a dialog.
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('opens the emailed link, reads the referral, replies, and the workflow moves on', async () => {
    const { referralId, departmentEmail } = await seedDispatchedReferral();

    // DispatchReferrals starts exactly this: name = referral id, input {referralId}.
    const { executionArn } = await sfnClient().send(
      new StartExecutionCommand({
        stateMachineArn: stateMachineArn('ReferralWorkflow'),
        name: referralId,
        input: JSON.stringify({ referralId }),
      }),
    );

    const mail = await waitForMail(
      (sent) => sent.some((m) => m.destination.to.includes(departmentEmail)),
      30_000,
    );
    const email = mail.find((m) => m.destination.to.includes(departmentEmail))!;
    expect(email.subject).not.toMatch(/[\r\n]/);
    const link = responseLink(`${email.body.text ?? ''}\n${email.body.html ?? ''}`);

    // The department waits on the page only once the workflow stored its task token.
    await eventually(
      () => rawItem(keys.referral(referralId)),
      (r) => (r?.pendingTask as { phase?: string } | undefined)?.phase === 'DEPARTMENT',
    );
    const before = await rawItem(keys.referral(referralId));

    // Read: the referral, in Chinese first, escaped; the resident stays out of it.
    const shown = await page.goto(link);
    expect(shown?.status()).toBe(200);
    await expect(page.locator('h1').first().innerText()).resolves.toContain('问题转交办理');
    const body = await page.locator('body').innerText();
    expect(body).toContain('文冲村雨后积水严重');
    expect(body).toContain('<script>alert(1)</script>'); // shown as text, not run
    expect(body).not.toContain('王某某');
    expect(body).not.toContain('13800000000');
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    // A GET (and the browser's prefetching) changes nothing.
    await page.reload();
    expect(await rawItem(keys.referral(referralId))).toEqual(before);

    // Reply through the form.
    await page.selectOption('select[name="result"]', 'RESOLVED');
    await page.fill('textarea[name="text"]', '已完成排水管疏通，积水问题已解决。');
    const [posted] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url() === link),
      page.locator('form:has(input[name="action"][value="REPLY"]) button[type="submit"]').click(),
    ]);
    expect(posted.status()).toBe(200);
    await page.waitForLoadState();
    await expect(page.locator('h1').first().innerText()).resolves.toContain('已收到');

    // The workflow advanced: the token was used, the referral is replied (or further on).
    const after = await eventually(
      () => rawItem(keys.referral(referralId)),
      (r) =>
        (r?.pendingTask as { phase?: string } | undefined)?.phase !== 'DEPARTMENT' &&
        ['REPLIED', 'CLOSED'].includes(String(r?.status)),
    );
    expect(after?.reply).toMatchObject({ result: 'RESOLVED' });
    const events = await eventually(
      () => executionHistory(executionArn!),
      (h) => enteredStates(h).includes('SendFeedback'),
    );
    const states = enteredStates(events);
    expect(states.slice(0, 2)).toEqual(['SendReferralEmail', 'AwaitDepartment']);
    expect(states).toContain('RouteOutcome');
    expect(states).toContain('SendFeedback');
    const execution = await sfnClient().send(new DescribeExecutionCommand({ executionArn }));
    expect(execution.status).not.toBe('FAILED');

    const audit = await referralChain(referralId);
    expect(audit.map((e) => e.action)).toEqual(
      expect.arrayContaining(['REFERRAL_SENT', 'REFERRAL_REPLIED']),
    );
    expect(verifyChain(audit).ok).toBe(true);

    // Opened again, the page shows the reply on record; no script ever ran.
    await page.goto(link);
    expect(await page.locator('body').innerText()).toContain('已完成排水管疏通');
    expect(dialogs).toEqual([]);
  });
});
