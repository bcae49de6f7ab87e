import { streetNames, type Jurisdiction } from '../shared/data/jurisdiction.js';
import type { ActivityReport } from '../activity-workflow/report.js';
import { aggregateStatistics, type DepartmentStats } from '../audit-stats/domain.js';
import { referralFactsOf, type ReferralFactsSource } from '../audit-stats/items.js';
import {
  ACTIVITY_STATUS_NAMES,
  ACTIVITY_TYPES,
  DEPUTY_LEVEL_CODES,
  DEPUTY_LEVELS,
  FINDING_CATEGORIES,
  FINDING_KIND_NAMES,
} from '../shared/domain/reference.js';
import { FINDING_KINDS } from '../findings/model.js';

/**
 * The activity report (情况报告) as both renderers see it: the page (inline SVG) and the email
 * (table bars). Built from the report data CompleteActivity stored and the referrals' current
 * state, so outcomes that came after the completion show. Pure; labels resolved here once.
 */

export interface Label {
  zh: string;
  en: string;
}

export interface Bar {
  code: string;
  label: Label;
  value: number;
}

export interface DepartmentRow extends Omit<
  DepartmentStats,
  'medianDaysToAnswer' | 'p90DaysToAnswer'
> {
  /** The department's name, or its id when the reference data no longer has it. */
  name: string;
  closed: number;
}

export interface ReportView {
  activity: {
    id: string;
    title: string;
    type: Label;
    street: Label;
    location: string;
    /** Liaison stations of a reception day (联络站); empty for other types. */
    stations: string[];
    startsAt: string;
    endsAt: string;
    completedAt: string | null;
    status: Label;
  };
  attendance: {
    invited: number;
    checkedIn: number | null;
    /** Person-times (人次) per level, every level in order (zero included). */
    byLevel: Bar[];
    /** Each deputy once, whatever their seats. */
    total: number;
  };
  findings: {
    total: number;
    byKind: Bar[];
    byCategory: Bar[];
    decisions: Bar[];
  };
  referrals: {
    byDepartment: DepartmentRow[];
    totals: DepartmentRow;
  };
  /** When the view was built: outcomes are as of then. */
  asOf: string;
}

export const FINDING_KIND_LABELS: Record<string, Label> = FINDING_KIND_NAMES;

export const ACTIVITY_STATUS_LABELS: Record<string, Label> = ACTIVITY_STATUS_NAMES;

/** The outcome columns of the referral table, in the order the page and the email show them. */
export const OUTCOME_COLUMNS = [
  ['sent', { zh: '已转交', en: 'Sent' }],
  ['acknowledged', { zh: '已签收', en: 'Acknowledged' }],
  ['answered', { zh: '已答复', en: 'Answered' }],
  ['resolved', { zh: '已解决', en: 'Resolved' }],
  ['overdue', { zh: '逾期', en: 'Overdue' }],
  ['returned', { zh: '退回', en: 'Returned' }],
  ['closed', { zh: '已办结', en: 'Closed' }],
] as const satisfies readonly (readonly [keyof DepartmentRow, Label])[];

const label = (table: Record<string, Label>, code: string): Label =>
  table[code] ?? { zh: code, en: code };

const count = (value: unknown): number =>
  typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;

export interface ReportViewInput {
  activity: {
    id: string;
    title: string;
    type: string;
    street: string;
    location?: string;
    startsAt: string;
    endsAt: string;
    status: string;
    completedAt?: string;
    details?: Record<string, unknown>;
  };
  report: ActivityReport;
  /** The activity's referrals as stored now (their outcomes may post-date the completion). */
  referrals: readonly ReferralFactsSource[];
  departmentNames: ReadonlyMap<string, string>;
  /** The district, for the street's names. */
  jurisdiction: Jurisdiction;
  now: Date;
}

export const buildReportView = (input: ReportViewInput): ReportView => {
  const { activity, report } = input;
  const stations = activity.details?.liaisonStations;
  const byLevel = report.personTimes?.byLevel ?? {};
  const levelCodes = [
    ...DEPUTY_LEVEL_CODES,
    ...Object.keys(byLevel).filter((code) => !(DEPUTY_LEVEL_CODES as string[]).includes(code)),
  ];
  const kinds = report.findings?.byKind ?? {};
  const kindCodes = [
    ...FINDING_KINDS,
    ...Object.keys(kinds).filter((code) => !(FINDING_KINDS as readonly string[]).includes(code)),
  ];
  const categories = Object.entries(report.findings?.byCategory ?? {})
    .map(([code, value]) => ({ code, label: label(FINDING_CATEGORIES, code), value: count(value) }))
    .sort((a, b) => b.value - a.value || (a.code < b.code ? -1 : 1));
  const findings = report.findings;

  // Outcomes by the same rules as the period statistics (满意率, 办成率: audit-stats/domain.ts).
  const facts = input.referrals.map(referralFactsOf);
  const outcomes = aggregateStatistics({
    period: {
      from: activity.startsAt,
      to: activity.startsAt,
      street: activity.street,
      type: activity.type,
    },
    activities: [],
    referrals: facts,
  }).referrals;
  const closedBy = new Map<string, number>();
  for (const fact of facts) {
    if (fact.closed) closedBy.set(fact.departmentId, (closedBy.get(fact.departmentId) ?? 0) + 1);
  }
  const row = (
    departmentId: string,
    stats: Omit<DepartmentStats, 'departmentId'>,
    closed: number,
  ) => {
    const { medianDaysToAnswer: _median, p90DaysToAnswer: _p90, ...rest } = stats;
    return {
      departmentId,
      name: input.departmentNames.get(departmentId) ?? departmentId,
      ...rest,
      closed,
    };
  };

  return {
    activity: {
      id: activity.id,
      title: activity.title,
      type: label(ACTIVITY_TYPES, activity.type),
      street: streetNames(input.jurisdiction, activity.street),
      location: activity.location ?? '',
      stations: Array.isArray(stations) ? stations.filter((s) => typeof s === 'string') : [],
      startsAt: activity.startsAt,
      endsAt: activity.endsAt,
      completedAt: activity.completedAt ?? null,
      status: label(ACTIVITY_STATUS_LABELS, activity.status),
    },
    attendance: {
      invited: count(report.attendance?.invited),
      checkedIn: report.attendance?.checkedIn ?? null,
      byLevel: levelCodes.map((code) => ({
        code,
        label: label(DEPUTY_LEVELS, code),
        value: count(byLevel[code]),
      })),
      total: count(report.personTimes?.total),
    },
    findings: {
      total: count(findings?.total),
      byKind: kindCodes.map((code) => ({
        code,
        label: label(FINDING_KIND_LABELS, code),
        value: count(kinds[code]),
      })),
      byCategory: categories,
      decisions: [
        {
          code: 'REFERRED',
          label: { zh: '转交办理', en: 'Referred' },
          value: count(findings?.referred),
        },
        { code: 'MERGED', label: { zh: '合并办理', en: 'Merged' }, value: count(findings?.merged) },
        {
          code: 'ANSWERED_DIRECTLY',
          label: { zh: '当场答复', en: 'Answered directly' },
          value: count(findings?.answeredDirectly),
        },
        {
          code: 'NO_ACTION',
          label: { zh: '不予转办', en: 'No action' },
          value: count(findings?.noAction),
        },
      ],
    },
    referrals: {
      byDepartment: outcomes.byDepartment.map((stats) =>
        row(stats.departmentId, stats, closedBy.get(stats.departmentId) ?? 0),
      ),
      totals: {
        ...row('TOTAL', outcomes.totals, facts.filter((fact) => fact.closed).length),
        name: '合计',
      },
    },
    asOf: input.now.toISOString(),
  };
};
