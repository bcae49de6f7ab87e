import { bodyText, headerText } from '../shared/email/sanitize.js';
import { barLength, chinaTime, e, percent } from './format.js';
import { OUTCOME_COLUMNS, type Bar, type DepartmentRow, type ReportView } from './model.js';

/**
 * The activity report as an email to the organisers. Mail clients strip SVG and <style>, so
 * the bars are table cells with inline widths (percent of the row) and every style is inline;
 * the text part carries the same figures. Subject through headerText (one line, no CR/LF).
 */

export interface ReportEmail {
  subject: string;
  html: string;
  text: string;
}

const BAR_COLOUR = '#b03a2e';
const CELL = 'padding:2px 6px;border:1px solid #ddd;font-size:14px';

/** One bar row: label, a table-cell bar whose width is proportional, the number as text. */
const barRow = (label: string, value: number, max: number, text = String(value)) => {
  const width = barLength(value, max, 100);
  const bar =
    width > 0
      ? `<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="${e(width)}%" style="width:${e(width)}%;border-collapse:collapse"><tr><td height="14" style="background:${BAR_COLOUR};height:14px;font-size:0;line-height:0">&nbsp;</td></tr></table>`
      : '';
  return `<tr><td style="padding:2px 8px 2px 0;white-space:nowrap;font-size:14px">${e(label)}</td><td width="60%" style="width:60%;padding:2px 0">${bar}</td><td style="padding:2px 0 2px 8px;font-size:14px">${e(text)}</td></tr>`;
};

const barTable = (
  title: string,
  items: readonly { label: string; value: number; text?: string }[],
  max?: number,
) => {
  const top = max ?? Math.max(0, ...items.map((item) => item.value));
  const rows = items.length
    ? items.map((item) => barRow(item.label, item.value, top, item.text)).join('')
    : `<tr><td style="font-size:14px">无数据</td></tr>`;
  return `<h3 style="font-size:15px;margin:16px 0 4px">${e(title)}</h3>
<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="100%" style="width:100%;max-width:600px;border-collapse:collapse">${rows}</table>`;
};

const fromBars = (items: readonly Bar[]) =>
  items.map((item) => ({ label: item.label.zh, value: item.value }));

const outcomeTable = (rows: readonly DepartmentRow[], totals: DepartmentRow) => {
  const head = ['承办单位', ...OUTCOME_COLUMNS.map(([, name]) => name.zh), '满意率', '办成率']
    .map((name) => `<th style="${CELL};background:#f4f4f4">${e(name)}</th>`)
    .join('');
  const line = (row: DepartmentRow) =>
    `<tr><td style="${CELL}">${e(row.name)}</td>${OUTCOME_COLUMNS.map(
      ([key]) => `<td style="${CELL};text-align:center">${e(row[key])}</td>`,
    ).join(
      '',
    )}<td style="${CELL};text-align:center">${e(percent(row.satisfactionRate))}</td><td style="${CELL};text-align:center">${e(percent(row.resolutionRate))}</td></tr>`;
  return `<table cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;margin:8px 0">
<tr>${head}</tr>
${[...rows, totals].map(line).join('\n')}
</table>`;
};

const textBars = (items: readonly { label: string; value: number }[]) =>
  items.length ? items.map((item) => `  ${item.label}：${item.value}`).join('\n') : '  无数据';

export const renderReportEmail = (view: ReportView): ReportEmail => {
  const { activity, attendance, findings, referrals } = view;
  const subject = headerText(`【情况报告】${activity.title}（${activity.type.zh}）`);
  const time = `${chinaTime(activity.startsAt)} 至 ${chinaTime(activity.endsAt)}`;
  const place = [activity.street.zh, activity.location, ...activity.stations]
    .filter(Boolean)
    .join('，');
  const outcomeBars = OUTCOME_COLUMNS.map(([key, name]) => ({
    label: name.zh,
    value: referrals.totals[key],
  }));
  const hasReferrals = referrals.byDepartment.length > 0;

  const html = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${e(subject)}</title></head>
<body style="font-family:'PingFang SC','Microsoft YaHei',sans-serif;color:#222;line-height:1.6;max-width:640px">
<h1 style="font-size:18px">${e(`情况报告：${activity.title}`)}</h1>
<p style="font-size:14px">活动类型：${e(activity.type.zh)}<br>时间：${e(time)}<br>地点：${e(place)}<br>状态：${e(activity.status.zh)}（${e(chinaTime(activity.completedAt))}）</p>
<h2 style="font-size:16px">一、出席情况</h2>
<p style="font-size:14px">邀请 ${e(attendance.invited)} 人，签到 ${e(attendance.checkedIn ?? '—')} 人；各级代表出席 ${e(attendance.total)} 人（同时担任两级代表的只计一次）。</p>
${barTable('各级代表出席人次', fromBars(attendance.byLevel))}
<h2 style="font-size:16px">二、反映问题情况</h2>
<p style="font-size:14px">共收集问题和意见建议 ${e(findings.total)} 件。</p>
${barTable('按类型', fromBars(findings.byKind))}
${barTable('按类别', fromBars(findings.byCategory))}
${barTable('主任会议处理结果', fromBars(findings.decisions))}
<h2 style="font-size:16px">三、转交办理情况</h2>
${
  hasReferrals
    ? `${outcomeTable(referrals.byDepartment, referrals.totals)}
${barTable('转办结果（合计）', outcomeBars)}`
    : '<p style="font-size:14px">本次活动没有转交办理的问题。</p>'
}
<p style="font-size:12px;color:#555">转办结果为截至 ${e(chinaTime(view.asOf))} 的情况；之后的办理结果可在审计接口 GET /audit/activities/${e(activity.id)}/report 查看。本邮件由联动系统自动发送。</p>
</body></html>
`;

  const departmentLines = [...referrals.byDepartment, referrals.totals].map(
    (row) =>
      `  ${row.name}：${OUTCOME_COLUMNS.map(([key, name]) => `${name.zh}${row[key]}`).join('，')}，满意率${percent(row.satisfactionRate)}，办成率${percent(row.resolutionRate)}`,
  );
  const text = bodyText(
    [
      `情况报告：${activity.title}`,
      '',
      `活动类型：${activity.type.zh}`,
      `时间：${time}`,
      `地点：${place}`,
      `状态：${activity.status.zh}（${chinaTime(activity.completedAt)}）`,
      '',
      '一、出席情况',
      `邀请 ${attendance.invited} 人，签到 ${attendance.checkedIn ?? '—'} 人；各级代表出席 ${attendance.total} 人（同时担任两级代表的只计一次）。`,
      '各级代表出席人次：',
      textBars(fromBars(attendance.byLevel)),
      '',
      '二、反映问题情况',
      `共收集问题和意见建议 ${findings.total} 件。`,
      '按类型：',
      textBars(fromBars(findings.byKind)),
      '按类别：',
      textBars(fromBars(findings.byCategory)),
      '主任会议处理结果：',
      textBars(fromBars(findings.decisions)),
      '',
      '三、转交办理情况',
      ...(hasReferrals ? departmentLines : ['  本次活动没有转交办理的问题。']),
      '',
      `转办结果为截至 ${chinaTime(view.asOf)} 的情况；之后的办理结果可在审计接口 GET /audit/activities/${activity.id}/report 查看。`,
      '本邮件由联动系统自动发送。',
    ].join('\n') + '\n',
  );
  return { subject, html, text };
};
