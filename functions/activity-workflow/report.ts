import type { FindingItem } from '../findings/model.js';
import { type ReferralItem } from '../shared/data/referrals.js';

/**
 * Attendance statistics as CloseAttendance stores them (`personTimesByLevel`,
 * `personTimesTotal`, `attended`: see `AttendanceStatistics` in activities/view.ts), read
 * leniently; the nested `personTimes`/`checkedIn` shape is accepted too.
 */
export interface AttendanceStats {
  personTimesByLevel?: Record<string, number>;
  personTimesTotal?: number;
  attended?: number;
  personTimes?: { byLevel?: Record<string, number>; total?: number };
  checkedIn?: number;
  invited?: number;
  /** Guest deputies of another district (a cross-inspection), counted apart from the district's own. */
  guests?: { attended: number; personTimesByLevel: Record<string, number> };
}

export interface ActivityReport {
  personTimes: {
    byLevel: Record<string, number>;
    total: number;
    /** Guest deputies of another district, apart from the district's own (absent: none came). */
    guests?: { byLevel: Record<string, number>; total: number };
  };
  attendance: { invited: number; checkedIn: number | null };
  findings: {
    total: number;
    byKind: Record<string, number>;
    byCategory: Record<string, number>;
    needingReferral: number;
    referred: number;
    merged: number;
    answeredDirectly: number;
    noAction: number;
    unrouted: number;
  };
  referrals: {
    total: number;
    dispatched: number;
    byDepartment: { departmentId: string; referralId: string; findings: number; status: string }[];
  };
}

const countBy = <T>(items: readonly T[], keyOf: (item: T) => string): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const item of items) counts[keyOf(item)] = (counts[keyOf(item)] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1)));
};

/**
 * The report data of a completed activity (情况报告): person-times by level (from the stored
 * attendance statistics), findings by kind and category and by what the review decided,
 * referrals by department. Pure; numbers and ids only.
 */
export const buildReport = (input: {
  invitedCount: number;
  attendance: AttendanceStats | undefined;
  findings: readonly Pick<
    FindingItem,
    'id' | 'kind' | 'category' | 'needsReferral' | 'decision' | 'referralId' | 'unrouted'
  >[];
  referrals: readonly Pick<ReferralItem, 'id' | 'departmentId' | 'findingIds' | 'status'>[];
}): ActivityReport => {
  const { findings, referrals } = input;
  const referredIds = new Set(referrals.flatMap((referral) => referral.findingIds));
  const decided = (type: string) => findings.filter((f) => f.decision?.type === type).length;
  const stats = input.attendance;
  const byLevel = { ...(stats?.personTimesByLevel ?? stats?.personTimes?.byLevel ?? {}) };
  return {
    personTimes: {
      byLevel,
      // A deputy with two seats counts at both levels but once in the total.
      total:
        stats?.personTimesTotal ??
        stats?.personTimes?.total ??
        Object.values(byLevel).reduce((sum, count) => sum + count, 0),
      ...(stats?.guests && stats.guests.attended > 0
        ? {
            guests: {
              byLevel: { ...stats.guests.personTimesByLevel },
              total: stats.guests.attended,
            },
          }
        : {}),
    },
    attendance: {
      invited: input.invitedCount,
      checkedIn: stats?.attended ?? stats?.checkedIn ?? null,
    },
    findings: {
      total: findings.length,
      byKind: countBy(findings, (finding) => finding.kind),
      byCategory: countBy(findings, (finding) => finding.category),
      needingReferral: findings.filter((finding) => finding.needsReferral).length,
      // What the meeting decided, one decision per finding: a merged finding travels in the
      // referral of the finding it joined (byDepartment counts it there) but counts as merged.
      referred: findings.filter(
        (finding) => referredIds.has(finding.id) && finding.decision?.type !== 'MERGE',
      ).length,
      merged: decided('MERGE'),
      answeredDirectly: decided('ANSWER_DIRECTLY'),
      noAction: decided('NO_ACTION'),
      unrouted: findings.filter((finding) => finding.unrouted).length,
    },
    referrals: {
      total: referrals.length,
      dispatched: referrals.filter((referral) => referral.status === 'DISPATCHED').length,
      byDepartment: [...referrals]
        .sort((a, b) => (a.departmentId < b.departmentId ? -1 : 1))
        .map((referral) => ({
          departmentId: referral.departmentId,
          referralId: referral.id,
          findings: referral.findingIds.length,
          status: referral.status,
        })),
    },
  };
};
