import { htmlDocument, htmlPageHeaders } from '../shared/http/html-page.js';
import type { HttpResult } from '../shared/http/types.js';
import { barLength, chinaTime, e, percent } from './format.js';
import { OUTCOME_COLUMNS, type Bar, type DepartmentRow, type ReportView } from './model.js';

/**
 * The activity report page (情况报告): server-rendered, Chinese first with English below, no
 * script, every text escaped. Charts are inline SVG drawn here (the numbers also printed as
 * text, each chart with <title>/<desc> for screen readers), so the page needs nothing from
 * outside and the CSP can forbid everything but inline styles.
 */

// Stricter than the department pages: the report has no form, so nothing may be posted.
export const reportPageHeaders = (): Record<string, string> =>
  htmlPageHeaders(
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'",
  );

const REPORT_STYLE = `body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;max-width:52rem;margin:1.5rem auto;padding:0 1rem;line-height:1.6;color:#222}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:1.6rem;border-top:1px solid #ddd;padding-top:1rem}.en{color:#555;font-size:.85rem}
dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem}dt{font-weight:600}
figure{margin:1rem 0}figcaption{font-weight:600;font-size:.95rem}.chart{max-width:40rem;display:block;margin:.3rem 0}.scroll{overflow-x:auto;max-width:100%}.note{background:#f4f4f4;padding:.6rem}
table{border-collapse:collapse;font-size:.9rem}th,td{border:1px solid #ccc;padding:.25rem .3rem;text-align:center}thead .en{font-size:.72rem}tbody th{text-align:left;min-width:6em}.total{font-weight:600;background:#f7f7f7}`;

const COLOURS = { bar: '#b03a2e', satisfaction: '#1f618d', resolution: '#1e8449' };
const WIDTH = 640;
const LABEL_WIDTH = 200;
const BAR_SPACE = 340;
const ROW = 28;
/** Characters of a label that fit left of the bars at 14px; longer ones are cut (full in <title>). */
const LABEL_CHARS = 13;

const shortLabel = (label: string) =>
  [...label].length > LABEL_CHARS ? `${[...label].slice(0, LABEL_CHARS - 1).join('')}…` : label;

interface ChartBar {
  label: string;
  value: number;
  /** What is printed beside the bar (defaults to the value). */
  text?: string;
  colour?: string;
}

/**
 * A horizontal bar chart: each bar's length is proportional to its value (the longest bar, or
 * `max` when given, fills the bar space); zero and empty are drawn without dividing by zero.
 */
export const svgBarChart = (
  id: string,
  title: string,
  bars: readonly ChartBar[],
  options: { max?: number } = {},
): string => {
  const max = options.max ?? Math.max(0, ...bars.map((bar) => bar.value));
  const height = Math.max(1, bars.length) * ROW + 8;
  const description = bars.length
    ? bars.map((bar) => `${bar.label}：${bar.text ?? bar.value}`).join('；')
    : '无数据 No data';
  const rows = bars.map((bar, index) => {
    const y = 4 + index * ROW;
    const length = barLength(bar.value, max, BAR_SPACE);
    const text = bar.text ?? String(bar.value);
    return `<g>
<text x="${LABEL_WIDTH - 8}" y="${y + 18}" text-anchor="end" font-size="14">${e(shortLabel(bar.label))}</text>
<rect x="${LABEL_WIDTH}" y="${y + 4}" width="${e(length)}" height="18" fill="${e(bar.colour ?? COLOURS.bar)}" data-value="${e(bar.value)}"><title>${e(`${bar.label}：${text}`)}</title></rect>
<text x="${e(LABEL_WIDTH + length + 6)}" y="${y + 18}" font-size="14">${e(text)}</text>
</g>`;
  });
  const empty = bars.length
    ? ''
    : `<text x="${LABEL_WIDTH}" y="22" font-size="14">无数据 No data</text>`;
  return `<figure>
<figcaption>${e(title)}</figcaption>
<svg class="chart" role="img" aria-labelledby="${e(id)}-title ${e(id)}-desc" viewBox="0 0 ${WIDTH} ${height}" width="100%" preserveAspectRatio="xMinYMin meet">
<title id="${e(id)}-title">${e(title)}</title>
<desc id="${e(id)}-desc">${e(description)}</desc>
${rows.join('\n')}${empty}
</svg>
</figure>`;
};

const bars = (items: readonly Bar[]): ChartBar[] =>
  items.map((item) => ({ label: item.label.zh, value: item.value }));

const heading = (zh: string, en: string) => `<h2>${e(zh)} <span class="en">${e(en)}</span></h2>`;

const outcomeTable = (rows: readonly DepartmentRow[], totals: DepartmentRow) => {
  const head = OUTCOME_COLUMNS.map(
    ([, name]) => `<th scope="col">${e(name.zh)}<br><span class="en">${e(name.en)}</span></th>`,
  ).join('');
  const line = (row: DepartmentRow, total = false) =>
    `<tr${total ? ' class="total"' : ''}><th scope="row">${e(row.name)}</th>${OUTCOME_COLUMNS.map(
      ([key]) => `<td>${e(row[key])}</td>`,
    ).join(
      '',
    )}<td>${e(percent(row.satisfactionRate))}</td><td>${e(percent(row.resolutionRate))}</td></tr>`;
  // Fits the page's column on a desktop; on a phone it scrolls in its own (focusable) box, never
  // the page.
  return `<div class="scroll" role="region" aria-label="各承办单位转办结果 Outcomes by department" tabindex="0"><table class="outcomes">
<thead><tr><th scope="col">承办单位 <span class="en">Department</span></th>${head}<th scope="col">满意率<br><span class="en">Satisfaction</span></th><th scope="col">办成率<br><span class="en">Resolution</span></th></tr></thead>
<tbody>
${rows.map((row) => line(row)).join('\n')}
${line(totals, true)}
</tbody>
</table></div>`;
};

/** 满意率 and 办成率 of each department side by side, on one 0–100% scale. */
const ratesChart = (rows: readonly DepartmentRow[], totals: DepartmentRow) => {
  const chartBars: ChartBar[] = [...rows, totals].flatMap((row) => [
    {
      label: `${row.name} 满意率`,
      value: row.satisfactionRate ?? 0,
      text: row.satisfactionRate === null ? '—（尚无评价）' : percent(row.satisfactionRate),
      colour: COLOURS.satisfaction,
    },
    {
      label: `${row.name} 办成率`,
      value: row.resolutionRate ?? 0,
      text: row.resolutionRate === null ? '—（尚未答复）' : percent(row.resolutionRate),
      colour: COLOURS.resolution,
    },
  ]);
  return svgBarChart(
    'rates',
    '满意率与办成率（按承办单位） Satisfaction and resolution rates',
    chartBars,
    {
      max: 1,
    },
  );
};

export const renderReportHtml = (view: ReportView): string => {
  const { activity, attendance, findings, referrals } = view;
  const title = `情况报告：${activity.title}`;
  const stations = activity.stations.length
    ? `<dt>联络站 <span class="en">Stations</span></dt><dd>${activity.stations.map(e).join('、')}</dd>`
    : '';
  const outcomeTotals = OUTCOME_COLUMNS.map(([key, name]) => ({
    label: name.zh,
    value: referrals.totals[key],
  }));
  const referralSection = referrals.byDepartment.length
    ? `${outcomeTable(referrals.byDepartment, referrals.totals)}
${svgBarChart('outcomes', '转办结果（合计） Referral outcomes, all departments', outcomeTotals)}
${ratesChart(referrals.byDepartment, referrals.totals)}
<p class="note">满意率＝满意和基本满意的评价占全部评价的比例；办成率＝已解决的转办件占已答复转办件的比例。 <span class="en">Satisfaction: satisfied or basically satisfied among the ratings given. Resolution: resolved among the referrals answered.</span></p>`
    : '<p>本次活动没有转交办理的问题。 <span class="en">Nothing was referred.</span></p>';

  const body = `<h1>${e(title)} <span class="en">Activity report</span></h1>
<dl>
<dt>活动类型 <span class="en">Type</span></dt><dd>${e(activity.type.zh)} <span class="en">${e(activity.type.en)}</span></dd>
<dt>活动名称 <span class="en">Title</span></dt><dd>${e(activity.title)}</dd>
<dt>时间 <span class="en">Time (China)</span></dt><dd>${e(chinaTime(activity.startsAt))} 至 ${e(chinaTime(activity.endsAt))}</dd>
<dt>街道 <span class="en">Street</span></dt><dd>${e(activity.street.zh)} <span class="en">${e(activity.street.en)}</span></dd>
<dt>地点 <span class="en">Location</span></dt><dd>${e(activity.location)}</dd>
${stations}
<dt>状态 <span class="en">Status</span></dt><dd>${e(activity.status.zh)} <span class="en">${e(activity.status.en)}</span>（${e(chinaTime(activity.completedAt))}）</dd>
</dl>
${heading('一、出席情况', 'Attendance by level')}
<p>邀请 ${e(attendance.invited)} 人，签到 ${e(attendance.checkedIn ?? '—')} 人；各级代表出席 <strong>${e(attendance.total)}</strong> 人（同时担任两级代表的只计一次），分级人次如下。 <span class="en">Invited ${e(attendance.invited)}, checked in ${e(attendance.checkedIn ?? '—')}; ${e(attendance.total)} deputies in total (a deputy with two seats counts once in the total, once at each level below).</span></p>
${svgBarChart('levels', '各级代表出席人次 Person-times by level', bars(attendance.byLevel))}
${heading('二、反映问题情况', 'Findings')}
<p>共收集问题和意见建议 <strong>${e(findings.total)}</strong> 件。 <span class="en">${e(findings.total)} findings.</span></p>
${svgBarChart('kinds', '按类型 By kind', bars(findings.byKind))}
${svgBarChart('categories', '按类别 By category', bars(findings.byCategory))}
${svgBarChart('decisions', '主任会议处理结果 Decisions of the review', bars(findings.decisions))}
${heading('三、转交办理情况', 'Referrals by department')}
${referralSection}
<p class="note">转办结果为截至 ${e(chinaTime(view.asOf))} 的最新情况。 <span class="en">Referral outcomes as of the time shown.</span></p>`;

  return htmlDocument({ title, style: REPORT_STYLE, body });
};

export const reportPage = (view: ReportView): HttpResult => ({
  statusCode: 200,
  headers: reportPageHeaders(),
  body: renderReportHtml(view),
});
