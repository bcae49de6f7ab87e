import { formatDueDate } from '../shared/domain/deadlines.js';
import {
  ACTIVITY_TYPES,
  DEPARTMENT_LEVELS,
  DEPUTY_LEVELS,
  FINDING_CATEGORIES,
  FINDING_KIND_NAMES,
  REFERRAL_STATUS_NAMES,
  REPLY_RESULT_NAMES,
  zhNameOf,
} from '../shared/domain/reference.js';
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

/** Department names by id, for exports (a department no longer on file shows its id). */
export type DepartmentNames = ReadonlyMap<string, string>;

const SECTION_NAMES: Record<string, string> = {
  activities: '活动',
  community: '接待群众',
  personTimes: '代表参加人次',
  findingsByKind: '问题建议（按性质）',
  findingsByCategory: '问题建议（按类别）',
  findings: '问题建议',
  referralsByDepartment: '转办（按承办单位）',
  referralsByDepartmentLevel: '转办（按承办单位层级）',
};

/** The row of hand-overs outside the district among the levels' rows. */
const EXTERNAL_ROW = { code: 'EXTERNAL', zh: '移交外区' };

const METRIC_NAMES: Record<string, string> = {
  completed: '已完成活动',
  liaisonStations: '联络站数',
  consultationsAnswered: '解答咨询',
  residentsReceived: '接待群众',
  peopleServed: '服务听众人次',
  guestPersonTimes: '外区代表参加人次',
  personTimes: '人次',
  findings: '问题建议数',
  referred: '转办问题数',
  sent: '已转交',
  acknowledged: '已签收',
  answered: '已答复',
  resolved: '已解决',
  overdue: '逾期',
  returned: '退回',
  medianDaysToAnswer: '答复用时中位数（天）',
  p90DaysToAnswer: '答复用时第90百分位（天）',
  satisfactionRate: '满意率',
  resolutionRate: '办成率',
};

const TOTAL = 'TOTAL';

/**
 * Why a figure of a department's referrals is empty, instead of a blank cell: nothing was
 * referred, or nothing is answered yet (the referrals are still open), or answers have no
 * rating yet.
 */
export const whyEmpty = (
  metric: string,
  counts: { sent: number; answered: number },
): string | null => {
  const unanswered =
    counts.sent === 0
      ? '无转办件 no referrals'
      : '办理中，尚无答复 referrals still open, none answered';
  switch (metric) {
    case 'medianDaysToAnswer':
    case 'p90DaysToAnswer':
    case 'resolutionRate':
      return counts.answered === 0 ? unanswered : null;
    case 'satisfactionRate':
      return counts.answered === 0 ? unanswered : '尚无评价 no ratings yet';
    default:
      return null;
  }
};

/**
 * The statistics as one long table, one row per figure: each table of the JSON answer is one
 * section. Codes keep their own columns (section, item, metric: what a program reads); beside
 * each is its Chinese name, and an empty figure says why in 说明 note.
 */
export const statisticsCsv = (
  stats: PeriodStatistics,
  departmentNames: DepartmentNames = new Map(),
): string => {
  const rows: unknown[][] = [
    [
      '分类 section',
      '分类名称 section name',
      '项目 item',
      '项目名称 item name',
      '指标 metric',
      '指标名称 metric name',
      '数值 value',
      '说明 note',
    ],
  ];
  const push = (
    section: string,
    item: string,
    itemName: string,
    metric: string,
    value: unknown,
    note: string | null = null,
  ) =>
    rows.push([
      section,
      SECTION_NAMES[section] ?? section,
      item,
      item === TOTAL ? '合计' : itemName,
      metric,
      METRIC_NAMES[metric] ?? metric,
      value,
      note ?? '',
    ]);
  for (const [type, count] of Object.entries(stats.activities.byType)) {
    push('activities', type, zh(ACTIVITY_TYPES, type), 'completed', count);
  }
  push('activities', TOTAL, '', 'completed', stats.activities.completed);
  push('activities', TOTAL, '', 'liaisonStations', stats.activities.liaisonStations);
  push('community', TOTAL, '', 'consultationsAnswered', stats.community.consultationsAnswered);
  push('community', TOTAL, '', 'residentsReceived', stats.community.residentsReceived);
  push('community', TOTAL, '', 'peopleServed', stats.community.peopleServed);
  for (const [level, count] of Object.entries(stats.personTimes.byLevel)) {
    push('personTimes', level, zh(DEPUTY_LEVELS, level), 'personTimes', count);
  }
  push('personTimes', TOTAL, '', 'personTimes', stats.personTimes.total);
  for (const [level, count] of Object.entries(stats.personTimes.guests.byLevel)) {
    push('personTimes', level, zh(DEPUTY_LEVELS, level), 'guestPersonTimes', count);
  }
  push('personTimes', TOTAL, '', 'guestPersonTimes', stats.personTimes.guests.total);
  for (const [kind, count] of Object.entries(stats.findings.byKind)) {
    push('findingsByKind', kind, zh(FINDING_KIND_NAMES, kind), 'findings', count);
  }
  for (const [category, count] of Object.entries(stats.findings.byCategory)) {
    push('findingsByCategory', category, zh(FINDING_CATEGORIES, category), 'findings', count);
  }
  push('findings', TOTAL, '', 'findings', stats.findings.total);
  push('findings', TOTAL, '', 'referred', stats.findings.referred);
  const departments = [
    ...stats.referrals.byDepartment,
    { departmentId: TOTAL, ...stats.referrals.totals },
  ];
  for (const { departmentId, ...metrics } of departments) {
    const name = departmentNames.get(departmentId) ?? departmentId;
    for (const [metric, value] of Object.entries(metrics)) {
      const note = value === null ? whyEmpty(metric, metrics) : null;
      push('referralsByDepartment', departmentId, name, metric, value, note);
    }
  }
  const levels = [
    ...stats.referrals.byDepartmentLevel.map(({ level, ...metrics }) => ({
      code: level,
      name: zh(DEPARTMENT_LEVELS, level),
      metrics,
    })),
    {
      code: EXTERNAL_ROW.code,
      name: EXTERNAL_ROW.zh,
      metrics: stats.referrals.handedToOtherDistricts,
    },
  ];
  for (const { code, name, metrics } of levels) {
    for (const [metric, value] of Object.entries(metrics)) {
      const note = value === null ? whyEmpty(metric, metrics) : null;
      push('referralsByDepartmentLevel', code, name, metric, value, note);
    }
  }
  return toCsv(rows);
};

/**
 * The duty record as rows: one per activity attended, one per finding raised, with the
 * referral it led to. Codes in their own columns, each with its Chinese name beside it; the due
 * date as the China calendar date (`formatDueDate`, as every email and page names it).
 */
export const dutyRecordCsv = (
  record: DutyRecord,
  departmentNames: DepartmentNames = new Map(),
): string => {
  const referrals = new Map(record.referrals.map((r) => [r.referralId, r]));
  const rows: unknown[][] = [
    [
      '行 row',
      '时间 date',
      '活动编号 activityId',
      '活动类型 activityType',
      '活动类型名称 activity type name',
      '标题 title',
      '问题编号 findingId',
      '性质 kind',
      '性质名称 kind name',
      '类别 category',
      '类别名称 category name',
      '转办编号 referralId',
      '承办单位 departmentId',
      '承办单位名称 department name',
      '办理期限 due date',
      '办理状态 referralStatus',
      '办理状态名称 status name',
      '办理结果 result',
      '办理结果名称 result name',
    ],
  ];
  for (const activity of record.activities) {
    rows.push([
      'ACTIVITY',
      activity.startsAt,
      activity.activityId,
      activity.type,
      zh(ACTIVITY_TYPES, activity.type),
      activity.title,
      ...Array<string>(13).fill(''),
    ]);
  }
  for (const finding of record.findings) {
    const referral = finding.referralId ? referrals.get(finding.referralId) : undefined;
    const departmentId = referral?.departmentId ?? '';
    rows.push([
      'FINDING',
      finding.recordedAt,
      finding.activityId,
      '',
      '',
      '',
      finding.findingId,
      finding.kind,
      zh(FINDING_KIND_NAMES, finding.kind),
      finding.category,
      zh(FINDING_CATEGORIES, finding.category),
      finding.referralId ?? '',
      departmentId,
      departmentId ? (departmentNames.get(departmentId) ?? departmentId) : '',
      referral?.dueDate ? formatDueDate(referral.dueDate, 'iso') : '',
      referral?.status ?? '',
      zhNameOf(REFERRAL_STATUS_NAMES, referral?.status),
      referral?.result ?? '',
      zhNameOf(REPLY_RESULT_NAMES, referral?.result),
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
