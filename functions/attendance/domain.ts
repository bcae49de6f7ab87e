import {
  UpdateCommand,
  type DynamoDBDocumentClient,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { ActivityRecord, CommunityCounts, InvitationRecord } from '../activities/view.js';
import { isOrganiserOf } from '../shared/http/auth.js';
import { activityStatusCheck, getActivity, loadActivity } from '../shared/data/activities.js';
import { getInvitation, listInvitations } from '../shared/data/invitations.js';
import {
  appendAuditEvent,
  streamHead,
  type AuditEventContent,
  type HeadChange,
} from '../shared/data/audit.js';
import { keys } from '../shared/data/keys.js';
import { writeTransaction, withConflictRetry } from '../shared/data/transact.js';
import { ConflictError, NotFoundError, TransientError } from '../shared/errors.js';
import type { Caller } from '../shared/http/auth.js';
import type { DomainLogger } from '../shared/observability.js';
import {
  CheckInCodeError,
  isVenueCode,
  issueCheckInCode,
  venueCodeOf,
  verifyCheckInCode,
} from './check-in-code.js';
import type { z } from 'zod/mini';
import type {
  CheckInBody,
  checkInQrSchema,
  checkInViewSchema,
  InvitationResponseBody,
  invitationResponseViewSchema,
  MakeUpCheckInBody,
} from './schemas.js';
import {
  attendanceStatisticsOf,
  type CheckInAuditRecord,
  type InvitationResponseAuditRecord,
} from './statistics.js';

/**
 * Invitation responses, check-ins (by the deputy, by QR code, make-up by an organiser), the
 * QR code and the public check-in page, and the counts of community visits.
 *
 * Check-ins arrive concurrently from hundreds of deputies, so each is written with its own
 * unchained audit record (`AUDIT_CHECKIN#<deputyId>`) in one transaction that is conditional on
 * the activity being CHECK_IN_OPEN and the invitation not checked in yet; CloseAttendance seals
 * the records with one chained event. Invitation responses likewise arrive together: each
 * answer is written with its own unchained record (`AUDIT_RESPONSE#<deputyId>#<n>`),
 * conditional on the activity's status not having moved, and OpenCheckIn seals them. Everything
 * else here is rare (organiser actions) and appends to the activity's hash chain directly.
 */

export interface AttendanceDeps {
  db: DynamoDBDocumentClient;
  tableName: string;
  now?: () => Date;
  logger?: DomainLogger;
}

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const clock = (deps: AttendanceDeps) => (deps.now ?? (() => new Date()))();

/** Statuses the reference vocabulary of issue 2 does not list yet are compared as strings. */
const statusOf = (activity: ActivityRecord): string => activity.status;

/** Statuses before check-in opens: invitations may still be answered. */
const BEFORE_CHECK_IN = ['SCHEDULED', 'INVITATIONS_SENT'];

const activityNotFound = (activityId: string) =>
  new NotFoundError(`Activity ${activityId} not found`);

/** Out-of-scope organisers get the same 404 as for a missing activity: existence does not leak. */
const loadForOrganiser = async (deps: AttendanceDeps, activityId: string, caller: Caller) => {
  const activity = await loadActivity<ActivityRecord>(deps, activityId);
  if (!isOrganiserOf(caller, activity)) throw activityNotFound(activityId);
  return activity;
};

const loadInvitation = async (deps: AttendanceDeps, activityId: string, deputyId: string) =>
  (await getInvitation(deps, activityId, deputyId)) as InvitationRecord | undefined;

/** Transaction entries applying `change` to the activity with its chained audit event. */
const chained = (
  deps: AttendanceDeps,
  activity: ActivityRecord,
  change: HeadChange,
  event: AuditEventContent,
): TransactItem[] =>
  appendAuditEvent({
    tableName: deps.tableName,
    streamId: keys.auditStreamOfActivity(activity.id),
    head: streamHead(keys.activity(activity.id), activity),
    change: { ...change, set: { ...change.set, updatedAt: event.at } },
    event,
  }).items;

const statusIs = (status: string) => ({
  expression: '#expectedStatus = :expectedStatus',
  names: { '#expectedStatus': 'status' },
  values: { ':expectedStatus': status },
});

/** Why a check-in is refused at this status (undefined: check-in is open). */
const checkInWindowError = (activity: ActivityRecord): ConflictError | undefined => {
  const status = statusOf(activity);
  if (status === 'CHECK_IN_OPEN') return undefined;
  if (BEFORE_CHECK_IN.includes(status)) {
    return new ConflictError(
      `Check-in has not opened for activity ${activity.id}; it opens at ${activity.startsAt}`,
    );
  }
  if (status === 'CANCELLED') return new ConflictError(`Activity ${activity.id} is cancelled`);
  if (status === 'FAILED') {
    return new ConflictError(`Activity ${activity.id} failed; check-in is not possible`);
  }
  return new ConflictError(`Attendance is closed for activity ${activity.id}`);
};

const alreadyCheckedIn = (invitation: InvitationRecord) =>
  new ConflictError(
    `Deputy ${invitation.deputyId} already checked in at ${invitation.checkedInAt ?? '?'}`,
  );

// --- invitation responses ----------------------------------------------------------------

export type InvitationResponseView = z.output<typeof invitationResponseViewSchema>;

/**
 * `POST /activities/{id}/invitation/response`: the invited deputy accepts or declines, and may
 * change their mind until check-in opens. Not invited (or no such activity): 404. Sending the
 * same answer again changes nothing. Each change writes the invitation and its own unchained
 * audit record in one transaction, with a ConditionCheck that the activity's status is still
 * the one read (before check-in): a ConditionCheck does not modify the activity, so answers of
 * different deputies do not contend, and none can slip in after OpenCheckIn (which seals them).
 */
export const respondToInvitation = async (
  deps: AttendanceDeps,
  activityId: string,
  caller: Caller,
  body: InvitationResponseBody,
): Promise<InvitationResponseView> =>
  withConflictRetry(async () => {
    const activity = await loadActivity<ActivityRecord>(deps, activityId);
    const invitation = await loadInvitation(deps, activityId, caller.deputyId);
    if (!invitation) throw activityNotFound(activityId);

    const status = statusOf(activity);
    if (!BEFORE_CHECK_IN.includes(status)) {
      throw new ConflictError(
        status === 'CANCELLED'
          ? `Activity ${activityId} is cancelled`
          : `Invitations can no longer be answered: check-in has opened (status ${status})`,
      );
    }
    const view = (respondedAt: string): InvitationResponseView => ({
      activityId,
      deputyId: caller.deputyId,
      response: body.response,
      respondedAt,
      ...(body.note ? { note: body.note } : {}),
    });
    if (
      invitation.response === body.response &&
      (invitation.responseNote ?? '') === (body.note ?? '') &&
      invitation.respondedAt
    ) {
      return view(invitation.respondedAt);
    }

    const at = clock(deps).toISOString();
    const note = body.note
      ? { set: 'responseNote = :note', values: { ':note': body.note } }
      : { set: undefined, values: {} };
    // The n-th answer of this deputy: each change is its own unchained record.
    const n =
      ((invitation as InvitationRecord & { responseCount?: number }).responseCount ?? 0) + 1;
    const record: InvitationResponseAuditRecord = {
      ...keys.invitationResponseAuditRecord(activityId, caller.deputyId, n),
      entity: 'AUDIT_RESPONSE',
      activityId,
      deputyId: caller.deputyId,
      n,
      at,
      actor: caller.sub,
      response: body.response,
      previousResponse: invitation.response ?? null,
      // The note is free text a deputy wrote: kept on the invitation, not in the trail.
      hasNote: !!body.note,
    };
    await writeTransaction(deps.db, [
      // Not an update: concurrent answers of other deputies do not contend on the activity.
      // OpenCheckIn changes the status, so once it commits no answer can be added.
      activityStatusCheck(deps.tableName, activityId, [status]),
      {
        Update: {
          TableName: deps.tableName,
          Key: keys.invitation(activityId, caller.deputyId),
          UpdateExpression:
            `SET #response = :response, respondedAt = :at, responseCount = :n` +
            (note.set ? `, ${note.set}` : ' REMOVE responseNote'),
          // The response read above must still be the current one (two tabs answering at once).
          ConditionExpression:
            'attribute_exists(pk) AND ' +
            (invitation.respondedAt
              ? 'respondedAt = :previousAt'
              : 'attribute_not_exists(respondedAt)'),
          ExpressionAttributeNames: { '#response': 'response' },
          ExpressionAttributeValues: {
            ':response': body.response,
            ':at': at,
            ':n': n,
            ...note.values,
            ...(invitation.respondedAt ? { ':previousAt': invitation.respondedAt } : {}),
          },
        },
      },
      {
        Put: {
          TableName: deps.tableName,
          Item: record,
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ]);
    return view(at);
  });

// --- check-in ----------------------------------------------------------------------------

export type CheckInView = z.output<typeof checkInViewSchema>;

const checkInItems = (
  deps: AttendanceDeps,
  activityId: string,
  deputyId: string,
  record: Omit<CheckInAuditRecord, 'pk' | 'sk' | 'entity' | 'activityId' | 'deputyId'>,
  options: { auditRecord: boolean },
): TransactItem[] => [
  {
    Update: {
      TableName: deps.tableName,
      Key: keys.invitation(activityId, deputyId),
      UpdateExpression:
        'SET checkedInAt = :at, checkInMethod = :method' +
        (record.method === 'MAKE_UP' ? ', makeUpReason = :reason, checkedInBy = :actor' : ''),
      // Exactly once: a second check-in (or a concurrent one) fails here.
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(checkedInAt)',
      ExpressionAttributeValues: {
        ':at': record.at,
        ':method': record.method,
        ...(record.method === 'MAKE_UP'
          ? { ':reason': record.reason, ':actor': record.actor }
          : {}),
      },
    },
  },
  ...(options.auditRecord
    ? [
        {
          Put: {
            TableName: deps.tableName,
            Item: {
              ...keys.checkInAuditRecord(activityId, deputyId),
              entity: 'AUDIT_CHECKIN',
              activityId,
              deputyId,
              ...record,
            } satisfies CheckInAuditRecord,
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ]
    : []),
];

/**
 * The HMAC key of check-in codes, read when a code is issued or verified (handlers read it from
 * Secrets Manager, cached), so a check-in without a code does not depend on it.
 */
export interface CheckInCodeKeyDeps {
  checkInCodeKey: () => Promise<string>;
}

/**
 * `POST /activities/{id}/check-ins`: an invited deputy checks in, exactly once, while the
 * activity is CHECK_IN_OPEN. With a `code` (from the QR page) the code must verify and name
 * this activity; the check-in is then recorded as `QR`.
 */
export const checkIn = async (
  deps: AttendanceDeps & CheckInCodeKeyDeps,
  activityId: string,
  caller: Caller,
  body: CheckInBody,
): Promise<CheckInView> => {
  const now = clock(deps);
  let method: CheckInView['method'] = 'API';
  if (body.code !== undefined) {
    const verified = verifyCheckInCode(await deps.checkInCodeKey(), body.code, now);
    if (verified.activityId !== activityId) throw new CheckInCodeError('INVALID');
    method = 'QR';
  }
  return recordOwnCheckIn(deps, activityId, caller, method);
};

/** Wrong venue codes one invitation may try before only a make-up check-in remains. */
export const MAX_VENUE_CODE_FAILURES = 10;

/** The invitation used up its wrong venue codes (409). */
export class VenueCodeLockedError extends ConflictError {
  override readonly name = 'VenueCodeLockedError';
}

/**
 * A deputy checks in from their personal page (issue 14): the link says who, the proof says
 * they are at the venue: the six-digit venue code they typed, or the QR code they scanned (the
 * check-in page, on a phone that opened its personal link). A wrong venue code is counted on the
 * invitation; after {@link MAX_VENUE_CODE_FAILURES} the page refuses, so the six digits cannot be
 * guessed from afar.
 */
export const checkInAtVenue = async (
  deps: AttendanceDeps & CheckInCodeKeyDeps,
  activityId: string,
  caller: Caller,
  proof: { venueCode: string } | { qrCode: string },
): Promise<CheckInView> => {
  const now = clock(deps);
  if ('qrCode' in proof) return checkIn(deps, activityId, caller, { code: proof.qrCode });
  const invitation = await loadInvitation(deps, activityId, caller.deputyId);
  if (!invitation) throw activityNotFound(activityId);
  if (invitation.checkedInAt) throw alreadyCheckedIn(invitation);
  if ((invitation.venueCodeFailures ?? 0) >= MAX_VENUE_CODE_FAILURES) {
    throw new VenueCodeLockedError(
      'Too many wrong codes: ask the organiser to record your check-in (make-up check-in)',
    );
  }
  if (!isVenueCode(await deps.checkInCodeKey(), activityId, proof.venueCode, now)) {
    await deps.db.send(
      new UpdateCommand({
        TableName: deps.tableName,
        Key: keys.invitation(activityId, caller.deputyId),
        UpdateExpression: 'ADD venueCodeFailures :one',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );
    throw new CheckInCodeError('INVALID');
  }
  return recordOwnCheckIn(deps, activityId, caller, 'CODE');
};

/** The invited deputy's own check-in, exactly once, while the activity is CHECK_IN_OPEN. */
const recordOwnCheckIn = (
  deps: AttendanceDeps,
  activityId: string,
  caller: Caller,
  method: CheckInView['method'],
): Promise<CheckInView> =>
  withConflictRetry(async () => {
    const activity = await loadActivity<ActivityRecord>(deps, activityId);
    const invitation = await loadInvitation(deps, activityId, caller.deputyId);
    if (!invitation) {
      throw new NotFoundError(
        `Activity ${activityId} not found among your invitations: only invited deputies check in`,
      );
    }
    if (invitation.checkedInAt) throw alreadyCheckedIn(invitation);
    const refused = checkInWindowError(activity);
    if (refused) throw refused;

    const at = clock(deps).toISOString();
    await writeTransaction(deps.db, [
      activityStatusCheck(deps.tableName, activityId, ['CHECK_IN_OPEN']),
      ...checkInItems(
        deps,
        activityId,
        caller.deputyId,
        { at, actor: caller.sub, method },
        { auditRecord: true },
      ),
    ]);
    return { activityId, deputyId: caller.deputyId, checkedInAt: at, method };
  });

/**
 * `POST /activities/{id}/check-ins/make-up` (organiser): records the check-in of an invited
 * deputy with a reason. While check-in is open it is written like any check-in (with its
 * `AUDIT_CHECKIN` record, so the seal covers it) plus a chained event naming the organiser;
 * after attendance closed and until findings close, it is a chained event that also stores
 * the recomputed attendance statistics (the seal is not touched: it covers what was there at
 * closing time).
 */
export const makeUpCheckIn = async (
  deps: AttendanceDeps,
  activityId: string,
  caller: Caller,
  body: MakeUpCheckInBody,
): Promise<CheckInView & { reason: string }> =>
  withConflictRetry(async () => {
    const activity = await loadForOrganiser(deps, activityId, caller);
    const invitation = await loadInvitation(deps, activityId, body.deputyId);
    if (!invitation) {
      throw new NotFoundError(`Deputy ${body.deputyId} is not invited to activity ${activityId}`);
    }
    if (invitation.checkedInAt) throw alreadyCheckedIn(invitation);

    const now = clock(deps);
    const at = now.toISOString();
    const status = statusOf(activity);
    const record = { at, actor: caller.sub, method: 'MAKE_UP' as const, reason: body.reason };
    const event = {
      at,
      actor: caller.sub,
      action: 'CHECK_IN_MADE_UP',
      before: { deputyId: body.deputyId, checkedIn: false },
      after: { deputyId: body.deputyId, checkedIn: true, method: 'MAKE_UP', reason: body.reason },
    };

    if (status === 'CHECK_IN_OPEN') {
      await writeTransaction(deps.db, [
        ...checkInItems(deps, activityId, body.deputyId, record, { auditRecord: true }),
        ...chained(deps, activity, { condition: statusIs('CHECK_IN_OPEN') }, event),
      ]);
    } else if (status === 'FINDINGS_OPEN') {
      if (!activity.attendanceSeal) {
        throw new TransientError('Attendance is being closed right now; retry shortly');
      }
      const invitations = (await listInvitations(deps, activityId)) as InvitationRecord[];
      const updated = invitations.map((item) =>
        item.deputyId === body.deputyId
          ? { ...item, checkedInAt: at, checkInMethod: 'MAKE_UP' as const }
          : item,
      );
      const attendance = await attendanceStatisticsOf(deps, updated, now);
      await writeTransaction(deps.db, [
        ...checkInItems(deps, activityId, body.deputyId, record, { auditRecord: false }),
        ...chained(
          deps,
          activity,
          {
            set: { attendance },
            condition: {
              expression: '#expectedStatus = :expectedStatus AND attribute_exists(attendanceSeal)',
              names: { '#expectedStatus': 'status' },
              values: { ':expectedStatus': 'FINDINGS_OPEN' },
            },
          },
          { ...event, after: { ...event.after, attendance } },
        ),
      ]);
    } else if (BEFORE_CHECK_IN.includes(status)) {
      throw new ConflictError(
        `Check-in has not opened for activity ${activityId}; it opens at ${activity.startsAt}`,
      );
    } else {
      throw new ConflictError(
        `Make-up check-ins are possible until findings close; activity ${activityId} is ${status}`,
      );
    }
    return {
      activityId,
      deputyId: body.deputyId,
      checkedInAt: at,
      method: 'MAKE_UP',
      reason: body.reason,
    };
  });

// --- QR code and public page -------------------------------------------------------------

export type CheckInQr = z.output<typeof checkInQrSchema>;

/**
 * `GET /activities/{id}/check-in/qr` (organiser): a fresh short-lived activity code and the QR
 * code of the public page that carries it. Reads only.
 */
export const checkInQr = async (
  deps: AttendanceDeps & CheckInCodeKeyDeps & { ttlSeconds: number },
  activityId: string,
  caller: Caller,
  origin: string,
): Promise<CheckInQr> => {
  const activity = await loadForOrganiser(deps, activityId, caller);
  const status = statusOf(activity);
  if (status !== 'INVITATIONS_SENT' && status !== 'CHECK_IN_OPEN') {
    throw new ConflictError(
      status === 'SCHEDULED'
        ? `Invitations of activity ${activityId} are still being sent; try again shortly`
        : `Activity ${activityId} is ${status}: check-in is over`,
    );
  }
  const secret = await deps.checkInCodeKey();
  const { code, expiresAt } = issueCheckInCode(secret, activityId, clock(deps), deps.ttlSeconds);
  const { venueCode, expiresAt: venueCodeExpiresAt } = venueCodeOf(secret, activityId, clock(deps));
  const url = `${origin.replace(/\/+$/, '')}/check-in/${code}`;
  // Loaded on first use: every attendance function shares this module, only the QR route draws.
  const { default: QRCode } = await import('qrcode');
  const svg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { code, expiresAt, venueCode, venueCodeExpiresAt, url, svg };
};

export interface CheckInPageModel {
  code: string;
  expiresAt: string;
  activity: Pick<
    ActivityRecord,
    'id' | 'title' | 'location' | 'startsAt' | 'endsAt' | 'language' | 'type'
  > & { status: string };
}

/**
 * What the public page `GET /check-in/{code}` shows: the activity the code names (title,
 * place, time, whether check-in is open) and nothing about anyone. Reads only. An invalid code
 * or one naming no activity is `CheckInCodeError` INVALID; an expired one EXPIRED.
 */
export const checkInPage = async (
  deps: AttendanceDeps & CheckInCodeKeyDeps,
  code: string,
): Promise<CheckInPageModel> => {
  const { activityId, expiresAt } = verifyCheckInCode(
    await deps.checkInCodeKey(),
    code,
    clock(deps),
  );
  const activity = (await getActivity(deps, activityId)) as ActivityRecord | undefined;
  if (!activity) throw new CheckInCodeError('INVALID');
  return {
    code,
    expiresAt,
    activity: {
      id: activity.id,
      title: activity.title,
      location: activity.location,
      startsAt: activity.startsAt,
      endsAt: activity.endsAt,
      language: activity.language,
      type: activity.type,
      status: statusOf(activity),
    },
  };
};

// --- community visit counts --------------------------------------------------------------

/**
 * The activities that receive residents: a community visit (进社区) answers their questions, a
 * reception day (接待日) receives them at the liaison stations.
 */
const COUNTED_TYPES: readonly string[] = ['COMMUNITY_VISIT', 'RECEPTION_DAY'];

/** Activities that serve an audience (听众): the legal training lectures, the symposia. */
const AUDIENCE_TYPES: readonly string[] = ['LEGAL_TRAINING', 'SYMPOSIUM'];

/** Statuses in which the counts of a community visit may be recorded (it has taken place). */
const COUNTS_STATUSES = ['CHECK_IN_OPEN', 'FINDINGS_OPEN', 'TRIAGE', 'IN_REVIEW', 'DISPATCHING'];

/**
 * `PATCH /activities/{id}/counts` (organiser): consultations answered (解答咨询) and residents
 * received by a community visit or a reception day, recorded once it has started and until it is completed.
 * Given fields replace the stored ones; the others are kept.
 */
export const updateCommunityCounts = async (
  deps: AttendanceDeps,
  activityId: string,
  caller: Caller,
  body: { consultationsAnswered?: number; residentsReceived?: number; peopleServed?: number },
): Promise<CommunityCounts> =>
  withConflictRetry(async () => {
    const activity = await loadForOrganiser(deps, activityId, caller);
    const community =
      body.consultationsAnswered !== undefined || body.residentsReceived !== undefined;
    if (community && !COUNTED_TYPES.includes(activity.type)) {
      throw new ConflictError(
        `Only community visits and reception days (${COUNTED_TYPES.join(', ')}) record consultations and residents received; activity ${activityId} is ${activity.type}`,
      );
    }
    if (body.peopleServed !== undefined && !AUDIENCE_TYPES.includes(activity.type)) {
      throw new ConflictError(
        `Only lectures and symposia (${AUDIENCE_TYPES.join(', ')}) record the people they served; activity ${activityId} is ${activity.type}`,
      );
    }
    const status = statusOf(activity);
    if (!COUNTS_STATUSES.includes(status)) {
      throw new ConflictError(
        `Counts are recorded from check-in until completion; activity ${activityId} is ${status}`,
      );
    }
    const at = clock(deps).toISOString();
    const previous = activity.communityCounts;
    const consultationsAnswered = body.consultationsAnswered ?? previous?.consultationsAnswered;
    const residentsReceived = body.residentsReceived ?? previous?.residentsReceived;
    const peopleServed = body.peopleServed ?? previous?.peopleServed;
    const counts: CommunityCounts = {
      ...(consultationsAnswered !== undefined ? { consultationsAnswered } : {}),
      ...(residentsReceived !== undefined ? { residentsReceived } : {}),
      ...(peopleServed !== undefined ? { peopleServed } : {}),
      recordedAt: at,
      recordedBy: caller.sub,
    };
    await writeTransaction(
      deps.db,
      chained(
        deps,
        activity,
        { set: { communityCounts: counts }, condition: statusIs(status) },
        {
          at,
          actor: caller.sub,
          action: 'COMMUNITY_COUNTS_RECORDED',
          before: {
            consultationsAnswered: previous?.consultationsAnswered ?? null,
            residentsReceived: previous?.residentsReceived ?? null,
            peopleServed: previous?.peopleServed ?? null,
          },
          after: {
            consultationsAnswered: consultationsAnswered ?? null,
            residentsReceived: residentsReceived ?? null,
            peopleServed: peopleServed ?? null,
          },
        },
      ),
    );
    return counts;
  });
