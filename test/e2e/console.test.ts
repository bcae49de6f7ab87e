// End-to-end: the organisers' console in Debian's Chromium (playwright-core) on the local cloud.
// An organiser signs in through the OAuth 2.0 code flow with PKCE (the local issuer's sign-in
// page), imports the roster of the guest deputies from Baiyun District, and runs the article's
// cross-inspection of Huangpu by clicking: schedule it with the invitee picker, find it under
// "waiting on me", open check-in (the deputies check in through the API meanwhile), close
// attendance, close findings, work the chairmen's-meeting docket and approve; then finds the
// referral in the 督办 list. An auditor sees the same pages without a write action, and the API
// refuses the writes anyway. Every page is checked with axe-core (no serious or critical
// violation) and screenshotted at 1366×768 into docs/screenshots/.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLink } from '../../functions/shared/data/links';
import { demoDepartments } from '../../infra/local/seed';
import { api } from '../integration/support/api';
import { linkSigningKey, linkStore } from '../integration/support/referral';
import { seedRoutingFixture } from '../integration/support/reference';
import { SCREEN, check, consoleUrl, go, settled, signIn } from '../support/console-browser';
import { launchChromium } from './chromium';

const RUN = Date.now().toString(36);
const GROUP = `白云区人大代表交叉检查组${RUN}`;
const TITLE = '白云区人大代表交叉检查黄埔区';
const DEPARTMENT = {
  id: `dept-e2e-city-${RUN}`,
  name: '黄埔区城市管理和综合执法局',
  email: `city-${RUN}@departments.example.org`,
};
const COMMITTEE = {
  id: `cmte-e2e-city-${RUN}`,
  name: '城建环保工委',
  email: `city-cmte-${RUN}@committees.example.org`,
};
/** Where the re-routed referral goes: the demo district's market regulation bureau. */
const MARKET_REGULATION = demoDepartments().find((d) => d.id === 'dept-market-regulation')!;
/** The roster of the guest deputies (CSV, as the standing committee office receives it). */
const ROSTER = [
  'name,email,level1,body1,level2,body2,group',
  `白云代表甲,by1-${RUN}@deputies.example.org,MUNICIPAL,广州市人民代表大会,DISTRICT,广州市白云区人民代表大会,${GROUP}`,
  `白云代表乙,by2-${RUN}@deputies.example.org,DISTRICT,广州市白云区人民代表大会,,,${GROUP}`,
  `白云代表丙,by3-${RUN}@deputies.example.org,TOWN,广州市白云区太和镇人民代表大会,,,${GROUP}`,
  `白云代表丁,by4-${RUN}@deputies.example.org,PROVINCIAL,广东省人民代表大会,,,${GROUP}`,
].join('\n');
const BAD_ROSTER = [
  'name,email,level1,body1,group',
  `白云代表戊,not-an-email,DISTRICT,广州市白云区人民代表大会,${GROUP}`,
].join('\n');

/** Beijing wall-clock time `minutes` from now, as a datetime-local input takes it. */
const beijingLocal = (minutes: number) =>
  new Date(Date.now() + minutes * 60_000 + 8 * 3_600_000).toISOString().slice(0, 16);

describe('the organisers’ console, in Chromium', () => {
  let browser: Browser;
  let organiserPage: Page;
  let activityId = '';
  let deputyIds: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    await seedRoutingFixture({
      department: DEPARTMENT,
      category: 'SANITATION',
      street: 'HUANGPU',
      committee: COMMITTEE,
    });
    const context = await browser.newContext({ viewport: SCREEN, locale: 'zh-CN' });
    organiserPage = await context.newPage();
    organiserPage.on('pageerror', (err) => errors.push(err.message));
    // Uncaught script errors only: a refused request (the bad roster's 422) is the API's answer.
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('signs an organiser in with the code flow and PKCE', async () => {
    const page = organiserPage;
    await page.goto(consoleUrl());
    await page.waitForURL(/\/oauth2\/authorize\?/);
    await check(page, 'console-sign-in');
    await page.getByRole('button', { name: /全区/ }).click();
    await page.waitForURL((url) => url.pathname.endsWith('/console/') && !url.search);
    await check(page, 'console-today');
    // The organiser's scope in words: the whole district, not its code.
    await expect(page.locator('main p').first().textContent()).resolves.toMatch(/· 全区/);
    // The console's files carry the strict CSP (no inline script, no eval).
    const csp = (await page.request.get(`${consoleUrl()}app.js`)).headers()[
      'content-security-policy'
    ];
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe');
  });

  it('imports the guest deputies’ roster, naming the faulty line first', async () => {
    const page = organiserPage;
    await go(page, '#/reference/deputies');
    const file = page.locator('input[type="file"][name="roster"]');
    await file.setInputFiles({
      name: 'bad.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(BAD_ROSTER),
    });
    await page.getByRole('button', { name: '导入 Import', exact: true }).click();
    await expect(page.getByRole('alert').first().textContent()).resolves.toMatch(/第 2 行.*email/s);
    await file.setInputFiles({
      name: 'baiyun.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(ROSTER),
    });
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/deputies/import')),
      page.getByRole('button', { name: '导入 Import', exact: true }).click(),
    ]);
    expect(response.status()).toBe(201);
    deputyIds = ((await response.json()) as { deputies: { id: string }[] }).deputies.map(
      (d) => d.id,
    );
    expect(deputyIds).toHaveLength(4);
    await page.getByRole('status').waitFor();
    await check(page, 'console-reference-deputies');
  });

  it('schedules the cross-inspection with the invitee picker', async () => {
    const page = organiserPage;
    await go(page, '#/activities');
    await check(page, 'console-activities');
    await page.getByRole('link', { name: /安排活动/ }).click();
    await settled(page);
    await page.getByLabel(/活动类型/).selectOption('CROSS_INSPECTION');
    await page.getByLabel(/^标题 Title$/).fill(TITLE);
    await page.getByLabel(/^街道/).first().selectOption('HUANGPU');
    await page.getByLabel(/^地点 Location$/).fill('黄埔街道辖区');
    await page.getByLabel(/^开始（北京时间）/).fill(beijingLocal(60));
    await page.getByLabel(/^结束（北京时间）/).fill(beijingLocal(240));
    await page.getByLabel(/^检查方/).fill('白云区');
    await page.getByLabel(/^被检查方/).fill('黄埔区');
    await page.getByRole('searchbox', { name: /联组/ }).fill(GROUP);
    await page.getByRole('button', { name: /全选本页 4 位/ }).click();
    await expect(page.locator('.picker legend').textContent()).resolves.toContain('(4)');
    await check(page, 'console-schedule');
    await page.getByRole('button', { name: /排期并发出邀请/ }).click();
    await page.waitForURL(/#\/activities\/(?!new$)[^/]+$/);
    activityId = decodeURIComponent(page.url().split('#/activities/')[1] ?? '');
    await settled(page);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain(TITLE);
  });

  it('shows it under "waiting on me" with the action it needs', async () => {
    const page = organiserPage;
    const row = page.locator('tr', { hasText: TITLE });
    await expect
      .poll(
        async () => {
          await go(page, '#/today');
          return row.count();
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toBeGreaterThan(0);
    await expect(row.first().textContent()).resolves.toContain('开始签到');
    await check(page, 'console-today-waiting');
    await row.first().getByRole('link', { name: TITLE }).click();
    await settled(page);
  });

  it('withdraws one invitation with the picker of the change form', async () => {
    const page = organiserPage;
    const change = page.locator('details.change');
    await change.locator('summary').click();
    await change.getByRole('searchbox', { name: /联组/ }).fill(GROUP);
    await change.getByRole('checkbox', { name: /白云代表丁/ }).check();
    await change.getByLabel(/^所选代表/).selectOption('remove');
    const changedAt = new Date().toISOString();
    await Promise.all([
      page.waitForResponse(
        (r) => r.request().method() === 'PATCH' && r.url().endsWith(`/activities/${activityId}`),
      ),
      change.getByRole('button', { name: /变更并通知/ }).click(),
    ]);
    const view = await api('organiser').get<{ activity: { counts: { invited: number } } }>(
      `/activities/${activityId}`,
    );
    expect(view.json.activity.counts.invited).toBe(3);
    // The change ends the workflow's wait for the start: it sends the notices and waits again,
    // from the new times; until then there is no step to open check-in at.
    await expect
      .poll(
        async () =>
          (
            await api('organiser').get<{ activity: { pendingTask?: { since: string } } }>(
              `/activities/${activityId}`,
            )
          ).json.activity.pendingTask?.since ?? '',
        { timeout: 30_000 },
      )
      .toSatisfy((since: string) => since >= changedAt);
    await page.reload();
    await settled(page);
  });

  it('opens check-in, shows attendance live with the venue QR code, closes attendance', async () => {
    const page = organiserPage;
    await page.getByRole('button', { name: /开始签到/ }).click();
    await page.locator('.qr img').waitFor({ timeout: 30_000 });
    await expect(page.locator('.venue-code strong').textContent()).resolves.toMatch(/^\d{6}$/);
    for (const id of deputyIds.slice(0, 3)) {
      const res = await api({ role: 'deputy', sub: id }).post(
        `/activities/${activityId}/check-ins`,
        {},
      );
      expect(res.status, res.text).toBe(201);
    }
    // Live while check-in is open: the page follows the check-ins before anything is sealed.
    await expect
      .poll(() => page.getByTestId('attended').textContent(), { timeout: 30_000 })
      .toBe('3');
    // The invitations and answers follow: the three check-ins by the deputies' own page.
    const invitations = page.locator('section[aria-labelledby="invitations"] tbody tr');
    await expect
      .poll(() => invitations.filter({ hasText: '本人页面' }).count(), { timeout: 30_000 })
      .toBe(3);
    await check(page, 'console-activity-check-in');
    await page.getByRole('button', { name: /结束签到/ }).click();
    // Person-times by level are sealed when attendance closes (the API computes them then).
    await expect
      .poll(() => page.getByTestId('attended').textContent(), { timeout: 30_000 })
      .toBe('3');
    await page.getByRole('button', { name: /结束问题收集/ }).waitFor({ timeout: 30_000 });
  });

  it('works the chairmen’s-meeting docket and approves', async () => {
    const page = organiserPage;
    const deputy = api({ role: 'deputy', sub: deputyIds[0]! });
    const findings = [
      {
        kind: 'INSPECTION_ISSUE',
        category: 'SANITATION',
        description: '农贸市场周边垃圾清运不及时，夜间堆放',
        place: '黄埔街道农贸市场',
        needsReferral: true,
      },
      {
        kind: 'INSPECTION_ISSUE',
        category: 'SANITATION',
        description: '市场东门垃圾桶满溢',
        place: '黄埔街道农贸市场东门',
        needsReferral: true,
      },
      {
        kind: 'SUGGESTION',
        category: 'OTHER',
        description: '建议公布垃圾清运时间表',
        place: '黄埔街道农贸市场',
        needsReferral: true,
      },
    ];
    for (const finding of findings) {
      const res = await deputy.post(`/activities/${activityId}/findings`, finding);
      expect(res.status, res.text).toBe(201);
    }
    await page.reload();
    await settled(page);
    await page.getByRole('button', { name: /结束问题收集/ }).click();
    await page.locator('#docket').waitFor({ timeout: 30_000 });
    await settled(page);
    const items = page.locator('.docket-item form[aria-label^="决定"]');
    await expect.poll(() => items.count()).toBe(3);
    // The first: refer to the department; the second: merged into the first; the third answered.
    const decide = async (
      index: number,
      decision: string,
      fill: (form: ReturnType<Page['locator']>) => Promise<void>,
    ) => {
      const form = page.locator('.docket-item form[aria-label^="决定"]').nth(index);
      await form.getByLabel(/^决定/).selectOption(decision);
      await fill(form);
      await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/review/decisions') && r.status() === 200),
        form.getByRole('button', { name: /记录决定/ }).click(),
      ]);
      await settled(page);
    };
    await decide(0, 'REFER', async (form) => {
      await form.getByLabel(/承办部门/).selectOption(DEPARTMENT.id);
      await form.getByLabel(/理由/).fill('市容环境卫生，由城管部门办理');
    });
    await decide(1, 'MERGE', async (form) => {
      await form.getByLabel(/理由/).fill('同一市场的同类问题');
    });
    await decide(2, 'ANSWER_DIRECTLY', async (form) => {
      await form.getByLabel(/^答复/).fill('街道已在市场公告栏公布清运时间');
      await form.getByLabel(/理由/).fill('现场已答复');
    });
    const referral = page.locator('.docket-item form[aria-label^="督办"]').first();
    await referral.getByLabel(/督办工委/).selectOption(COMMITTEE.id);
    await Promise.all([
      page.waitForResponse((r) => /\/review\/referrals\//.test(r.url()) && r.status() === 200),
      referral.getByRole('button', { name: /保存督办/ }).click(),
    ]);
    await settled(page);
    await check(page, 'console-activity-docket');
    await page.getByRole('button', { name: /审定并交办/ }).click();
    await expect
      .poll(async () => page.locator('.status strong').textContent(), { timeout: 30_000 })
      .toMatch(/交办中|已完成/);
  });

  it('finds the referral in the 督办 list of its committee, and opens it', async () => {
    const page = organiserPage;
    await go(page, '#/referrals');
    await page.getByLabel(/督办工委/).selectOption(COMMITTEE.id);
    const row = page.locator('tbody tr', { hasText: DEPARTMENT.name });
    await expect.poll(() => row.count(), { timeout: 20_000 }).toBe(1);
    await check(page, 'console-referrals');
    await row.getByRole('link').click();
    await settled(page);
    await check(page, 'console-referral');
  });

  it('re-routes the referral its department returned: a department chosen in a dialog', async () => {
    const page = organiserPage;
    const referralId = decodeURIComponent(page.url().split('#/referrals/')[1] ?? '');
    const organiser = api('organiser');
    const view = async () =>
      (
        await organiser.get<{
          referral: {
            departmentId: string;
            waitingOn: { code: string } | null;
            pendingTask: { phase: string } | null;
          };
        }>(`/referrals/${referralId}`)
      ).json.referral;
    // Its department returns it on its response page, through the link its email carried.
    await expect
      .poll(async () => (await view()).pendingTask?.phase, { timeout: 30_000 })
      .toBe('DEPARTMENT');
    const token = await createLink(linkStore(), await linkSigningKey(), {
      purpose: 'RESPOND',
      referralId,
      round: 1,
      ttlSeconds: 3600,
    });
    const returned = await api(null).request('POST', `/respond/${token}`, {
      body: new URLSearchParams({
        action: 'RETURN',
        reason: '市场内部保洁由市场监管部门督促落实，不属于本局职责',
      }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(returned.status, returned.text.slice(0, 300)).toBe(200);
    await expect
      .poll(async () => (await view()).waitingOn?.code, { timeout: 30_000 })
      .toBe('REROUTE');
    await page.reload();
    await settled(page);
    // What it waits on, in words (not the API's code).
    await page.locator('main').getByText('待改派（部门已退回）').waitFor();

    const rerouteRequests: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/reroute')) rerouteRequests.push(r.method());
    });
    await page.getByRole('button', { name: /改派部门/ }).click();
    const dialog = page.getByRole('dialog', { name: /改派给其他部门/ });
    await dialog.waitFor();
    const chooser = dialog.getByLabel(/^改派给/);
    // The modal dialog takes focus to its first field: the department chooser.
    await expect(
      chooser.evaluate((select) => select === select.ownerDocument.activeElement),
    ).resolves.toBe(true);
    // The chooser offers the active departments, not the one that returned it.
    const offered = await chooser
      .locator('option')
      .evaluateAll((options) =>
        options.map((option) => (option as unknown as { value: string }).value),
      );
    expect(offered).toContain(MARKET_REGULATION.id);
    expect(offered).not.toContain(DEPARTMENT.id);
    // Nothing chosen, then a reason of spaces: refused in the dialog, nothing sent.
    const send = dialog.getByRole('button', { name: /^改派部门/ });
    await send.click();
    await expect(dialog.getByRole('alert').textContent()).resolves.toMatch(/请填写“改派给/);
    await chooser.selectOption(MARKET_REGULATION.id);
    await dialog.getByLabel(/^改派理由/).fill('   ');
    await send.click();
    await expect(dialog.getByRole('alert').textContent()).resolves.toMatch(/请填写“改派理由/);
    expect(rerouteRequests).toEqual([]);
    await dialog.getByLabel(/^改派理由/).fill('农贸市场内部环境卫生由市场监管部门督促');
    // Filled in, the field is no longer marked and the refusal goes.
    await expect(dialog.getByRole('alert').count()).resolves.toBe(0);
    await check(page, 'console-referral-reroute');
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/reroute') && r.status() === 200),
      send.click(),
    ]);
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await expect
      .poll(() => page.locator('.facts').textContent(), { timeout: 20_000 })
      .toContain(MARKET_REGULATION.name);
    expect((await view()).departmentId).toBe(MARKET_REGULATION.id);
  });

  it('cancels an activity in a dialog that asks why', async () => {
    const page = organiserPage;
    const startsAt = Date.now() + 3 * 86_400_000;
    const scheduled = await api('organiser').post<{ activity: { id: string } }>(
      '/activities',
      {
        title: '白云区人大代表回访黄埔区农贸市场',
        type: 'THEMATIC_RESEARCH',
        street: 'HUANGPU',
        location: '黄埔街道农贸市场',
        startsAt: new Date(startsAt).toISOString(),
        endsAt: new Date(startsAt + 2 * 3_600_000).toISOString(),
        invitedDeputyIds: deputyIds.slice(0, 2),
      },
      { 'idempotency-key': `e2e-cancel-${RUN}` },
    );
    expect(scheduled.status, scheduled.text).toBe(201);
    await go(page, `#/activities/${encodeURIComponent(scheduled.json.activity.id)}`);
    await page.getByRole('button', { name: /取消活动/ }).click();
    const dialog = page.getByRole('dialog', { name: /取消活动/ });
    await dialog.waitFor();
    const send = dialog.getByRole('button', { name: /确认取消活动/ });
    await send.click();
    await expect(dialog.getByRole('alert').textContent()).resolves.toMatch(/请填写“取消原因/);
    await dialog.getByLabel(/^取消原因/).fill('市场整改已完成，回访改为书面了解');
    await expect(dialog.getByRole('alert').count()).resolves.toBe(0);
    await check(page, 'console-activity-cancel');
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/cancel') && [200, 202].includes(r.status())),
      send.click(),
    ]);
    await expect
      .poll(() => page.locator('.status strong').textContent(), { timeout: 20_000 })
      .toBe('已取消 Cancelled');
  });

  it('shows statistics and the activity report', async () => {
    const page = organiserPage;
    await go(page, '#/statistics');
    await page.locator('figure svg').first().waitFor();
    await check(page, 'console-statistics');
    await expect
      .poll(
        async () =>
          (
            await api('organiser').get<{ activity: { status: string } }>(
              `/activities/${activityId}`,
            )
          ).json.activity.status,
        { timeout: 30_000 },
      )
      .toBe('COMPLETED');
    await go(page, `#/activities/${encodeURIComponent(activityId)}/report`);
    await page.locator('.report h2').first().waitFor({ timeout: 20_000 });
    // Styled by the console's stylesheet (its CSP refuses the report's inline styles).
    const layout = await page
      .locator('.report dl')
      .first()
      .evaluate(
        (dl) =>
          (
            globalThis as unknown as { getComputedStyle: (e: unknown) => { display: string } }
          ).getComputedStyle(dl).display,
      );
    expect(layout).toBe('grid');
    await check(page, 'console-activity-report');
    await go(page, '#/reference/departments');
    await check(page, 'console-reference-departments');
    // A committee added, then deactivated, by clicking (POST /committees, …/deactivate).
    await go(page, '#/reference/committees');
    const form = page.getByRole('form', { name: /新增督办工委/ });
    await page.getByText('新增督办工委').click();
    await form.getByLabel(/^名称/).fill(`监察和司法工委${RUN}`);
    await form.getByLabel(/^邮箱/).fill(`jsgw-${RUN}@committees.example.org`);
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/committees') && r.status() === 201),
      form.getByRole('button', { name: /新增/ }).click(),
    ]);
    const added = page.locator('tbody tr', { hasText: `监察和司法工委${RUN}` });
    await expect.poll(() => added.count(), { timeout: 20_000 }).toBe(1);
    await check(page, 'console-reference-committees');
    await added.getByRole('button', { name: /停用/ }).click();
    await expect.poll(() => added.textContent(), { timeout: 20_000 }).toContain('否 No');
    expect(errors).toEqual([]);
  });

  it('shows an auditor the same pages with no write action, and the API refuses the writes', async () => {
    const context = await browser.newContext({ viewport: SCREEN, locale: 'zh-CN' });
    const page = await context.newPage();
    await signIn(page, /审计/);
    const hashes = [
      '#/today',
      '#/activities',
      `#/activities/${encodeURIComponent(activityId)}`,
      '#/referrals',
      '#/reference/deputies',
      '#/statistics',
    ];
    for (const hash of hashes) {
      await go(page, hash);
      await expect(
        page
          .locator(
            'main button.primary, main button.danger, main form.inline-form, main a.button.primary, input[type="file"]',
          )
          .count(),
        hash,
      ).resolves.toBe(0);
    }
    // The activity as the auditor reads it (the loop ended on the statistics).
    await go(page, `#/activities/${encodeURIComponent(activityId)}`);
    await check(page, 'console-auditor-activity');
    const auditor = api('auditor');
    for (const [path, body] of [
      [`/activities/${activityId}/cancel`, { reason: '审计员尝试' }],
      [`/activities/${activityId}/review/approve`, undefined],
      ['/deputies/import', undefined],
    ] as const) {
      expect((await auditor.post(path, body)).status, path).toBe(403);
    }
    await context.close();
  });
});
