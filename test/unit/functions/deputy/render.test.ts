import { DEMO_JURISDICTION } from '../../../../infra/local/demo-jurisdiction';
import { describe, expect, it } from 'vitest';
import { isVenueCode, venueCodeOf } from '../../../../functions/attendance/check-in-code';
import type { DeputyActivityModel } from '../../../../functions/deputy/model';
import { deputyCookieOf } from '../../../../functions/deputy/page-routes';
import { renderCheckInPage } from '../../../../functions/attendance/page';
import {
  renderDeputyActivityPage,
  renderHomePage,
  renderOutcomePage,
} from '../../../../functions/deputy/render';

const XSS = '<script>alert(1)</script><img src=x onerror=alert(2)>';
const ACTIVITY_ID = '01J5ZQ8V6W7X8Y9Z0ABCDEFGHJ';

const model = (overrides: Partial<DeputyActivityModel> = {}): DeputyActivityModel => ({
  activity: {
    id: ACTIVITY_ID,
    title: `垃圾分类专项检查 ${XSS}`,
    type: 'SPECIAL_INSPECTION',
    street: 'WENCHONG',
    location: `文冲街道 ${XSS}`,
    description: `说明 ${XSS}`,
    startsAt: '2026-12-10T01:00:00.000Z',
    endsAt: '2026-12-10T04:00:00.000Z',
    status: 'INVITATIONS_SENT',
    details: { regulation: `《广州市生活垃圾分类管理条例》${XSS}`, checklist: ['投放点', XSS] },
  },
  showSealed: false,
  deputyName: `王${XSS}`,
  invitation: { response: 'DECLINED', responseNote: XSS, respondedAt: '2026-12-01T00:00:00.000Z' },
  canAnswer: true,
  checkInOpen: false,
  findingsOpen: false,
  findings: [],
  formId: '01J5ZQ8V6W7X8Y9Z0ABCDEFGHK',
  ...overrides,
});

const markupFree = (html: string) => {
  expect(html).not.toContain('<script>alert');
  expect(html).not.toContain('<img src=x');
  expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
};

/**
 * The page is `lang="zh-CN"`; every English passage says it is English (screen readers and
 * translation tools read it right), and none of them holds Chinese.
 */
const languageMarked = (html: string, atLeast = 10) => {
  expect(html).toContain('<html lang="zh-CN">');
  expect(html).not.toMatch(/class="en"(?! lang="en")/);
  const english = [...html.matchAll(/lang="en">([^<]*)</g)].map((m) => m[1]!);
  expect(english.length).toBeGreaterThanOrEqual(atLeast);
  for (const text of english) expect(text).not.toMatch(/[\u4e00-\u9fff]/);
};

describe("the deputy's activity page", () => {
  it('escapes every value and shows the type’s own fields, Chinese first', () => {
    const page = renderDeputyActivityPage(model(), DEMO_JURISDICTION);
    expect(page.statusCode).toBe(200);
    const html = String(page.body);
    markupFree(html);
    expect(html).toContain('检查的法律法规');
    expect(html).toContain('<span class="en" lang="en">Law or regulation inspected</span>');
    expect(html).toContain('黄埔区人大常委会 · 区人大文冲街道工委');
    expect(html.indexOf('专项检查')).toBeLessThan(html.indexOf('Special law-enforcement'));
    // The answer form, the current answer checked; no check-in or findings form yet.
    expect(html).toContain('value="DECLINED" checked');
    languageMarked(html);
    expect(html).not.toContain('value="CHECK_IN"');
    expect(html).not.toContain('value="FINDING"');
    // Strict CSP, no script at all, forms post only to the page itself.
    expect(page.headers?.['content-security-policy']).toContain("default-src 'none'");
    expect(page.headers?.['content-security-policy']).toContain("form-action 'self'");
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<form[^>]+action=/);
  });

  it('keeps sealed unannounced visits hidden until revealed, and lists them after', () => {
    const visits = {
      inspectingDistrict: '白云区',
      inspectedDistrict: '黄埔区',
      unannouncedVisits: {
        revealAt: '2026-12-10T02:00:00.000Z',
        items: [{ place: '秘密点位', focus: '分类' }],
      },
    };
    const sealed = renderDeputyActivityPage(
      model({ activity: { ...model().activity, type: 'CROSS_INSPECTION', details: visits } }),
      DEMO_JURISDICTION,
    );
    expect(String(sealed.body)).not.toContain('秘密点位');
    expect(String(sealed.body)).toContain('活动当天公布');
    const revealed = renderDeputyActivityPage(
      model({
        activity: { ...model().activity, type: 'CROSS_INSPECTION', details: visits },
        showSealed: true,
      }),
      DEMO_JURISDICTION,
    );
    expect(String(revealed.body)).toContain('秘密点位');
  });

  it('offers check-in and the findings form when they are open, and follows findings', () => {
    const html = String(
      renderDeputyActivityPage(
        model({
          canAnswer: false,
          checkInOpen: true,
          findingsOpen: true,
          findings: [
            {
              id: 'F1',
              kind: 'PROBLEM',
              category: 'DRAINAGE',
              place: XSS,
              description: XSS,
              recordedAt: '2026-12-10T01:30:00.000Z',
              resident: { name: XSS, consentToContact: true },
              outcome: {
                decision: 'REFER',
                referral: {
                  id: 'R1',
                  status: 'REPLIED',
                  departmentName: XSS,
                  reply: { result: 'RESOLVED', text: XSS, at: '2026-12-20T01:00:00.000Z' },
                  rateHref: '/rate/abc"><script>',
                },
              },
            },
          ],
        }),
        DEMO_JURISDICTION,
      ).body,
    );
    markupFree(html);
    expect(html).toContain('name="action" value="CHECK_IN"');
    expect(html).toContain('name="action" value="FINDING"');
    expect(html).toContain('name="formId" value="01J5ZQ8V6W7X8Y9Z0ABCDEFGHK"');
    expect(html).not.toContain('value="ANSWER"');
    expect(html).toContain('已转办');
    expect(html).toContain('已解决');
    expect(html).toContain('href="/rate/abc&quot;&gt;&lt;script&gt;"');
    // A deputy who reads English finds every label of the finding's story in English too.
    for (const label of [
      'Outcome',
      'Department',
      "The department's reply",
      'Resident',
      'consents to contact',
      'Rate the reply',
      'Record a finding',
      'Check-in',
    ]) {
      expect(html).toContain(`lang="en">${label}`);
    }
    languageMarked(html);
  });

  it("the venue QR's one-tap page is marked and labelled in English too", () => {
    const html = String(
      renderCheckInPage(
        {
          code: `${ACTIVITY_ID}.tf4x2k.${'B'.repeat(22)}`,
          expiresAt: '2026-12-10T01:15:00.000Z',
          activity: {
            id: ACTIVITY_ID,
            title: XSS,
            location: '文冲街道',
            startsAt: '2026-12-10T01:00:00.000Z',
            endsAt: '2026-12-10T04:00:00.000Z',
            language: 'zh',
            type: 'RECEPTION_DAY',
            status: 'CHECK_IN_OPEN',
          },
        },
        { deputyName: '李明' },
      ).body,
    );
    markupFree(html);
    for (const label of ['Activity', 'Place', 'Deputy', 'Status', 'Check in']) {
      expect(html).toContain(`lang="en">${label}`);
    }
    languageMarked(html, 5);
  });

  it('answers a repeat as already done and a wrong code as 422, with a way back', () => {
    const already = renderOutcomePage({ kind: 'ALREADY', action: 'CHECK_IN' }, '/deputy/t');
    expect(already.statusCode).toBe(200);
    expect(String(already.body)).toContain('已办理');
    const wrong = renderOutcomePage(
      { kind: 'REFUSED', action: 'CHECK_IN', reason: 'WRONG_CODE' },
      '/deputy/t"><b>',
    );
    expect(wrong.statusCode).toBe(422);
    expect(String(wrong.body)).toContain('href="/deputy/t&quot;&gt;&lt;b&gt;"');
  });
});

describe("the deputy's home page", () => {
  it('lists pending, upcoming and past with the duty record, escaped', () => {
    const entry = {
      title: XSS,
      type: 'RECEPTION_DAY',
      location: XSS,
      startsAt: '2026-12-10T01:00:00.000Z',
      status: 'COMPLETED',
      response: 'ACCEPTED',
      checkedInAt: '2026-12-10T01:05:00.000Z',
      findingsRaised: 2,
      href: '/deputy/tok',
    };
    const html = String(renderHomePage(XSS, { pending: [], upcoming: [], past: [entry] }).body);
    markupFree(html);
    expect(html).toContain('已出席');
    expect(html).toContain('提出问题 2 件');
    expect(html).toContain('href="/deputy/tok"');
    languageMarked(html);
  });
});

describe('the check-in cookie and the venue code', () => {
  it('binds the cookie to /check-in, HttpOnly, SameSite, never past the link', () => {
    const now = new Date('2026-12-10T00:00:00.000Z');
    const soon = Math.floor(now.getTime() / 1000) + 600;
    const cookie = deputyCookieOf(
      { expiresAt: soon },
      'tok',
      { headers: { 'x-forwarded-proto': 'https' } },
      now,
    );
    expect(cookie).toBe(
      'liandong_deputy=tok; Path=/check-in; Max-Age=600; HttpOnly; SameSite=Lax; Secure',
    );
    expect(deputyCookieOf({ expiresAt: soon - 600 }, 'tok', { headers: {} }, now)).toBeUndefined();
  });

  it('rotates six digits per activity and accepts the previous window only', () => {
    const now = new Date('2026-12-10T01:00:00.000Z');
    const { venueCode } = venueCodeOf('secret-key-0123456789', ACTIVITY_ID, now);
    expect(venueCode).toMatch(/^[0-9]{6}$/);
    expect(isVenueCode('secret-key-0123456789', ACTIVITY_ID, venueCode, now)).toBe(true);
    const fiveLater = new Date(now.getTime() + 5 * 60_000);
    expect(isVenueCode('secret-key-0123456789', ACTIVITY_ID, venueCode, fiveLater)).toBe(true);
    const tenLater = new Date(now.getTime() + 10 * 60_000);
    expect(isVenueCode('secret-key-0123456789', ACTIVITY_ID, venueCode, tenLater)).toBe(false);
    expect(isVenueCode('other-key-0123456789', ACTIVITY_ID, venueCode, now)).toBe(false);
    expect(isVenueCode('secret-key-0123456789', '01J5ZQ8V6W7X8Y9Z0ABCDEFGHK', venueCode, now)).toBe(
      venueCodeOf('secret-key-0123456789', '01J5ZQ8V6W7X8Y9Z0ABCDEFGHK', now).venueCode ===
        venueCode,
    );
    expect(isVenueCode('secret-key-0123456789', ACTIVITY_ID, 'abcdef', now)).toBe(false);
  });
});
