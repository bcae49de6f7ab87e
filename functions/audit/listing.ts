import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { ActivityItem } from '../shared/data/items.js';
import {
  keys,
  type EndedActivityDimension,
  type EndedActivityPartition,
} from '../shared/data/keys.js';

/**
 * The audit listing of ended activities (issue 5). When an activity reaches a final status
 * (COMPLETED, CANCELLED, FAILED) the step that sets it puts, in the same transaction, one entry
 * per dimension (`ALL`, `STREET`, `TYPE`, `ORGANISER`) in the activity's own partition. Each
 * entry carries a listing key `ENDED#<status>#<YYYY-MM>[#<dimension>#<value>]` /
 * `<endedAt>#<id>` and a snapshot of what the audit list shows, so `GET /audit/activities` is a
 * Query of the months it spans (never a Scan) and its first page does not depend on the size of
 * the table. A later final status (a FAILED workflow redriven to COMPLETED) overwrites them.
 */

export const ENDED_STATUSES = ['COMPLETED', 'CANCELLED', 'FAILED'] as const;
export type EndedStatus = (typeof ENDED_STATUSES)[number];

export const ENDED_DIMENSIONS: readonly EndedActivityDimension[] = [
  'ALL',
  'STREET',
  'TYPE',
  'ORGANISER',
];

/** `YYYY-MM` (UTC) of an ISO time. */
export const monthOf = (iso: string): string => new Date(iso).toISOString().slice(0, 7);

/** What an entry shows of attendance, findings and referrals when the activity ended. */
export interface EndedActivitySummary {
  attendance: {
    invited: number;
    checkedIn: number | null;
    personTimesTotal: number | null;
    personTimesByLevel: Record<string, number>;
  };
  findings: {
    total: number;
    byKind: Record<string, number>;
    byCategory: Record<string, number>;
    referred: number;
  } | null;
  /** The referrals the activity led to; their current outcome is read at query time. */
  referralIds: string[];
}

export interface EndedActivityEntry {
  pk: string;
  sk: string;
  listPk: string;
  listSk: string;
  entity: 'AUDIT_LISTING';
  dimension: EndedActivityDimension;
  activityId: string;
  status: EndedStatus;
  endedAt: string;
  title: string;
  type: string;
  street: string;
  organiserId: string;
  startsAt: string;
  endsAt: string;
  summary: EndedActivitySummary;
  /** Short reason of a cancellation or failure. */
  reason?: string;
}

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** The fields of the activity item (issue 2–4 extras read leniently) an entry is built from. */
export type EndingActivity = Pick<
  ActivityItem,
  'id' | 'title' | 'type' | 'street' | 'organiserId' | 'startsAt' | 'endsAt' | 'invitedCount'
>;

interface ReportLike {
  personTimes?: { byLevel?: Record<string, number>; total?: number };
  attendance?: { invited?: number; checkedIn?: number | null };
  findings?: {
    total?: number;
    byKind?: Record<string, number>;
    byCategory?: Record<string, number>;
    referred?: number;
  };
  referrals?: { byDepartment?: { referralId: string }[] };
}

interface AttendanceLike {
  personTimesByLevel?: Record<string, number>;
  personTimesTotal?: number;
  attended?: number;
}

const asObject = <T>(value: unknown): T | undefined =>
  value && typeof value === 'object' ? (value as T) : undefined;

/** The snapshot of an ending activity: from its report when completed, else what it holds. */
export const summarize = (activity: EndingActivity, report?: unknown): EndedActivitySummary => {
  const extras = activity as unknown as Record<string, unknown>;
  const rep = asObject<ReportLike>(report ?? extras.report);
  const stats = asObject<AttendanceLike>(extras.attendance);
  const seal = asObject<{ count?: number }>(extras.findingsSeal);
  const approved = Array.isArray(extras.approvedReferralIds)
    ? (extras.approvedReferralIds as string[])
    : [];
  return {
    attendance: {
      invited: rep?.attendance?.invited ?? activity.invitedCount,
      checkedIn: rep?.attendance?.checkedIn ?? stats?.attended ?? null,
      personTimesTotal: rep?.personTimes?.total ?? stats?.personTimesTotal ?? null,
      personTimesByLevel: rep?.personTimes?.byLevel ?? stats?.personTimesByLevel ?? {},
    },
    findings: rep?.findings
      ? {
          total: rep.findings.total ?? 0,
          byKind: rep.findings.byKind ?? {},
          byCategory: rep.findings.byCategory ?? {},
          referred: rep.findings.referred ?? 0,
        }
      : seal?.count !== undefined
        ? { total: seal.count, byKind: {}, byCategory: {}, referred: 0 }
        : null,
    referralIds: rep?.referrals?.byDepartment?.map((r) => r.referralId) ?? approved,
  };
};

const partitionOf = (
  dimension: EndedActivityDimension,
  activity: EndingActivity,
  status: EndedStatus,
  month: string,
): EndedActivityPartition => ({
  status,
  month,
  dimension,
  ...(dimension === 'STREET' ? { value: activity.street } : {}),
  ...(dimension === 'TYPE' ? { value: activity.type } : {}),
  ...(dimension === 'ORGANISER' ? { value: activity.organiserId } : {}),
});

/** The entries (one per dimension) of an activity that ends with `status` at `endedAt`. */
export const endedActivityEntries = (
  activity: EndingActivity,
  status: EndedStatus,
  endedAt: string,
  options: { report?: unknown; reason?: string } = {},
): EndedActivityEntry[] => {
  const summary = summarize(activity, options.report);
  const month = monthOf(endedAt);
  // A dimension whose value cannot be a key part (missing, or holding `#`) gets no entry: the
  // step that ends the activity (RecordFailure runs in the workflow's Catch) must not fail here.
  const usable = ENDED_DIMENSIONS.filter((dimension) => {
    if (dimension === 'ALL') return true;
    const value = partitionOf(dimension, activity, status, month).value;
    return typeof value === 'string' && value !== '' && !value.includes('#');
  });
  return usable.map((dimension) => ({
    ...keys.endedActivityEntry(activity.id, dimension),
    ...keys.endedActivityListing(
      partitionOf(dimension, activity, status, month),
      endedAt,
      activity.id,
    ),
    entity: 'AUDIT_LISTING' as const,
    dimension,
    activityId: activity.id,
    status,
    endedAt,
    title: activity.title,
    type: activity.type,
    street: activity.street,
    organiserId: activity.organiserId,
    startsAt: activity.startsAt,
    endsAt: activity.endsAt,
    summary,
    ...(options.reason ? { reason: options.reason.slice(0, 200) } : {}),
  }));
};

/** The Puts of {@link endedActivityEntries}, for the transaction that sets the final status. */
export const endedActivityPuts = (
  tableName: string,
  activity: EndingActivity,
  status: EndedStatus,
  endedAt: string,
  options: { report?: unknown; reason?: string } = {},
): TransactItem[] =>
  endedActivityEntries(activity, status, endedAt, options).map((Item) => ({
    Put: { TableName: tableName, Item },
  }));
