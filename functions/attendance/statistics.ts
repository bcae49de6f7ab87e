import { createHash } from 'node:crypto';
import type { AttendanceStatistics, InvitationRecord } from '../activities/view.js';
import type { Store } from '../shared/data/activities.js';
import { canonicalJson } from '../shared/data/audit.js';
import { getDeputies } from '../shared/data/deputies.js';
import type { DeputySeat } from '../shared/data/items.js';
import { keys } from '../shared/data/keys.js';
import { queryAll } from '../shared/data/query.js';
import { DEPUTY_LEVEL_CODES, type DeputyLevel } from '../shared/domain/reference.js';

/**
 * Attendance statistics (人次). A deputy who checked in counts once in the total, and once at
 * each distinct level where they hold a seat: someone sitting in the municipal and the district
 * congress adds one person-time to MUNICIPAL, one to DISTRICT and one to the total. Seats are
 * read from reference data when the statistics are computed.
 */
export const computeAttendanceStatistics = (
  invitations: readonly Pick<
    InvitationRecord,
    'deputyId' | 'response' | 'checkedInAt' | 'checkInMethod'
  >[],
  seatsOf: (deputyId: string) => readonly Pick<DeputySeat, 'level'>[] | undefined,
  now: Date,
  isGuest: (deputyId: string) => boolean = () => false,
): AttendanceStatistics => {
  const zeroes = () =>
    Object.fromEntries(DEPUTY_LEVEL_CODES.map((level) => [level, 0])) as Record<
      DeputyLevel,
      number
    >;
  const personTimesByLevel = zeroes();
  const guestsByLevel = zeroes();
  let guests = 0;
  let accepted = 0;
  let declined = 0;
  let attended = 0;
  let madeUp = 0;
  for (const invitation of invitations) {
    if (invitation.response === 'ACCEPTED') accepted++;
    if (invitation.response === 'DECLINED') declined++;
    if (!invitation.checkedInAt) continue;
    attended++;
    if (invitation.checkInMethod === 'MAKE_UP') madeUp++;
    const levels = new Set((seatsOf(invitation.deputyId) ?? []).map((seat) => seat.level));
    // A guest of another district counts apart: never in the district's own person-times.
    const guest = isGuest(invitation.deputyId);
    if (guest) guests++;
    const byLevel = guest ? guestsByLevel : personTimesByLevel;
    for (const level of levels) {
      if (level in byLevel) byLevel[level]++;
    }
  }
  return {
    invited: invitations.length,
    accepted,
    declined,
    attended,
    personTimesByLevel,
    personTimesTotal: attended - guests,
    madeUp,
    ...(guests > 0 ? { guests: { attended: guests, personTimesByLevel: guestsByLevel } } : {}),
    computedAt: now.toISOString(),
  };
};

/** Reads the seats of the deputies who checked in and computes the statistics. */
export const attendanceStatisticsOf = async (
  store: Store,
  invitations: readonly InvitationRecord[],
  now: Date,
): Promise<AttendanceStatistics> => {
  const attendedIds = invitations.filter((item) => item.checkedInAt).map((item) => item.deputyId);
  // Seats and the guest's district only: nothing personal is read to count attendance.
  const deputies = attendedIds.length
    ? await getDeputies(store, attendedIds, ['seats', 'guest'])
    : new Map<string, { id: string; seats: DeputySeat[]; guest?: { district: string } }>();
  return computeAttendanceStatistics(
    invitations,
    (id) => deputies.get(id)?.seats,
    now,
    (id) => deputies.get(id)?.guest !== undefined,
  );
};

/** The unchained audit record of one check-in (`AUDIT_CHECKIN#<deputyId>`). */
export interface CheckInAuditRecord {
  pk: string;
  sk: string;
  entity: 'AUDIT_CHECKIN';
  activityId: string;
  deputyId: string;
  at: string;
  /** Cognito `sub` of whoever recorded it: the deputy, or the organiser of a make-up. */
  actor: string;
  method: 'API' | 'QR' | 'CODE' | 'MAKE_UP';
  reason?: string;
}

/** Every check-in audit record of an activity, in key order (strongly consistent). */
export const listCheckInAuditRecords = (
  store: Store,
  activityId: string,
): Promise<CheckInAuditRecord[]> =>
  queryAll<CheckInAuditRecord>(store, keys.checkInAuditRecordsOfActivity(activityId));

/**
 * The unchained audit record of one answer to an invitation
 * (`AUDIT_RESPONSE#<deputyId>#<n>`): the n-th answer of that deputy. The deputy's note is free
 * text they wrote: it stays on the invitation, only `hasNote` is recorded here.
 */
export interface InvitationResponseAuditRecord {
  pk: string;
  sk: string;
  entity: 'AUDIT_RESPONSE';
  activityId: string;
  deputyId: string;
  n: number;
  at: string;
  /** Cognito `sub` of the deputy who answered. */
  actor: string;
  response: 'ACCEPTED' | 'DECLINED';
  previousResponse: 'ACCEPTED' | 'DECLINED' | null;
  hasNote: boolean;
}

/** Every invitation response audit record of an activity, in key order (strongly consistent). */
export const listInvitationResponseAuditRecords = (
  store: Store,
  activityId: string,
): Promise<InvitationResponseAuditRecord[]> =>
  queryAll<InvitationResponseAuditRecord>(
    store,
    keys.invitationResponseAuditRecordsOfActivity(activityId),
  );

/**
 * The seal of a set of check-in records: their count and a SHA-256 over the canonical JSON of
 * each whole stored record, in key (`sk`) order, one per line. Recomputing it from the table
 * and comparing with the `after.seal` of the `CHECK_INS_SEALED` event verifies that no record
 * was changed, added or removed after attendance closed.
 */
export const sealOfCheckInRecords = (
  records: readonly object[],
): { count: number; digest: string } => {
  const ordered = [...records].sort((a, b) => {
    const x = String((a as { sk?: unknown }).sk);
    const y = String((b as { sk?: unknown }).sk);
    return x < y ? -1 : x > y ? 1 : 0;
  });
  const hash = createHash('sha256');
  for (const record of ordered) hash.update(`${canonicalJson(record)}\n`, 'utf8');
  return { count: ordered.length, digest: hash.digest('hex') };
};

/**
 * The seal of the invitation response records, computed as {@link sealOfCheckInRecords}; the
 * `INVITATION_RESPONSES_SEALED` event of OpenCheckIn holds it in `after.seal`.
 */
export const sealOfInvitationResponseRecords = sealOfCheckInRecords;
