import * as z from 'zod/mini';
import { pure } from '../shared/pure.js';
import { CLOSED_STATUSES } from '../referrals/model.js';
import { DEPARTMENT_LEVEL_CODES } from '../shared/domain/reference.js';
import {
  RATINGS,
  REFERRAL_STATUS_CODES,
  REFERRAL_STATUSES,
  REFERRAL_WORKFLOW_STATUSES,
  REPLY_RESULTS,
} from '../shared/data/referrals.js';
import { fromNotAfterTo, periodBound } from '../shared/http/period.js';
import { activityId, referralId } from '../shared/http/path-schemas.js';
import { FINDING_KINDS } from '../shared/domain/finding-fields.js';
import { ACTIVITY_TYPE_CODES, FINDING_CATEGORY_CODES } from '../shared/domain/reference.js';
import { referenceId, streetCodeSchema } from '../shared/reference-ids.js';
import { pageQueryShape } from '../shared/http/list-query.js';

// CR, LF and other control characters never enter a reason: reasons reach emails and pages.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F\u2028\u2029]/;

const reason = /* @__PURE__ */ pure(() =>
  z.string().check(
    z.trim(),
    z.minLength(1),
    z.maxLength(1000),
    z.refine((value) => !CONTROL.test(value), {
      message: 'must be one line without control characters',
    }),
  ),
);

export const referralPathSchema = /* @__PURE__ */ pure(() =>
  z.strictObject({
    referralId,
  }),
);

/** Body of `POST /referrals/{referralId}/reroute`. */
export const rerouteBodySchema = /* @__PURE__ */ pure(() =>
  z.strictObject({
    departmentId: referenceId('department'),
    reason,
  }),
);

/** Body of `POST /referrals/{referralId}/extension`. */
export const extensionBodySchema = /* @__PURE__ */ pure(() =>
  z
    .strictObject({
      decision: z.enum(['GRANT', 'REFUSE']),
      /** Days to grant; default: the days the department asked for. */
      days: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(180))),
      reason,
    })
    .check(
      z.refine((body) => body.decision === 'GRANT' || body.days === undefined, {
        path: ['days'],
        message: 'only with GRANT',
      }),
    ),
);

/** Body of `POST /referrals/{referralId}/close`. */
export const closeBodySchema = /* @__PURE__ */ pure(() => z.strictObject({ reason }));

/** Why the failed step may run again now (what was fixed): kept in the audit event. */
export const redriveBodySchema = /* @__PURE__ */ pure(() => z.strictObject({ reason }));

export type RerouteBody = z.output<typeof rerouteBodySchema>;
export type ExtensionBody = z.output<typeof extensionBodySchema>;
export type CloseBody = z.output<typeof closeBodySchema>;
export type RedriveBody = z.output<typeof redriveBodySchema>;

// --- GET /referrals ----------------------------------------------------------------------

/** Every status a referral passes through, from the review's draft to its closure. */
export const REFERRAL_LIST_STATUSES = [
  ...REFERRAL_STATUSES,
  ...REFERRAL_WORKFLOW_STATUSES,
] as const;

export const MAX_REFERRAL_PAGE_SIZE = 100;
export const DEFAULT_REFERRAL_PAGE_SIZE = 20;

const flag = /* @__PURE__ */ pure(() =>
  z.pipe(
    z.enum(['true', 'false'], { message: 'must be true or false' }),
    z.transform((value) => value === 'true'),
  ),
);

/** Query of `GET /referrals` (the 督办 list). */
export const listReferralsQuerySchema = /* @__PURE__ */ pure(() =>
  z
    .strictObject({
      status: z.optional(z.enum(REFERRAL_LIST_STATUSES)),
      /** Only open referrals whose due instant has passed. */
      overdue: z.optional(flag),
      /** The supervising committee (督办工委): its list, overdue first. */
      committeeId: z.optional(referenceId('committee')),
      departmentId: z.optional(referenceId('department')),
      activityId: z.optional(activityId),
      street: z.optional(streetCodeSchema),
      /** Due from (a day is China time, from its start). */
      from: z.optional(periodBound('from')),
      /** Due to (a day is China time, to its end). */
      to: z.optional(periodBound('to')),
      ...pageQueryShape(MAX_REFERRAL_PAGE_SIZE, DEFAULT_REFERRAL_PAGE_SIZE),
    })
    .check(
      fromNotAfterTo(),
      z.refine(
        (query) => !query.overdue || !query.status || !CLOSED_STATUSES.includes(query.status),
        { path: ['status'], message: 'a closed referral is never overdue' },
      ),
    ),
);
export type ListReferralsQuery = z.output<typeof listReferralsQuerySchema>;

/** Who or what a referral waits on, and the action that ends the wait when it is a person's. */
export const referralWaitSchema = /* @__PURE__ */ pure(() =>
  z.object({
    /** `CHAIRMEN_MEETING` (the review decides), `WORKFLOW` (a step runs next), `DEPARTMENT`
     * (its reply), `ORGANISER` (re-route, extension decision or redrive), `RAISERS` (rating). */
    party: z.enum(['CHAIRMEN_MEETING', 'WORKFLOW', 'DEPARTMENT', 'ORGANISER', 'RAISERS']),
    code: z.enum([
      'REVIEW',
      'DISPATCH',
      'SEND',
      'REPLY',
      'REROUTE',
      'DECIDE_EXTENSION',
      'RATE',
      'REDRIVE',
    ]),
    /** Since when it waits (the human step's start), when known. */
    since: z.nullable(z.string()),
    /** When the wait ends by itself (the due instant for a department, the rating deadline). */
    deadline: z.nullable(z.string()),
    /** The organiser's action ending the wait (`POST <path>`), for `ORGANISER`. */
    path: z.nullable(z.string()),
  }),
);

/** Where a referral stands against its deadline: its list entry and its view say it alike. */
const referralDueShape = /* @__PURE__ */ pure(() => ({
  /** Routing / reopen count; 1 for the first department. */
  round: z.number(),
  /** `YYYY-MM-DD` (China time): the day the department must answer by. */
  dueDate: z.nullable(z.string()),
  /** The due instant (end of the due day in China time, or the stored instant). */
  dueAt: z.nullable(z.string()),
  /** Open and past its due instant. */
  overdue: z.boolean(),
}));

/** One referral of `GET /referrals`. */
export const referralListItemSchema = /* @__PURE__ */ pure(() =>
  z.object({
    id: z.string(),
    activityId: z.string(),
    departmentId: z.string(),
    committeeId: z.nullable(z.string()),
    street: z.nullable(z.string()),
    status: z.enum(REFERRAL_LIST_STATUSES),
    ...referralDueShape,
    findings: z.number(),
    dispatchedAt: z.nullable(z.string()),
    closedAt: z.nullable(z.string()),
    /** Its workflow failed: an organiser may redrive it once the cause is fixed. */
    failed: z.boolean(),
    waitingOn: z.nullable(referralWaitSchema),
  }),
);
export type ReferralListItem = z.output<typeof referralListItemSchema>;

export const referralListSchema = /* @__PURE__ */ pure(() =>
  z.object({
    items: z.array(referralListItemSchema),
    /** Pass back as `cursor` for the next page; absent on the last page. */
    nextCursor: z.optional(z.string()),
  }),
);

// --- Answers (issue 15): the actions' results are `z.output` of these ---------------------

const routingEntrySchema = /* @__PURE__ */ pure(() =>
  z.object({
    departmentId: z.string(),
    at: z.string(),
    /** `workflow` for the first dispatch, else the organiser's `sub`. */
    by: z.string(),
    reason: z.optional(z.string()),
  }),
);

const extensionRequestSchema = /* @__PURE__ */ pure(() =>
  z.object({
    round: z.number(),
    days: z.number(),
    reason: z.string(),
    requestedAt: z.string(),
    status: z.enum(['PENDING', 'GRANTED', 'REFUSED']),
    decidedAt: z.optional(z.string()),
    decidedBy: z.optional(z.string()),
    decisionReason: z.optional(z.string()),
    /** The due date after a grant. */
    newDueDate: z.optional(z.string()),
  }),
);

const committeeClosureSchema = /* @__PURE__ */ pure(() =>
  z.object({
    by: z.string(),
    reason: z.string(),
    at: z.string(),
    round: z.number(),
  }),
);

const replySchema = /* @__PURE__ */ pure(() =>
  z.object({
    round: z.number(),
    departmentId: z.string(),
    result: z.enum(REPLY_RESULTS),
    text: z.string(),
    at: z.string(),
  }),
);

/**
 * `GET /referrals/{referralId}`'s referral: the public view of the stored referral
 * (functions/referral-api/view.ts), named field by field. No key of the table or its indexes,
 * no task token, no email message id, no deputy's rating link: what the console and auditors
 * read, and nothing the workflow keeps for itself.
 */
export const referralViewSchema = /* @__PURE__ */ pure(() =>
  z.object({
    id: z.string(),
    /**
     * The activity it came from (null only if that activity is gone); its type and start as
     * stored (an activity written by hand, as tests seed one, may lack them).
     */
    activity: z.nullable(
      z.object({
        id: z.string(),
        title: z.string(),
        street: z.string(),
        type: z.optional(z.enum(ACTIVITY_TYPE_CODES)),
        startsAt: z.optional(z.string()),
      }),
    ),
    activityId: z.string(),
    /** What is referred: each finding as its department reads it (never who raised it). */
    findings: z.array(
      z.object({
        id: z.string(),
        kind: z.enum(FINDING_KINDS),
        category: z.enum(FINDING_CATEGORY_CODES),
        description: z.string(),
        place: z.string(),
      }),
    ),
    findingIds: z.array(z.string()),
    departmentId: z.string(),
    /** The supervising committee (督办工委). */
    committeeId: z.nullable(z.string()),
    street: z.nullable(z.string()),
    status: z.enum(REFERRAL_STATUS_CODES),
    ...referralDueShape,
    waitingOn: z.nullable(referralWaitSchema),
    /** The human step the workflow waits at (never its task token). */
    pendingTask: z.nullable(
      z.object({ phase: z.string(), since: z.string(), deadline: z.nullable(z.string()) }),
    ),
    createdAt: z.string(),
    updatedAt: z.string(),
    approvedAt: z.nullable(z.string()),
    dispatchedAt: z.nullable(z.string()),
    acknowledgedAt: z.nullable(z.string()),
    repliedAt: z.nullable(z.string()),
    overdueAt: z.nullable(z.string()),
    closedAt: z.nullable(z.string()),
    routing: z.array(routingEntrySchema),
    /** The department emails of each round (when sent, to which department). */
    emails: z.array(
      z.object({
        round: z.number(),
        departmentId: z.string(),
        /** The department's level when emailed, or EXTERNAL (absent on referrals sent before levels). */
        departmentLevel: z.optional(z.enum([...DEPARTMENT_LEVEL_CODES, 'EXTERNAL'])),
        at: z.string(),
      }),
    ),
    /** Reminders sent before a due instant. */
    reminders: z.array(z.object({ round: z.number(), due: z.string(), at: z.string() })),
    /** The overdue escalation to the committee (and how many it went to). */
    escalation: z.nullable(
      z.object({ round: z.number(), due: z.string(), at: z.string(), recipients: z.number() }),
    ),
    returned: z.nullable(
      z.object({ round: z.number(), departmentId: z.string(), reason: z.string(), at: z.string() }),
    ),
    reply: z.nullable(replySchema),
    /** Replies of earlier rounds (before each reopening). */
    previousReplies: z.array(replySchema),
    extensionRequest: z.nullable(extensionRequestSchema),
    /** The raisers were asked to rate the reply: how many emails, until when. */
    feedback: z.nullable(
      z.object({
        round: z.number(),
        emailed: z.number(),
        at: z.string(),
        ratingDeadline: z.string(),
      }),
    ),
    reopenCount: z.number(),
    committeeClosure: z.nullable(committeeClosureSchema),
    /** What closing counted into the activity's report. */
    outcome: z.nullable(
      z.object({
        status: z.enum(['CLOSED', 'CLOSED_BY_COMMITTEE']),
        result: z.nullable(z.string()),
        answeredAt: z.nullable(z.string()),
        answeredOnTime: z.nullable(z.boolean()),
        reopened: z.boolean(),
        rounds: z.number(),
        ratings: z.record(z.enum(RATINGS), z.number()),
      }),
    ),
    /** Its workflow failed: what and why (never a stack trace); an organiser may redrive it. */
    failure: z.nullable(
      z.object({
        error: z.string(),
        cause: z.string(),
        at: z.string(),
        requestId: z.optional(z.string()),
      }),
    ),
    /** The head of its audit chain (the last event's seq and hash). */
    auditSeq: z.number(),
    auditHash: z.string(),
  }),
);
export type ReferralView = z.output<typeof referralViewSchema>;

/** `200` of `GET /referrals/{referralId}`: the referral, the department's answers, ratings, history. */
export const referralDetailSchema = /* @__PURE__ */ pure(() =>
  z.object({
    referral: referralViewSchema,
    /** What the department did on its page (acknowledge, progress, reply, return, extension). */
    responses: z.array(
      z.object({
        entity: z.literal('REFERRAL_RESPONSE'),
        referralId: z.string(),
        round: z.number(),
        action: z.string(),
        departmentId: z.string(),
        at: z.string(),
        reason: z.optional(z.string()),
        days: z.optional(z.number()),
        text: z.optional(z.string()),
        result: z.optional(z.enum(REPLY_RESULTS)),
      }),
    ),
    /** Ratings of the first round; `comment` only for organisers. */
    ratings: z.array(
      z.object({
        entity: z.literal('REFERRAL_RATING'),
        referralId: z.string(),
        round: z.number(),
        raiserRef: z.string(),
        rating: z.enum(RATINGS),
        comment: z.optional(z.string()),
        at: z.string(),
      }),
    ),
    /** Its audit events, in order. */
    history: z.array(
      z.object({
        streamId: z.string(),
        seq: z.number(),
        at: z.string(),
        actor: z.string(),
        action: z.string(),
        before: z.nullable(z.record(z.string(), z.unknown())),
        after: z.nullable(z.record(z.string(), z.unknown())),
        prevHash: z.string(),
        hash: z.string(),
      }),
    ),
    /** The history's chain verified: `{ok, length}`, or where it breaks. */
    chain: z.union([
      z.object({ ok: z.literal(true), length: z.number() }),
      z.object({
        ok: z.literal(false),
        index: z.number(),
        seq: z.optional(z.number()),
        reason: z.enum(['hash-mismatch', 'prev-hash-mismatch', 'seq-gap', 'stream-mismatch']),
      }),
    ]),
  }),
);

export type ReferralDetail = z.output<typeof referralDetailSchema>;

/** `200` of `POST /referrals/{referralId}/reroute`: the new round and the routing history. */
export const rerouteAnswerSchema = /* @__PURE__ */ pure(() =>
  z.object({
    referralId: z.string(),
    departmentId: z.string(),
    round: z.number(),
    routing: z.optional(z.array(routingEntrySchema)),
    /** The referral was already re-routed there: only a lost signal was completed. */
    repeated: z.optional(z.boolean()),
  }),
);

/** `200` of `POST /referrals/{referralId}/extension`. */
export const extensionAnswerSchema = /* @__PURE__ */ pure(() =>
  z.object({
    referralId: z.string(),
    extension: extensionRequestSchema,
    dueDate: z.optional(z.string()),
  }),
);

/** `200` of `POST /referrals/{referralId}/close`. */
export const committeeCloseAnswerSchema = /* @__PURE__ */ pure(() =>
  z.object({
    referralId: z.string(),
    committeeClosure: committeeClosureSchema,
    /** Closed already: only a lost signal was completed. */
    repeated: z.optional(z.boolean()),
  }),
);

/** `200` of `POST /referrals/{referralId}/redrive`. */
export const redriveReferralAnswerSchema = /* @__PURE__ */ pure(() =>
  z.object({
    referralId: z.string(),
    status: z.enum(REFERRAL_STATUS_CODES),
    redriveCount: z.number(),
    /** false when the execution was already running again (a repeated request). */
    redrivenNow: z.boolean(),
  }),
);
