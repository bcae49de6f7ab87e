// The organisers' console as the browser tests drive it (playwright-core in Debian's Chromium):
// its address on the local cloud, signing in as a demo user, going to a page and waiting until it
// has loaded, and the check every page passes (axe-core with no serious or critical violation,
// then a 1366×768 screenshot into docs/screenshots/).
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { localCloud } from '../integration/support/cloud';

const SCREENSHOTS = join(process.cwd(), 'docs', 'screenshots');
/** The screen the console's screenshots are taken at. */
export const SCREEN = { width: 1366, height: 768 };
const AXE_SOURCE = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

export const consoleUrl = (): string => {
  const url = localCloud().console;
  if (!url) throw new Error('the local cloud serves no console: is the template synthesized?');
  return url;
};

/** The headings a console page shows once it has loaded, by its address (the hash route). */
function headingsOf(url: string): RegExp[] {
  const [section, id, sub] = (new URL(url).hash || '#/today').replace(/^#\//, '').split('/');
  switch (section) {
    case 'today':
      return [/^今日待办/, /^等待我处理/, /^逾期督办件/, /^即将开始/];
    case 'activities':
      if (id === 'new') return [/^安排活动/];
      if (sub === 'report') return [/^活动情况报告/];
      // An activity's heading is its title; its sections say it is drawn.
      return id ? [/^邀请与出席/, /^邀请与答复/, /^收集的问题和建议/, /^时间线/] : [/^活动/];
    case 'referrals':
      return id ? [/^转交件/, /^转办的问题/, /^办理经过/] : [/^督办/];
    case 'reference':
      return [/^基础数据/];
    case 'statistics':
      return [/^统计/];
    default:
      return [];
  }
}

/**
 * Waits until the page shows what it loaded: the console's header (drawn with its first page,
 * never by the static placeholder its index.html shows; the sign-in page, on the issuer, has
 * none), the headings its address promises (a hash navigation leaves the last page's heading in
 * place until the new page is drawn), then no loading marker (`aria-busy`, or the 加载中 text)
 * twice in a row 150 ms apart, so a section that mounts and starts loading just after the first
 * look is caught by the second.
 */
export async function settled(page: Page): Promise<void> {
  const inConsole = page.url().startsWith(consoleUrl());
  if (inConsole) await page.locator('header.top').waitFor();
  await page.locator('main h1').first().waitFor();
  for (const heading of inConsole ? headingsOf(page.url()) : []) {
    await page
      .locator('main')
      .getByRole('heading', { name: heading })
      .first()
      .waitFor({ timeout: 20_000 });
  }
  // (Not waitForFunction: the console's CSP refuses evaluated strings, as it should.)
  const loading = async () =>
    (await page.locator('[aria-busy="true"]').count()) +
    (await page.locator('main').getByText('加载中').count());
  await expect
    .poll(
      async () => {
        if ((await loading()) > 0) return false;
        await page.waitForTimeout(150);
        return (await loading()) === 0;
      },
      { timeout: 20_000 },
    )
    .toBe(true);
}

/** The serious and critical axe-core violations (WCAG 2.1 A and AA) of the page as it is now. */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  return (await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run: (o: unknown) => Promise<{
            violations: { id: string; impact: string | null; nodes: { target: unknown }[] }[];
          }>;
        };
      }
    ).axe;
    const result = await axe.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} ${JSON.stringify(v.nodes.map((n) => n.target))}`);
  })) as string[];
}

/** axe-core (no serious or critical violation), then a 1366×768 screenshot named `name`. */
export async function check(page: Page, name: string): Promise<void> {
  await settled(page);
  expect(await axeViolations(page), `${name} axe serious/critical violations`).toEqual([]);
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/** Signs in through the code flow with PKCE as the demo user whose button matches `who`. */
export async function signIn(page: Page, who: RegExp): Promise<void> {
  await page.goto(consoleUrl());
  // The console sends the browser to the authorize endpoint with a PKCE challenge.
  await page.waitForURL(/\/oauth2\/authorize\?/);
  const authorize = new URL(page.url());
  expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
  expect(authorize.searchParams.get('response_type')).toBe('code');
  await page.getByRole('button', { name: who }).click();
  await page.waitForURL((url) => url.pathname.endsWith('/console/') && !url.search);
  await settled(page);
}

/** Opens the console at `hash` and waits until the page has loaded. */
export async function go(page: Page, hash: string): Promise<void> {
  const url = `${consoleUrl()}${hash}`;
  // Another hash of the loaded console is a same-document navigation: the page it names renders
  // only after `goto` returns, so what `settled` saw could be the page before. Load it again.
  const loaded = page.url().startsWith(consoleUrl());
  await page.goto(url);
  if (loaded) await page.reload();
  await settled(page);
}
