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

/** Waits until the page has loaded what it shows (no loading marker left). */
export async function settled(page: Page): Promise<void> {
  // The console's header is drawn with its first page, never by the static placeholder its
  // index.html shows (the sign-in page, on the issuer, has none).
  if (page.url().startsWith(consoleUrl())) await page.locator('header.top').waitFor();
  await page.locator('main h1').first().waitFor();
  // (Not waitForFunction: the console's CSP refuses evaluated strings, as it should.)
  await expect.poll(() => page.locator('[aria-busy="true"]').count(), { timeout: 20_000 }).toBe(0);
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
