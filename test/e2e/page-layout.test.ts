// Layout in a real browser (Debian's Chromium, playwright-core): the activity report's referrals
// table fits its column at 1000 px (the 办成率 column was cut off, issue 18) and scrolls in its
// own box on a phone, never the page; the department's response page and the rating page never
// run past the page either, nor does the referral email with its signed link. The pages are
// rendered by the functions that serve them, with long names (the widest a district's
// departments have), and loaded as they are served.
import { DEMO_JURISDICTION } from '../../infra/local/demo-jurisdiction';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReportView } from '../../functions/audit-report/model';
import { renderReportHtml } from '../../functions/audit-report/render-page';
import { renderRatingPage, renderResponsePage } from '../../functions/department/pages';
import { renderReferralEmail } from '../../functions/referrals/emails';
import { dueDateOfInstant, endOfChinaDay } from '../../functions/shared/domain/deadlines';
import { viewInput } from '../unit/functions/audit-report/fixtures';
import { openChromium, type ChromiumSession } from './chromium';

const REFERRAL_ID = '01MB6GPKM0FGS7E6VTAJ2AY9GN';
const LONG_NAMES = new Map([
  ['dept-water', '广州市黄埔区城市管理和综合执法局（区城市管理和综合执法局）'],
  ['dept-education', '广州市黄埔区教育局'],
]);

const reportHtml = () =>
  renderReportHtml(buildReportView(viewInput({ departmentNames: LONG_NAMES })));

const finding = (n: number) => ({
  description: `暴雨后文冲村主干道路段积水严重，影响居民和学生出行（第 ${n} 件）`,
  category: 'DRAINAGE' as const,
  place: '文冲村文冲大街与石化路交界处东北角公交站旁',
});

const progress = {
  asked: 3,
  rated: [{ who: 'DEPUTY' as const, name: '李代表', at: '2026-11-21T02:00:00.000Z' }],
  deadline: '2026-12-04T02:00:00.000Z',
  open: true,
};

const responseHtml = (): string =>
  renderResponsePage(
    {
      referralId: REFERRAL_ID,
      status: 'REPLIED',
      round: 1,
      activityTitle: '垃圾分类专项检查',
      departmentName: LONG_NAMES.get('dept-water')!,
      committeeName: '城建环保工委',
      dueDate: '2027-01-06',
      findings: [finding(1), finding(2)],
      history: [
        { at: '2026-11-20T00:00:00.000Z', action: 'REPLY', result: 'RESOLVED', text: '已疏通' },
      ],
      open: false,
      done: ['REPLY'],
      progress,
    },
    DEMO_JURISDICTION.district,
  ).body ?? '';

const ratingHtml = (): string =>
  renderRatingPage(
    {
      referralId: REFERRAL_ID,
      activityTitle: '垃圾分类专项检查',
      departmentName: LONG_NAMES.get('dept-water')!,
      findings: [finding(2)],
      reply: { result: 'RESOLVED', text: '已疏通排水管网', at: '2026-11-20T00:00:00.000Z' },
      open: true,
      progress,
    },
    DEMO_JURISDICTION.district,
  ).body ?? '';

interface Box {
  viewport: number;
  page: number;
  lastHeaderRight: number;
  boxRight: number;
  boxScrollWidth: number;
  boxClientWidth: number;
  boxOverflowX: string;
}

/** Where the referrals table's last column (办成率) ends, against its box and the viewport. */
// Run in the page (the tests are type-checked without the DOM library, hence a string).
const measureTable = (page: Page): Promise<Box> =>
  page.evaluate<Box>(`(() => {
    const table = document.querySelector('table.outcomes');
    const box = table.parentElement;
    const header = [...table.querySelectorAll('thead th')].at(-1);
    return {
      viewport: window.innerWidth,
      page: document.documentElement.scrollWidth,
      lastHeaderRight: header.getBoundingClientRect().right,
      boxRight: box.getBoundingClientRect().right,
      boxScrollWidth: box.scrollWidth,
      boxClientWidth: box.clientWidth,
      boxOverflowX: getComputedStyle(box).overflowX,
    };
  })()`);

/** The page's width, and where its right-most element ends. */
const measurePage = (page: Page) =>
  page.evaluate<{ viewport: number; page: number; widest: number }>(`({
    viewport: window.innerWidth,
    page: document.documentElement.scrollWidth,
    widest: Math.max(...[...document.body.querySelectorAll('*')].map((el) => el.getBoundingClientRect().right)),
  })`);

describe('page layout in Chromium', () => {
  let browser: ChromiumSession | undefined;
  let page: Page;

  beforeAll(async () => {
    browser = await openChromium();
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('at 1000 px the referrals table, 办成率 included, fits its column', async () => {
    await page.setViewportSize({ width: 1000, height: 800 });
    await page.setContent(reportHtml());
    expect(await page.locator('table.outcomes thead th').last().innerText()).toContain('办成率');
    const box = await measureTable(page);
    expect(box.page).toBeLessThanOrEqual(box.viewport);
    // Visible without scrolling: the last column ends inside the table's box and the viewport.
    expect(box.lastHeaderRight).toBeLessThanOrEqual(box.boxRight);
    expect(box.lastHeaderRight).toBeLessThanOrEqual(box.viewport);
    expect(box.boxScrollWidth).toBeLessThanOrEqual(box.boxClientWidth);
  });

  it('on a phone the table scrolls in its own box, never the page', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    await page.setContent(reportHtml());
    const box = await measureTable(page);
    expect(box.page).toBeLessThanOrEqual(box.viewport);
    expect(box.boxRight).toBeLessThanOrEqual(box.viewport);
    expect(box.boxOverflowX).toBe('auto');
    expect(box.boxScrollWidth).toBeGreaterThan(box.boxClientWidth);
    // A keyboard reaches the scrolling box.
    expect(await page.locator('.scroll').getAttribute('tabindex')).toBe('0');
  });

  it("the department's referral email stays within a phone's 360 px, its signed link too", async () => {
    // A signed response link as the referral workflow mails it: no place to break.
    const url = `https://liandong.example.org/respond/${'FVjdWPIF7b-2_XpCelQRRg'.repeat(2)}.u1b5s0.uAoHc7SjeiLbPaRkcuoG8A`;
    const email = renderReferralEmail({
      language: 'zh',
      activityTitle: '垃圾分类专项检查',
      departmentName: LONG_NAMES.get('dept-water')!,
      committeeName: '城建环保工委',
      dueDate: dueDateOfInstant(endOfChinaDay('2027-01-06')),
      letterhead: DEMO_JURISDICTION.district,
      findings: [finding(2)],
      url,
    });
    await page.setViewportSize({ width: 360, height: 800 });
    await page.setContent(email.html);
    const widths = await measurePage(page);
    expect(widths.page).toBeLessThanOrEqual(widths.viewport);
    expect(widths.widest).toBeLessThanOrEqual(widths.viewport);
    await expect(page.locator(`a[href="${url}"]`).innerText()).resolves.toBe(url);
  });

  for (const [name, html] of [
    ['response page', responseHtml],
    ['rating page', ratingHtml],
  ] as const) {
    for (const width of [1000, 360]) {
      it(`the ${name} stays within ${width} px`, async () => {
        await page.setViewportSize({ width, height: 800 });
        await page.setContent(html());
        const widths = await measurePage(page);
        expect(widths.page).toBeLessThanOrEqual(widths.viewport);
        expect(widths.widest).toBeLessThanOrEqual(widths.viewport);
        await expect(page.locator('body').innerText()).resolves.toContain('转办编号');
      });
    }
  }
});
