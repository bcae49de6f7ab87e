// unit test: SDK mocked with aws-sdk-client-mock (in-memory table)
import { describe, expect, it } from 'vitest';
import { openCheckIn } from '../../../../functions/activity-workflow/domain.js';
import { checkIn, respondToInvitation } from '../../../../functions/attendance/domain.js';
import {
  computeAttendanceStatistics,
  sealOfCheckInRecords,
  sealOfInvitationResponseRecords,
} from '../../../../functions/attendance/statistics.js';
import {
  closeAttendance,
  findingsDeadlineOf,
} from '../../../../functions/activity-workflow/attendance-steps.js';
import { verifyChain } from '../../../../functions/shared/data/audit.js';
import { activityItem, attendanceTable, deputy, ID, NOW } from './fixtures.js';

const { table, deps, audit, activity } = attendanceTable({
  activity: { pendingTask: { phase: 'ATTENDANCE', token: 'tok', since: 'x' } },
  invitations: {
    'dep-0001': { response: 'ACCEPTED' },
    'dep-0002': { response: 'ACCEPTED' },
    'dep-0003': { response: 'DECLINED' },
    'dep-0004': {},
  },
  deputies: {
    'dep-0001': ['MUNICIPAL', 'DISTRICT'],
    'dep-0002': ['DISTRICT'],
    'dep-0004': ['NATIONAL'],
  },
});

describe('attendance statistics', () => {
  it('counts a deputy with two seats once at each level and once in the total', () => {
    const stats = computeAttendanceStatistics(
      [
        { deputyId: 'a', response: 'ACCEPTED', checkedInAt: 'x' },
        { deputyId: 'b', response: 'ACCEPTED', checkedInAt: 'x', checkInMethod: 'MAKE_UP' },
        { deputyId: 'c', response: 'DECLINED' },
        { deputyId: 'd' },
      ],
      (id) =>
        ({
          a: [{ level: 'MUNICIPAL' as const }, { level: 'DISTRICT' as const }],
          b: [{ level: 'DISTRICT' as const }, { level: 'DISTRICT' as const }],
        })[id],
      NOW,
    );
    expect(stats).toEqual({
      invited: 4,
      accepted: 2,
      declined: 1,
      attended: 2,
      madeUp: 1,
      personTimesTotal: 2,
      personTimesByLevel: { NATIONAL: 0, PROVINCIAL: 0, MUNICIPAL: 1, DISTRICT: 2, TOWN: 0 },
      computedAt: NOW.toISOString(),
    });
  });

  it('the seal digest depends on every record and on nothing of their order', () => {
    const a = { pk: 'p', sk: 'AUDIT_CHECKIN#a', at: '1' };
    const b = { pk: 'p', sk: 'AUDIT_CHECKIN#b', at: '2' };
    expect(sealOfCheckInRecords([a, b])).toEqual(sealOfCheckInRecords([b, a]));
    expect(sealOfCheckInRecords([a, { ...b, at: '3' }]).digest).not.toBe(
      sealOfCheckInRecords([a, b]).digest,
    );
    expect(sealOfCheckInRecords([a]).count).toBe(1);
  });
});

describe('OpenCheckIn', () => {
  it('returns the seconds until attendanceClosesAt (default endsAt), at least 1', async () => {
    table.put(activityItem({ status: 'INVITATIONS_SENT', phase: 'START' }));
    const result = await openCheckIn(deps, ID);
    // endsAt 2030-08-18T17:00+08:00 = 09:00Z; now 02:00Z → 7 h.
    expect(result).toEqual({ activityId: ID, secondsUntilAttendanceDeadline: 7 * 3600 });
    expect(activity()).toMatchObject({ status: 'CHECK_IN_OPEN', phase: 'CHECK_IN' });

    table.put(
      activityItem({
        attendanceClosesAt: '2030-08-18T01:00:00Z',
        invitationResponsesSeal: { count: 0, digest: 'd', sealedAt: 'x' },
      }),
    );
    expect(await openCheckIn(deps, ID)).toEqual({
      activityId: ID,
      secondsUntilAttendanceDeadline: 1,
    });
  });
});

describe('OpenCheckIn seals the invitation responses', () => {
  it('appends one chained event with the count and digest of the response records', async () => {
    table.put(activityItem({ status: 'INVITATIONS_SENT', phase: 'START' }));
    await respondToInvitation(deps, ID, deputy('dep-0004'), { response: 'ACCEPTED' });
    await respondToInvitation(deps, ID, deputy('dep-0001'), { response: 'DECLINED', note: '出差' });
    await respondToInvitation(deps, ID, deputy('dep-0004'), { response: 'DECLINED' });
    // Unchained until the seal.
    expect(audit()).toHaveLength(0);
    const records = table.list('AUDIT_RESPONSE#');
    expect(records).toHaveLength(3);

    await openCheckIn(deps, ID);
    const seal = sealOfInvitationResponseRecords(records);
    expect(seal.count).toBe(3);
    expect(activity()).toMatchObject({
      status: 'CHECK_IN_OPEN',
      invitationResponsesSeal: { ...seal, sealedAt: NOW.toISOString() },
    });
    const events = audit();
    expect(events.map((event) => event.action)).toEqual([
      'CHECK_IN_OPENED',
      'INVITATION_RESPONSES_SEALED',
    ]);
    expect(events[1]!.after).toMatchObject({ seal });
    expect(verifyChain(events, { expectedPrevHash: 'a'.repeat(64) })).toMatchObject({ ok: true });

    // Idempotent: a retry changes nothing; an answer after opening is refused.
    const before = table.transactions().length;
    await openCheckIn(deps, ID);
    expect(table.transactions().length).toBe(before);
    await expect(
      respondToInvitation(deps, ID, deputy('dep-0002'), { response: 'DECLINED' }),
    ).rejects.toMatchObject({ statusCode: 409 });
    expect(table.list('AUDIT_RESPONSE#')).toHaveLength(3);
    expect(audit()).toHaveLength(2);
  });

  it('finishes the seal when a first attempt opened check-in but did not seal', async () => {
    table.put(activityItem({ status: 'INVITATIONS_SENT', phase: 'START' }));
    await respondToInvitation(deps, ID, deputy('dep-0002'), { response: 'ACCEPTED' });
    table.put(activityItem({ status: 'CHECK_IN_OPEN', phase: 'CHECK_IN', checkInOpenedAt: 'x' }));
    await openCheckIn(deps, ID);
    expect(audit().map((event) => event.action)).toEqual(['INVITATION_RESPONSES_SEALED']);
    expect(activity().invitationResponsesSeal).toMatchObject({ count: 1 });
  });
});

describe('CloseAttendance', () => {
  it('closes, seals the check-in records and stores the statistics', async () => {
    await checkIn(deps, ID, deputy('dep-0001'), {});
    await checkIn(deps, ID, deputy('dep-0002'), {});
    const records = table.list('AUDIT_CHECKIN#');

    const result = await closeAttendance(deps, ID);
    // findings default: endsAt + 7 days.
    expect(result).toEqual({
      activityId: ID,
      secondsUntilFindingsDeadline: 7 * 3600 + 7 * 86_400,
    });
    const closed = activity();
    expect(closed).toMatchObject({
      status: 'FINDINGS_OPEN',
      phase: 'FINDINGS',
      attendance: {
        invited: 4,
        accepted: 2,
        declined: 1,
        attended: 2,
        personTimesTotal: 2,
        personTimesByLevel: { MUNICIPAL: 1, DISTRICT: 2, NATIONAL: 0 },
      },
      attendanceSeal: sealOfCheckInRecords(records),
      listPk: 'ACTIVITIES#FINDINGS_OPEN',
    });
    expect(closed.pendingTask).toBeUndefined();
    const events = audit();
    expect(events.map((event) => event.action)).toEqual(['ATTENDANCE_CLOSED', 'CHECK_INS_SEALED']);
    expect(events[1]!.after).toMatchObject({ seal: sealOfCheckInRecords(records) });
    expect(verifyChain(events, { expectedPrevHash: 'a'.repeat(64) })).toMatchObject({ ok: true });

    // A check-in after closing is refused.
    await expect(checkIn(deps, ID, deputy('dep-0004'), {})).rejects.toMatchObject({
      statusCode: 409,
      message: expect.stringContaining('Attendance is closed'),
    });
  });

  it('is idempotent: a retry after success changes nothing', async () => {
    await closeAttendance(deps, ID);
    const before = table.transactions().length;
    expect(await closeAttendance(deps, ID)).toMatchObject({ activityId: ID });
    expect(table.transactions().length).toBe(before);
    expect(audit()).toHaveLength(2);
  });

  it('finishes the seal when a first attempt closed but did not seal', async () => {
    table.put(
      activityItem({ status: 'FINDINGS_OPEN', phase: 'FINDINGS', attendanceClosedAt: 'x' }),
    );
    await closeAttendance(deps, ID);
    expect(audit().map((event) => event.action)).toEqual(['CHECK_INS_SEALED']);
    expect(activity().attendanceSeal).toMatchObject({ count: 0 });
  });

  it('uses findingsCloseAt when given', async () => {
    table.put(activityItem({ findingsCloseAt: '2030-08-18T03:00:00Z' }));
    expect(await closeAttendance(deps, ID)).toMatchObject({ secondsUntilFindingsDeadline: 3600 });
    expect(findingsDeadlineOf({ endsAt: '2030-08-18T09:00:00Z' })).toBe('2030-08-25T09:00:00.000Z');
  });

  it('refuses a cancelled activity', async () => {
    table.put(activityItem({ status: 'CANCELLED' }));
    await expect(closeAttendance(deps, ID)).rejects.toMatchObject({ statusCode: 409 });
  });
});
