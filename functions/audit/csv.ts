import { streetNames, type Jurisdiction } from '../shared/data/jurisdiction.js';
import {
  ACTIVITY_STATUS_NAMES,
  ACTIVITY_TYPES,
  REFERRAL_STATUS_NAMES,
  zhNameOf,
} from '../shared/domain/reference.js';
import type { AuditActivityView } from './activities.js';

/** UTF-8 byte-order mark: Excel then opens the Chinese text correctly. */
export const BOM = '\uFEFF';
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

/**
 * The columns of the CSV export of `GET /audit/activities`, header in Chinese and English. Codes
 * keep their own columns (what a program reads), each with its Chinese name beside it.
 */
export const AUDIT_ACTIVITY_COLUMNS: readonly {
  header: string;
  value: (item: AuditActivityView, jurisdiction: Jurisdiction) => string | number | null;
}[] = [
  { header: '活动编号 Activity ID', value: (a) => a.id },
  { header: '标题 Title', value: (a) => a.title },
  { header: '类型 Type', value: (a) => zhNameOf(ACTIVITY_TYPES, a.type) },
  { header: '类型代码 Type code', value: (a) => a.type },
  { header: '街道 Street', value: (a, j) => streetNames(j, a.street).zh },
  { header: '街道代码 Street code', value: (a) => a.street },
  { header: '组织者 Organiser', value: (a) => a.organiserId },
  { header: '状态 Status', value: (a) => zhNameOf(ACTIVITY_STATUS_NAMES, a.status) },
  { header: '状态代码 Status code', value: (a) => a.status },
  { header: '开始时间 Starts at', value: (a) => a.startsAt },
  { header: '结束时间 Ended at', value: (a) => a.endedAt },
  { header: '邀请人数 Invited', value: (a) => a.attendance.invited },
  { header: '签到人数 Checked in', value: (a) => a.attendance.checkedIn },
  { header: '参加人次 Person-times', value: (a) => a.attendance.personTimesTotal },
  { header: '问题建议数 Findings', value: (a) => a.findings?.total ?? null },
  { header: '转办问题数 Findings referred', value: (a) => a.findings?.referred ?? null },
  { header: '转办件数 Referrals', value: (a) => a.referrals.total },
  {
    header: '转办结果 Referral outcomes',
    value: (a) =>
      Object.entries(a.referrals.byStatus)
        .map(([status, count]) => `${zhNameOf(REFERRAL_STATUS_NAMES, status)} ${count}`)
        .join('；'),
  },
  {
    header: '转办结果代码 Referral outcome codes',
    value: (a) =>
      Object.entries(a.referrals.byStatus)
        .map(([status, count]) => `${status}:${count}`)
        .join('; '),
  },
  { header: '原因 Reason', value: (a) => a.reason ?? '' },
];

/**
 * One CSV field (RFC 4180). Text that a spreadsheet would read as a formula (`=`, `+`, `-`,
 * `@`, tab, CR) is prefixed with `'`, so a title cannot run in the auditor's Excel.
 */
export const csvField = (value: string | number | null): string => {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** The CSV of a page of the list: BOM, header row, one row per activity, CRLF line ends. */
export const auditActivitiesCsv = (
  items: readonly AuditActivityView[],
  jurisdiction: Jurisdiction,
): string =>
  BOM +
  [
    AUDIT_ACTIVITY_COLUMNS.map((column) => csvField(column.header)).join(','),
    ...items.map((item) =>
      AUDIT_ACTIVITY_COLUMNS.map((column) => csvField(column.value(item, jurisdiction))).join(','),
    ),
  ].join('\r\n') +
  '\r\n';
