import type { ActivityRecord, InvitationRecord } from '../activities/view.js';
import { loadActivity } from '../shared/data/activities.js';
import { listInvitations } from '../shared/data/invitations.js';
import { withConflictRetry } from '../shared/data/transact.js';
import { ConflictError } from '../shared/errors.js';
import { clock } from '../shared/domain/deps.js';
import { assertNotFinal, changeActivity, listingFor } from './activity-state.js';
import type { AttendanceDeps } from '../attendance/domain.js';
import {
  attendanceStatisticsOf,
  listCheckInAuditRecords,
  sealOfCheckInRecords,
} from '../attendance/statistics.js';

export const DEFAULT_FINDINGS_DAYS = 7;

/** When attendance closes by itself: `attendanceClosesAt`, else the end of the activity. */
export const attendanceDeadlineOf = (
  activity: Pick<ActivityRecord, 'attendanceClosesAt' | 'endsAt'>,
): string => activity.attendanceClosesAt ?? activity.endsAt;

/** When findings close by itself: `findingsCloseAt`, else 7 days after the end. */
export const findingsDeadlineOf = (
  activity: Pick<ActivityRecord, 'findingsCloseAt' | 'endsAt'>,
): string =>
  activity.findingsCloseAt ??
  new Date(Date.parse(activity.endsAt) + DEFAULT_FINDINGS_DAYS * 86_400_000).toISOString();

/**
 * Whole seconds from `now` until `at`, for a `TimeoutSecondsPath`: at least 1 (Step Functions
 * wants a positive integer, and a deadline already past should end the wait at once).
 */
export const secondsUntilDeadline = (at: string, now: Date): number => {
  const seconds = Math.floor((Date.parse(at) - now.getTime()) / 1000);
  return Number.isFinite(seconds) ? Math.max(1, seconds) : 1;
};

export interface CloseAttendanceResult {
  activityId: string;
  secondsUntilFindingsDeadline: number;
}

/**
 * State `CloseAttendance`, in two chained steps so that no check-in can slip between the seal
 * and the close:
 *
 * 1. `ATTENDANCE_CLOSED`: status CHECK_IN_OPEN → FINDINGS_OPEN, pending task cleared. Check-ins
 *    are conditional on CHECK_IN_OPEN in their own transactions, so once this commits no
 *    check-in record can be added.
 * 2. `CHECK_INS_SEALED`: reads every `AUDIT_CHECKIN#*` record and every invitation, stores the
 *    attendance statistics and the seal (count + SHA-256 digest of the records in key order),
 *    conditional on no seal existing yet.
 *
 * A retry (or a redrive after a failure in between) skips what is already done, so the step is
 * idempotent; it returns the seconds until the findings deadline for `TimeoutSecondsPath`.
 */
export const closeAttendance = async (
  deps: AttendanceDeps,
  activityId: string,
): Promise<CloseAttendanceResult> => {
  await withConflictRetry(async () => {
    const activity = await loadActivity<ActivityRecord>(deps, activityId);
    if (activity.attendanceClosedAt) return;
    assertNotFinal(activity);
    const status: string = activity.status;
    if (status !== 'CHECK_IN_OPEN' && status !== 'FAILED') {
      throw new ConflictError(`Activity ${activityId} is ${status}: cannot close attendance`);
    }
    const at = clock(deps).toISOString();
    await changeActivity(
      deps,
      activity,
      {
        set: {
          status: 'FINDINGS_OPEN',
          phase: 'FINDINGS',
          attendanceClosedAt: at,
          ...listingFor(activity, 'FINDINGS_OPEN'),
        },
        remove: ['pendingTask', 'failure'],
        condition: {
          expression: '#expectedStatus = :expectedStatus',
          names: { '#expectedStatus': 'status' },
          values: { ':expectedStatus': status },
        },
      },
      {
        action: 'ATTENDANCE_CLOSED',
        before: { status, phase: activity.phase },
        after: { status: 'FINDINGS_OPEN', phase: 'FINDINGS' },
      },
      at,
    );
  });

  const activity = await withConflictRetry(async () => {
    const current = await loadActivity<ActivityRecord>(deps, activityId);
    if (current.attendanceSeal) return current;
    assertNotFinal(current);
    const status: string = current.status;
    const now = clock(deps);
    const records = await listCheckInAuditRecords(deps, activityId);
    const seal = { ...sealOfCheckInRecords(records), sealedAt: now.toISOString() };
    const invitations = (await listInvitations(deps, activityId)) as InvitationRecord[];
    const attendance = await attendanceStatisticsOf(deps, invitations, now);
    // A redrive after a failure between the two steps: the activity goes back to FINDINGS_OPEN.
    const recovering = status === 'FAILED';
    await changeActivity(
      deps,
      current,
      {
        set: {
          attendance,
          attendanceSeal: seal,
          ...(recovering
            ? {
                status: 'FINDINGS_OPEN',
                phase: 'FINDINGS',
                ...listingFor(current, 'FINDINGS_OPEN'),
              }
            : {}),
        },
        ...(recovering ? { remove: ['failure'] } : {}),
        condition: {
          expression: 'attribute_not_exists(#seal) AND #expectedStatus = :expectedStatus',
          names: { '#seal': 'attendanceSeal', '#expectedStatus': 'status' },
          values: { ':expectedStatus': status },
        },
      },
      {
        action: 'CHECK_INS_SEALED',
        before: { status },
        after: {
          status: recovering ? 'FINDINGS_OPEN' : status,
          seal: { count: seal.count, digest: seal.digest },
          attendance,
        },
      },
      seal.sealedAt,
    );
    deps.logger?.info('Attendance sealed', {
      checkIns: seal.count,
      attended: attendance.attended,
    });
    return { ...current, attendanceSeal: seal, attendance };
  });

  return {
    activityId,
    secondsUntilFindingsDeadline: secondsUntilDeadline(findingsDeadlineOf(activity), clock(deps)),
  };
};
