// End-to-end: editing reference data and the jurisdiction in the organisers' console, in Debian's
// Chromium (playwright-core) on the local cloud. An organiser of the whole district edits one
// deputy (first refused by the API, the refused field marked and focused), a department and a
// routing rule by clicking, and reads each change back through the API; on the jurisdiction page
// saves the district and all its streets unchanged (nothing lost in the round trip) and edits a
// liaison station. A street's organiser may edit its own street's stations only; an auditor finds
// no write action on either page, and the API refuses the writes anyway. Both pages pass axe-core
// (no serious or critical violation), with the edit forms open too; the jurisdiction page is
// screenshotted at 1366×768 into docs/screenshots/.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../integration/support/api';
import { SCREEN, axeViolations, check, go, signIn } from '../support/console-browser';
import { launchChromium } from './chromium';

const RUN = Date.now().toString(36);
const district = api({ role: 'organiser', sub: `org-cref-${RUN}`, street: 'DISTRICT' });
const auditor = api('auditor');

// The street of this run's rule and station (one of the demo district's; no other test routes
// elderly care there, and the rule is deactivated at the end).
const STREET = 'JIUFO';
const CATEGORY = 'ELDERLY_CARE';
const RULE_ID = `${CATEGORY}:${STREET}`;
const DEPUTY_NAME = `参考代表${RUN}`;
const DEPARTMENT_A = `参考部门甲${RUN}`;
const DEPARTMENT_B = `参考部门乙${RUN}`;
const STATION_ID = `cref-${RUN}`;
const STATION = { zh: `参考联络站${RUN}`, en: `Reference station ${RUN}` };

interface Deputy {
  id: string;
  name: string;
  email?: string;
  group?: string;
  seats: { level: string; body: string }[];
}
interface Department {
  id: string;
  name: string;
  emails: string[];
}
interface Station {
  id: string;
  name: { zh: string; en: string };
  online: boolean;
  active: boolean;
}
interface Jurisdiction {
  district: Record<string, unknown>;
  streets: { code: string; liaisonStations: Station[] }[];
  updatedAt: string;
}

async function created<T>(method: string, path: string, body: unknown): Promise<T> {
  const res = await district.request<T>(method, path, { body });
  expect(res.status, `${method} ${path}: ${res.text}`).toBeLessThan(300);
  return res.json;
}

const read = async <T>(path: string): Promise<T> => {
  const res = await district.get<T>(path);
  expect(res.status, `GET ${path}: ${res.text}`).toBe(200);
  return res.json;
};

const readJurisdiction = async () =>
  (await read<{ jurisdiction: Jurisdiction }>('/jurisdiction')).jurisdiction;

/** The `name` attribute of the control that has the focus. */
const focusedName = (page: Page) =>
  page.evaluate(() => {
    const active = (
      globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string } } }
    ).document.activeElement;
    return active?.getAttribute('name') ?? null;
  });

describe('editing reference data and the jurisdiction in the console, in Chromium', () => {
  let browser: Browser;
  let deputyId = '';
  let departmentA = '';
  let departmentB = '';
  const errors: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    deputyId = (
      await created<{ deputy: Deputy }>('POST', '/deputies', {
        name: DEPUTY_NAME,
        email: `cref-${RUN}@deputies.example.org`,
        seats: [{ level: 'DISTRICT', body: '区人民代表大会' }],
        group: `参考联组${RUN}`,
        street: STREET,
      })
    ).deputy.id;
    const department = async (name: string, mailbox: string) =>
      (
        await created<{ department: Department }>('POST', '/departments', {
          name,
          emails: [`${mailbox}-${RUN}@departments.example.org`],
          categories: [CATEGORY],
        })
      ).department.id;
    departmentA = await department(DEPARTMENT_A, 'cref-a');
    departmentB = await department(DEPARTMENT_B, 'cref-b');
    await created('POST', '/routing-rules', {
      category: CATEGORY,
      street: STREET,
      departmentId: departmentA,
    });
    await created('PUT', `/jurisdiction/streets/${STREET}/liaison-stations/${STATION_ID}`, {
      name: STATION,
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('lets an organiser of the district edit a deputy, a department and a routing rule', async () => {
    const context = await browser.newContext({ viewport: SCREEN, locale: 'zh-CN' });
    const page = await context.newPage();
    page.on('pageerror', (err) => errors.push(err.message));
    await signIn(page, /全区/);

    // A deputy: found by name, edited in a form prefilled from GET /deputies/{id}.
    await go(page, '#/reference/deputies');
    await page.getByRole('search').getByLabel(/^姓名/).fill(DEPUTY_NAME);
    const row = page.locator('tbody tr', { hasText: DEPUTY_NAME });
    await expect.poll(() => row.count(), { timeout: 20_000 }).toBe(1);
    await row.getByRole('button', { name: `编辑 Edit：${DEPUTY_NAME}` }).click();
    const form = page.getByRole('form', { name: new RegExp(`编辑代表 ${DEPUTY_NAME}`) });
    await expect.poll(() => focusedName(page), { timeout: 20_000 }).toBe('name');
    await expect(form.getByLabel(/^邮箱/).inputValue()).resolves.toBe(
      `cref-${RUN}@deputies.example.org`,
    );
    await expect(form.getByLabel(/^联组/).inputValue()).resolves.toBe(`参考联组${RUN}`);
    // A second seat without its congress: the browser lets it through, the API names the field.
    const secondSeat = form.getByRole('group', { name: /代表职务 2/ });
    await secondSeat.getByLabel(/^层级/).selectOption('MUNICIPAL');
    await Promise.all([
      page.waitForResponse(
        (r) => r.url().endsWith(`/deputies/${deputyId}`) && r.request().method() === 'PATCH',
      ),
      form.getByRole('button', { name: /保存/ }).click(),
    ]);
    const body = secondSeat.getByLabel(/^人大/);
    await expect.poll(() => body.getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => focusedName(page)).toBe('seats.1.body');
    await expect(secondSeat.locator('.field-error').textContent()).resolves.toMatch(
      /^不能为空 must not be empty/,
    );
    await expect(form.getByRole('alert').textContent()).resolves.toContain('请修改标出的栏目');
    expect((await read<{ deputy: Deputy }>(`/deputies/${deputyId}`)).deputy.seats).toHaveLength(1);
    await expect(axeViolations(page)).resolves.toEqual([]);
    await body.fill('广州市人民代表大会');
    await form.getByLabel(/^联组/).fill(`参考联组${RUN}乙`);
    await form.getByLabel(/^邮箱/).fill(`cref-new-${RUN}@deputies.example.org`);
    await form.getByRole('button', { name: /保存/ }).click();
    await expect
      .poll(() => page.getByRole('status').textContent(), { timeout: 20_000 })
      .toContain(`已保存 Saved: ${DEPUTY_NAME}`);
    const { deputy } = await read<{ deputy: Deputy }>(`/deputies/${deputyId}`);
    expect(deputy).toMatchObject({
      name: DEPUTY_NAME,
      email: `cref-new-${RUN}@deputies.example.org`,
      group: `参考联组${RUN}乙`,
      seats: [
        { level: 'DISTRICT', body: '区人民代表大会' },
        { level: 'MUNICIPAL', body: '广州市人民代表大会' },
      ],
    });
    // The list (same filter) shows the change without leaving the page.
    await expect.poll(() => row.textContent(), { timeout: 20_000 }).toContain(`参考联组${RUN}乙`);

    // A department: renamed and given a second address.
    await go(page, '#/reference/departments');
    await page
      .locator('tbody tr', { hasText: DEPARTMENT_A })
      .getByRole('button', { name: /^编辑/ })
      .click();
    const department = page.getByRole('form', { name: new RegExp(`编辑承办部门 ${DEPARTMENT_A}`) });
    await department.getByLabel(/^名称/).fill(`${DEPARTMENT_A}城区`);
    const emails = department.getByLabel(/^邮箱/);
    await emails.fill(`${await emails.inputValue()}, second-${RUN}@departments.example.org`);
    await check(page, 'console-reference-edit');
    await department.getByRole('button', { name: /保存/ }).click();
    await expect
      .poll(() => page.getByRole('status').textContent(), { timeout: 20_000 })
      .toContain('已保存');
    const changed = (await read<{ department: Department }>(`/departments/${departmentA}`))
      .department;
    expect(changed.name).toBe(`${DEPARTMENT_A}城区`);
    expect(changed.emails).toHaveLength(2);
    expect(changed.emails).toContain(`second-${RUN}@departments.example.org`);

    // The routing rule: its department changed from A to B, then the rule deactivated.
    await go(page, '#/reference/rules');
    const rule = page.locator('tbody tr', { hasText: RUN });
    await expect
      .poll(() => rule.textContent(), { timeout: 20_000 })
      .toContain(`${DEPARTMENT_A}城区`);
    await rule.getByRole('button', { name: /^编辑/ }).click();
    const ruleForm = page.getByRole('form', { name: /编辑分办规则/ });
    await ruleForm.getByLabel(/^承办部门/).selectOption({ label: DEPARTMENT_B });
    await ruleForm.getByRole('button', { name: /保存/ }).click();
    await expect.poll(() => rule.textContent(), { timeout: 20_000 }).toContain(DEPARTMENT_B);
    const routing = async () =>
      (
        await read<{ routingRule: { departmentId: string; active: boolean } }>(
          `/routing-rules/${encodeURIComponent(RULE_ID)}`,
        )
      ).routingRule;
    expect(await routing()).toMatchObject({ departmentId: departmentB, active: true });
    await rule.getByRole('button', { name: /停用/ }).click();
    await expect.poll(() => rule.textContent(), { timeout: 20_000 }).toContain('否 No');
    expect(await routing()).toMatchObject({ departmentId: departmentB, active: false });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('lets an organiser of the district save the district and edit a liaison station', async () => {
    const context = await browser.newContext({ viewport: SCREEN, locale: 'zh-CN' });
    const page = await context.newPage();
    page.on('pageerror', (err) => errors.push(err.message));
    await signIn(page, /全区/);
    const before = await readJurisdiction();
    await go(page, '#/jurisdiction');
    const names = before.district.name as { zh: string; en: string };
    await expect(page.locator('main h2').first().textContent()).resolves.toContain(names.zh);
    await expect(page.locator('tbody tr').count()).resolves.toBe(before.streets.length);
    await check(page, 'console-jurisdiction');

    // The district and every street in one form: a new street without its names is refused
    // (the field named), then the form saved as it was loaded changes nothing.
    await page.getByRole('button', { name: /编辑辖区与街道/ }).click();
    const form = page.getByRole('form', { name: /编辑辖区与街道/ });
    await expect.poll(() => focusedName(page)).toBe('district.name.zh');
    const added = form.getByRole('group', { name: /新增街道或镇/ });
    await added.getByLabel(/^代码/).fill(`CREF${RUN.toUpperCase()}`);
    await form.getByRole('button', { name: /保存辖区/ }).click();
    const newName = `streets.${before.streets.length}.name.zh`;
    await expect.poll(() => focusedName(page), { timeout: 20_000 }).toBe(newName);
    await expect(added.locator('.field-error').first().textContent()).resolves.toContain(
      '不能为空',
    );
    await check(page, 'console-jurisdiction-edit');
    await added.getByLabel(/^代码/).fill('');
    const [put] = await Promise.all([
      page.waitForResponse(
        (r) => r.url().endsWith('/jurisdiction') && r.request().method() === 'PUT',
      ),
      form.getByRole('button', { name: /保存辖区/ }).click(),
    ]);
    expect(put.status()).toBe(200);
    await expect
      .poll(() => page.getByRole('status').textContent(), { timeout: 20_000 })
      .toContain('已保存');
    const after = await readJurisdiction();
    expect(after.district).toEqual(before.district);
    expect(after.streets).toEqual(before.streets);

    // The run's liaison station: renamed and made an online station.
    await page.getByRole('button', { name: `编辑 Edit：${STATION.zh}` }).click();
    const station = page.getByRole('form', { name: new RegExp(`编辑联络站 ${STATION.zh}`) });
    await station.getByLabel(/^名称（英文）/).fill(`${STATION.en} online`);
    await station.getByLabel(/网上联络站/).check();
    await station.getByRole('button', { name: /保存联络站/ }).click();
    await expect
      .poll(() => page.getByRole('status').textContent(), { timeout: 20_000 })
      .toContain(`已保存 Saved: ${STATION.zh}`);
    const stored = (await readJurisdiction()).streets
      .find((s) => s.code === STREET)!
      .liaisonStations.find((s) => s.id === STATION_ID);
    expect(stored).toMatchObject({
      name: { zh: STATION.zh, en: `${STATION.en} online` },
      online: true,
      active: true,
    });
    // The note comes with the answer; the table is drawn again once GET /jurisdiction answers.
    await expect
      .poll(() => page.locator('tbody tr', { hasText: STATION.zh }).textContent(), {
        timeout: 20_000,
      })
      .toContain(`${STATION.en} online`);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("lets a street's organiser edit only its own street's liaison stations", async () => {
    const context = await browser.newContext({ viewport: SCREEN, locale: 'zh-CN' });
    const page = await context.newPage();
    await signIn(page, /组织者（(?!全区)/);
    await go(page, '#/jurisdiction');
    await expect(page.getByRole('button', { name: /编辑辖区与街道/ }).count()).resolves.toBe(0);
    // The edit buttons are all in one row: the organiser's own street.
    const rowsWithEdits = page.locator('tbody tr', {
      has: page.getByRole('button', { name: /^编辑/ }),
    });
    await expect(rowsWithEdits.count()).resolves.toBe(1);
    await expect(
      page.locator('tbody tr', { hasText: STATION.zh }).getByRole('button').count(),
    ).resolves.toBe(0);
    // Nor does the reference page offer it a write the API keeps for the district's organisers.
    await go(page, '#/reference/departments');
    await expect(
      page
        .locator('main button, main form.inline-form')
        .filter({ hasNotText: /上一页|下一页/ })
        .count(),
    ).resolves.toBe(0);
    await context.close();
  });

  it('shows an auditor both pages with no write action, and the API refuses the writes', async () => {
    const context = await browser.newContext({ viewport: SCREEN, locale: 'zh-CN' });
    const page = await context.newPage();
    await signIn(page, /审计/);
    for (const hash of [
      '#/reference/deputies',
      '#/reference/departments',
      '#/reference/rules',
      '#/reference/committees',
      '#/jurisdiction',
    ]) {
      await go(page, hash);
      await page.locator('tbody tr').first().waitFor();
      // Only the list's own pager may be a button; no edit, deactivate, add or save.
      await expect(
        page
          .locator('main button, main form.inline-form, main details.change')
          .filter({ hasNotText: /上一页|下一页/ })
          .count(),
        hash,
      ).resolves.toBe(0);
    }
    await check(page, 'console-auditor-jurisdiction');
    await go(page, '#/reference/deputies');
    await expect(axeViolations(page)).resolves.toEqual([]);
    for (const [method, path, body] of [
      ['PATCH', `/deputies/${deputyId}`, { group: '审计员尝试' }],
      ['PATCH', `/departments/${departmentB}`, { name: '审计员尝试' }],
      ['PATCH', `/routing-rules/${encodeURIComponent(RULE_ID)}`, { active: true }],
      [
        'PUT',
        `/jurisdiction/streets/${STREET}/liaison-stations/${STATION_ID}`,
        { name: { zh: '审计员尝试', en: 'Auditor' } },
      ],
    ] as const) {
      expect((await auditor.request(method, path, { body })).status, path).toBe(403);
    }
    await context.close();
  });
});
