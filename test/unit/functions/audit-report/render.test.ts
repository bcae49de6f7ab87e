// unit test: the activity report's view model and its two renderers (pure functions, no SDK)
import { describe, expect, it } from 'vitest';
import { barLength, percent } from '../../../../functions/audit-report/format.js';
import { buildReportView } from '../../../../functions/audit-report/model.js';
import { renderReportEmail } from '../../../../functions/audit-report/render-email.js';
import {
  renderReportHtml,
  reportPage,
  svgBarChart,
} from '../../../../functions/audit-report/render-page.js';
import { HOSTILE, report, viewInput } from './fixtures.js';

/** The rect widths of an SVG chart, in order. */
const rectWidths = (svg: string) =>
  [...svg.matchAll(/<rect [^>]*width="([^"]*)"/g)].map((m) => Number(m[1]));

/** The widths (percent) of the email's bar tables, in order. */
const emailBarWidths = (html: string) =>
  [
    ...html.matchAll(
      /width="([\d.]+)%" style="width:[\d.]+%;border-collapse:collapse"><tr><td height="14"/g,
    ),
  ].map((m) => Number(m[1]));

/** A hostile view: the hostile text in every field that comes from data. */
const hostileInput = () => {
  const input = viewInput();
  return viewInput({
    activity: {
      ...input.activity,
      title: HOSTILE,
      location: HOSTILE,
      type: HOSTILE,
      street: HOSTILE,
      status: HOSTILE,
      startsAt: HOSTILE,
      completedAt: HOSTILE,
      details: { liaisonStations: [HOSTILE, `${HOSTILE}2`] },
    },
    report: report({
      personTimes: { byLevel: { [HOSTILE]: 2 }, total: 2 },
      findings: {
        ...report().findings,
        byKind: { [HOSTILE]: 1 },
        byCategory: { [HOSTILE]: 1 },
      },
    }),
    referrals: input.referrals.map((referral) => ({ ...referral, departmentId: HOSTILE })),
    departmentNames: new Map([[HOSTILE, HOSTILE]]),
  });
};

describe('buildReportView', () => {
  it('keeps person-times per level and the distinct total (a two-seat deputy once)', () => {
    const view = buildReportView(viewInput());
    expect(view.attendance.byLevel.map((bar) => [bar.code, bar.value])).toEqual([
      ['NATIONAL', 0],
      ['PROVINCIAL', 0],
      ['MUNICIPAL', 1],
      ['DISTRICT', 3],
      ['TOWN', 1],
    ]);
    // 5 person-times over the levels, 3 deputies: the total is not the sum.
    expect(view.attendance.total).toBe(3);
    expect(view.attendance).toMatchObject({ invited: 4, checkedIn: 3 });
  });

  it('counts referral outcomes from the referrals as they stand, with 满意率 and 办成率', () => {
    const view = buildReportView(viewInput());
    const water = view.referrals.byDepartment.find((row) => row.departmentId === 'dept-water')!;
    expect(water).toMatchObject({
      name: '区水务局',
      sent: 1,
      acknowledged: 1,
      answered: 1,
      resolved: 1,
      overdue: 0,
      returned: 0,
      closed: 1,
      satisfactionRate: 0.6667,
      resolutionRate: 1,
    });
    const education = view.referrals.byDepartment.find((r) => r.departmentId === 'dept-education')!;
    expect(education).toMatchObject({ sent: 1, answered: 0, overdue: 1, closed: 0 });
    expect(education.satisfactionRate).toBeNull();
    expect(education.resolutionRate).toBeNull();
    expect(view.referrals.totals).toMatchObject({
      name: '合计',
      sent: 2,
      answered: 1,
      resolved: 1,
      overdue: 1,
      closed: 1,
      resolutionRate: 1,
    });
  });

  it('sorts categories by count and labels them in Chinese', () => {
    const view = buildReportView(viewInput());
    expect(view.findings.byCategory.map((bar) => [bar.label.zh, bar.value])).toEqual([
      ['排水防涝', 3],
      ['教育', 2],
      ['其他', 1],
    ]);
    expect(view.activity.type.zh).toBe('代表接待日');
    expect(view.activity.stations).toEqual(['文冲人大代表联络站', '新龙人大代表联络站']);
  });
});

describe('svgBarChart', () => {
  it('draws bars proportional to their values, the longest filling the space', () => {
    const svg = svgBarChart('t', 'T', [
      { label: 'a', value: 1 },
      { label: 'b', value: 2 },
      { label: 'c', value: 4 },
    ]);
    const [a, b, c] = rectWidths(svg) as [number, number, number];
    expect(c).toBe(340);
    expect(b / c).toBeCloseTo(0.5, 5);
    expect(a / c).toBeCloseTo(0.25, 5);
  });

  it('prints every number as text and describes the chart for screen readers', () => {
    const svg = svgBarChart('levels', '各级代表出席人次', [
      { label: '市', value: 7 },
      { label: '区', value: 12 },
    ]);
    expect(svg).toContain('role="img"');
    expect(svg).toContain('aria-labelledby="levels-title levels-desc"');
    expect(svg).toContain('<title id="levels-title">各级代表出席人次</title>');
    expect(svg).toContain('<desc id="levels-desc">市：7；区：12</desc>');
    expect(svg).toMatch(/font-size="14">7<\/text>/);
    expect(svg).toMatch(/font-size="14">12<\/text>/);
  });

  it('is zero-safe: all zero, empty, and a fixed scale', () => {
    const zeros = svgBarChart('z', 'Z', [
      { label: 'a', value: 0 },
      { label: 'b', value: 0 },
    ]);
    expect(rectWidths(zeros)).toEqual([0, 0]);
    expect(zeros).not.toMatch(/NaN|Infinity/);
    const empty = svgBarChart('e', 'E', []);
    expect(rectWidths(empty)).toEqual([]);
    expect(empty).toContain('无数据');
    // Rates on a 0..1 scale: 50% is half the space, whatever the other bars.
    expect(rectWidths(svgBarChart('r', 'R', [{ label: 'x', value: 0.5 }], { max: 1 }))).toEqual([
      170,
    ]);
  });

  it('barLength never divides by zero or runs past the space', () => {
    expect(barLength(0, 0, 100)).toBe(0);
    expect(barLength(3, 0, 100)).toBe(0);
    expect(barLength(5, 4, 100)).toBe(100);
    expect(barLength(-1, 4, 100)).toBe(0);
    expect(percent(null)).toBe('—');
    expect(percent(0.6667)).toBe('66.7%');
  });
});

describe('report page', () => {
  it('is Chinese-first HTML with the figures, the China time and a strict CSP', () => {
    const page = reportPage(buildReportView(viewInput()));
    expect(page.statusCode).toBe(200);
    expect(page.headers).toMatchObject({ 'content-type': 'text/html; charset=utf-8' });
    const csp = String(page.headers!['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("form-action 'none'");
    expect(csp).not.toContain('script-src');
    const html = page.body!;
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('情况报告：代表接待日');
    // 01:30Z is 09:30 in China.
    expect(html).toContain('2026年7月12日 09:30');
    expect(html).toContain('文冲街道');
    expect(html).toContain('新龙人大代表联络站');
    expect(html).toContain('各级代表出席 <strong>3</strong> 人');
    expect(html).toContain('66.7%');
    expect((html.match(/<svg /g) ?? []).length).toBe(6);
    // The referrals table sits in its own labelled, focusable scroll box (layout: test/e2e).
    expect(html).toMatch(
      /<div class="scroll" role="region" aria-label="[^"]+" tabindex="0"><table class="outcomes">/,
    );
    expect(html).toMatch(/\.scroll\{overflow-x:auto/);
  });

  it('escapes hostile text in every field', () => {
    const html = renderReportHtml(buildReportView(hostileInput()));
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toMatch(/"'>/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    // Title, location, two stations, type, street, status, time, level, kind, category,
    // department: each shows the text escaped (never raw).
    expect(html.split('&lt;img src=x onerror=alert(2)&gt;').length - 1).toBeGreaterThanOrEqual(11);
    expect(html).not.toMatch(/<[a-z]+ [^>]*onerror=/i);
  });

  it('has no referral table for an activity without referrals', () => {
    const html = renderReportHtml(
      buildReportView(
        viewInput({
          report: report({ referrals: { total: 0, dispatched: 0, byDepartment: [] } }),
          referrals: [],
        }),
      ),
    );
    expect(html).toContain('本次活动没有转交办理的问题');
    expect(html).not.toContain('<table');
  });
});

describe('report email', () => {
  it('draws table bars with inline widths proportional to the figures, and a text part', () => {
    const email = renderReportEmail(buildReportView(viewInput()));
    expect(email.html).not.toMatch(/<svg|<style|<script/i);
    // Levels: MUNICIPAL 1, DISTRICT 3, TOWN 1 (zeros have no bar) → 33.33%, 100%, 33.33%.
    const widths = emailBarWidths(email.html);
    expect(widths.slice(0, 3)).toEqual([33.33, 100, 33.33]);
    expect(email.text).toContain('各级代表出席 3 人');
    expect(email.text).toContain('  区：3');
    expect(email.text).toContain(
      '区水务局：已转交1，已签收1，已答复1，已解决1，逾期0，退回0，已办结1，满意率66.7%，办成率100.0%',
    );
    expect(email.text).toContain('2026年7月12日 09:30');
  });

  it('keeps the subject on one line and escapes hostile text in the HTML', () => {
    const email = renderReportEmail(buildReportView(hostileInput()));
    expect(email.subject).not.toMatch(/[\r\n]/);
    expect(email.subject.length).toBeLessThanOrEqual(200);
    expect(email.html).not.toContain('<script>');
    expect(email.html).not.toContain('<img');
    expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(email.text).not.toMatch(/\r/);
  });

  it('is zero-safe: an activity with nothing recorded', () => {
    const email = renderReportEmail(
      buildReportView(
        viewInput({
          report: report({
            personTimes: { byLevel: {}, total: 0 },
            attendance: { invited: 0, checkedIn: 0 },
            findings: {
              ...report().findings,
              total: 0,
              byKind: {},
              byCategory: {},
              referred: 0,
              merged: 0,
              answeredDirectly: 0,
            },
            referrals: { total: 0, dispatched: 0, byDepartment: [] },
          }),
          referrals: [],
        }),
      ),
    );
    expect(emailBarWidths(email.html)).toEqual([]);
    expect(email.html).not.toMatch(/NaN|Infinity/);
    expect(email.text).toContain('本次活动没有转交办理的问题');
  });
});
