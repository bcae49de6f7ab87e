import { ACTIVITY_TYPES, DEPUTY_LEVELS, FINDING_CATEGORIES } from '../shared/domain/reference.js';
import type { DutyRecord, PeriodStatistics } from './domain.js';

/** UTF-8 byte order mark: Excel then reads the Chinese text of a CSV correctly. */
export const UTF8_BOM = '\uFEFF';
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

/**
 * One CSV cell (RFC 4180). A cell that a spreadsheet would run as a formula (starting with
 * `=`, `+`, `-`, `@`, tab or CR) is prefixed with `'`: free text never becomes a formula.
 */
export const csvCell = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** A whole CSV document: BOM, CRLF line ends. */
export const toCsv = (rows: readonly (readonly unknown[])[]): string =>
  UTF8_BOM + rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';

const zh = (table: Record<string, { zh: string }>, code: string): string => table[code]?.zh ?? code;

/**
 * The statistics as one long table `section, item, metric, value` (分类, 项目, 指标, 数值):
 * each table of the JSON answer is one section, so one file holds them all.
 */
export const statisticsCsv = (stats: PeriodStatistics): string => {
  const rows: unknown[][] = [['section', 'item', 'metric', 'value']];
  for (const [type, count] of Object.entries(stats.activities.byType)) {
    rows.push(['activities', type, 'completed', count]);
  }
  rows.push(['activities', 'TOTAL', 'completed', stats.activities.completed]);
  rows.push(['activities', 'TOTAL', 'liaisonStations', stats.activities.liaisonStations]);
  rows.push(['community', 'TOTAL', 'consultationsAnswered', stats.community.consultationsAnswered]);
  rows.push(['community', 'TOTAL', 'residentsReceived', stats.community.residentsReceived]);
  for (const [level, count] of Object.entries(stats.personTimes.byLevel)) {
    rows.push(['personTimes', level, 'personTimes', count]);
  }
  rows.push(['personTimes', 'TOTAL', 'personTimes', stats.personTimes.total]);
  for (const [kind, count] of Object.entries(stats.findings.byKind)) {
    rows.push(['findingsByKind', kind, 'findings', count]);
  }
  for (const [category, count] of Object.entries(stats.findings.byCategory)) {
    rows.push(['findingsByCategory', category, 'findings', count]);
  }
  rows.push(['findings', 'TOTAL', 'findings', stats.findings.total]);
  rows.push(['findings', 'TOTAL', 'referred', stats.findings.referred]);
  const departments = [
    ...stats.referrals.byDepartment,
    { departmentId: 'TOTAL', ...stats.referrals.totals },
  ];
  for (const { departmentId, ...metrics } of departments) {
    for (const [metric, value] of Object.entries(metrics)) {
      rows.push(['referralsByDepartment', departmentId, metric, value]);
    }
  }
  return toCsv(rows);
};

/** The duty record as rows: one per activity attended, one per finding raised. */
export const dutyRecordCsv = (record: DutyRecord): string => {
  const referrals = new Map(record.referrals.map((r) => [r.referralId, r]));
  const rows: unknown[][] = [
    [
      'row',
      'date',
      'activityId',
      'activityType',
      'title',
      'findingId',
      'kind',
      'category',
      'referralId',
      'departmentId',
      'referralStatus',
      'result',
    ],
  ];
  for (const activity of record.activities) {
    rows.push([
      'ACTIVITY',
      activity.startsAt,
      activity.activityId,
      activity.type,
      activity.title,
      '',
      '',
      '',
      '',
      '',
      '',
      '',
    ]);
  }
  for (const finding of record.findings) {
    const referral = finding.referralId ? referrals.get(finding.referralId) : undefined;
    rows.push([
      'FINDING',
      finding.recordedAt,
      finding.activityId,
      '',
      '',
      finding.findingId,
      finding.kind,
      finding.category,
      finding.referralId ?? '',
      referral?.departmentId ?? '',
      referral?.status ?? '',
      referral?.result ?? '',
    ]);
  }
  return toCsv(rows);
};

const list = (counts: Record<string, number>, names: Record<string, { zh: string }>) =>
  Object.entries(counts)
    .map(([code, count]) => `${zh(names, code)}${count}次`)
    .join('、');

/**
 * A draft annual duty report (履职报告草稿) in Chinese, from the duty record: numbers and
 * categories only, for the deputy to complete in their own words. Plain text.
 */
export const dutyReportText = (
  record: DutyRecord,
  deputy: { name?: string; levels?: readonly string[] } = {},
): string => {
  const { summary } = record;
  const who = deputy.name ?? `代表（编号 ${record.deputyId}）`;
  const seats = (deputy.levels ?? []).map((level) => `${zh(DEPUTY_LEVELS, level)}人大代表`);
  const lines = [
    `${record.year}年度履职报告（草稿）`,
    '',
    `${who}${seats.length ? `，${seats.join('、')}` : ''}。`,
    '',
    '一、参加活动情况',
    summary.activitiesAttended > 0
      ? `本年度共参加联动活动${summary.activitiesAttended}次，其中${list(summary.activitiesByType, ACTIVITY_TYPES)}。`
      : '本年度暂无签到参加联动活动的记录。',
    '',
    '二、反映问题和意见建议情况',
    summary.findingsRaised > 0
      ? `本年度共反映问题和意见建议${summary.findingsRaised}件，涉及${list(summary.findingsByCategory, FINDING_CATEGORIES).replace(/次/g, '件')}；其中经主任会议研究转交有关部门办理${summary.findingsReferred}件。`
      : '本年度暂无反映问题和意见建议的记录。',
    '',
    '三、转交办理结果',
    summary.referrals > 0
      ? `相关转办件${summary.referrals}件，已答复${summary.referralsAnswered}件，已解决${summary.referralsResolved}件。`
      : '本年度暂无转办件。',
    '',
    '四、下一步打算',
    '（请代表本人补充：履职体会、存在不足和来年计划。）',
    '',
    '本草稿由联动系统根据履职档案自动生成，数据截至生成之时，仅供代表撰写履职报告参考。',
  ];
  return lines.join('\n') + '\n';
};
