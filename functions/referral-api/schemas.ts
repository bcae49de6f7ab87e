import * as z from 'zod/mini';
import { REFERRAL_STATUS_CODES } from '../findings/schemas.js';
import { CLOSED_STATUSES } from '../referrals/model.js';
import { DEPARTMENT_LEVEL_CODES } from '../shared/domain/reference.js';
import {
  RATINGS,
  REFERRAL_STATUSES,
  REFERRAL_WORKFLOW_STATUSES,
  REPLY_RESULTS,
} from '../shared/data/referrals.js';
import { periodBound } from '../shared/http/period.js';
import { ID_PATTERN } from '../shared/ids.js';
import { referenceId, streetCodeSchema } from '../shared/reference-ids.js';

// CR, LF and other control characters never enter a reason: reasons reach emails and pages.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F\u2028\u2029]/;

const reason = z.string().check(
  z.trim(),
  z.minLength(1),
  z.maxLength(1000),
  z.refine((value) => !CONTROL.test(value), {
    message: 'must be one line without control characters',
  }),
);

export const referralPathSchema = z.strictObject({
  referralId: z.string().check(z.regex(ID_PATTERN, { message: 'must be a referral id' })),
});

/** Body of `POST /referrals/{referralId}/reroute`. */
export const rerouteBodySchema = z.strictObject({
  departmentId: referenceId('department'),
  reason,
});

/** Body of `POST /referrals/{referralId}/extension`. */
export const extensionBodySchema = z
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
  );

/** Body of `POST /referrals/{referralId}/close`. */
export const closeBodySchema = z.strictObject({ reason });

/** Why the failed step may run again now (what was fixed): kept in the audit event. */
export const redriveBodySchema = z.strictObject({ reason });

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

const flag = z.pipe(
  z.enum(['true', 'false'], { message: 'must be true or false' }),
  z.transform((value) => value === 'true'),
);

/** Query of `GET /referrals` (the 督办 list). */
export const listReferralsQuerySchema = z
  .strictObject({
    status: z.optional(z.enum(REFERRAL_LIST_STATUSES)),
    /** Only open referrals whose due instant has passed. */
    overdue: z.optional(flag),
    /** The supervising committee (督办工委): its list, overdue first. */
    committeeId: z.optional(referenceId('committee')),
    departmentId: z.optional(referenceId('department')),
    activityId: z.optional(
      z.string().check(z.regex(ID_PATTERN, { message: 'must be an activity id' })),
    ),
    street: z.optional(streetCodeSchema),
    /** Due from (a day is China time, from its start). */
    from: z.optional(periodBound('from')),
    /** Due to (a day is China time, to its end). */
    to: z.optional(periodBound('to')),
    limit: z._default(
      z.coerce.number().check(z.int(), z.minimum(1), z.maximum(MAX_REFERRAL_PAGE_SIZE)),
      DEFAULT_REFERRAL_PAGE_SIZE,
    ),
    cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(4096))),
  })
  .check(
    z.refine((query) => !query.from || !query.to || query.from <= query.to, {
      path: ['from'],
      message: 'must not be after to',
    }),
    z.refine(
      (query) => !query.overdue || !query.status || !CLOSED_STATUSES.includes(query.status),
      { path: ['status'], message: 'a closed referral is never overdue' },
    ),
  );
export type ListReferralsQuery = z.output<typeof listReferralsQuerySchema>;

/** Who or what a referral waits on, and the action that ends the wait when it is a person's. */
export const referralWaitSchema = z.object({
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
});

/** One referral of `GET /referrals`. */
export const referralListItemSchema = z.object({
  id: z.string(),
  activityId: z.string(),
  departmentId: z.string(),
  committeeId: z.nullable(z.string()),
  street: z.nullable(z.string()),
  status: z.enum(REFERRAL_LIST_STATUSES),
  round: z.number(),
  /** `YYYY-MM-DD` (China time): the day the department must answer by. */
  dueDate: z.nullable(z.string()),
  /** The due instant (end of the due day in China time). */
  dueAt: z.nullable(z.string()),
  /** Open and past its due instant. */
  overdue: z.boolean(),
  findings: z.number(),
  dispatchedAt: z.nullable(z.string()),
  closedAt: z.nullable(z.string()),
  /** Its workflow failed: an organiser may redrive it once the cause is fixed. */
  failed: z.boolean(),
  waitingOn: z.nullable(referralWaitSchema),
});
export type ReferralListItem = z.output<typeof referralListItemSchema>;

export const referralListSchema = z.object({
  items: z.array(referralListItemSchema),
  /** Pass back as `cursor` for the next page; absent on the last page. */
  nextCursor: z.optional(z.string()),
});

// --- Answers (issue 15): the actions' results are `z.output` of these ---------------------

const routingEntrySchema = z.object({
  departmentId: z.string(),
  at: z.string(),
  /** `workflow` for the first dispatch, else the organiser's `sub`. */
  by: z.string(),
  reason: z.optional(z.string()),
});

const extensionRequestSchema = z.object({
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
});

const committeeClosureSchema = z.object({
  by: z.string(),
  reason: z.string(),
  at: z.string(),
  round: z.number(),
});

const sentEmailSchema = z.object({
  round: z.number(),
  departmentId: z.string(),
  /** The department's level when emailed, or EXTERNAL (absent on referrals sent before levels). */
  departmentLevel: z.optional(z.enum([...DEPARTMENT_LEVEL_CODES, 'EXTERNAL'])),
  messageId: z.string(),
  at: z.string(),
});

/**
 * A referral as stored, without its keys and task token: the fields below, and those the
 * workflow's steps keep on it (reminders, escalation, feedback ...), which may grow.
 */
export const referralDetailViewSchema = z.looseObject({
  id: z.string(),
  activityId: z.string(),
  departmentId: z.string(),
  findingIds: z.array(z.string()),
  committeeId: z.optional(z.string()),
  street: z.optional(z.string()),
  /** `YYYY-MM-DD` (China time): the day the department must answer by. */
  dueDate: z.optional(z.string()),
  dueAt: z.optional(z.string()),
  status: z.enum(REFERRAL_STATUS_CODES),
  createdAt: z.string(),
  updatedAt: z.string(),
  approvedAt: z.optional(z.string()),
  approvedBy: z.optional(z.string()),
  executionArn: z.optional(z.string()),
  dispatchedAt: z.optional(z.string()),
  auditSeq: z.number(),
  auditHash: z.string(),
  /** Routing / reopen count; 1 for the first department. */
  round: z.number(),
  routing: z.array(routingEntrySchema),
  /** The human step the workflow waits at (never its task token). */
  pendingTask: z.optional(
    z.object({ phase: z.string(), since: z.string(), deadline: z.optional(z.string()) }),
  ),
  sent: z.optional(sentEmailSchema),
  emails: z.optional(z.array(sentEmailSchema)),
  acknowledgedAt: z.optional(z.string()),
  returned: z.optional(
    z.object({ round: z.number(), departmentId: z.string(), reason: z.string(), at: z.string() }),
  ),
  reply: z.optional(
    z.object({
      round: z.number(),
      departmentId: z.string(),
      result: z.enum(REPLY_RESULTS),
      text: z.string(),
      at: z.string(),
    }),
  ),
  repliedAt: z.optional(z.string()),
  extensionRequest: z.optional(extensionRequestSchema),
  /** The latest rating of each raiser (`D.<deputyId>`, `R.<findingId>`). */
  ratings: z.optional(
    z.record(z.string(), z.object({ rating: z.enum(RATINGS), at: z.string(), round: z.number() })),
  ),
  committeeClosure: z.optional(committeeClosureSchema),
  closedAt: z.optional(z.string()),
  /** Its workflow failed: what and why (never a stack trace); an organiser may redrive it. */
  failure: z.optional(
    z.object({
      error: z.string(),
      cause: z.string(),
      at: z.string(),
      requestId: z.optional(z.string()),
    }),
  ),
});

/** `200` of `GET /referrals/{referralId}`: the referral, the department's answers, ratings, history. */
export const referralDetailSchema = z.object({
  referral: referralDetailViewSchema,
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
});

/** `200` of `POST /referrals/{referralId}/reroute`: the new round and the routing history. */
export const rerouteAnswerSchema = z.object({
  referralId: z.string(),
  departmentId: z.string(),
  round: z.number(),
  routing: z.optional(z.array(routingEntrySchema)),
  /** The referral was already re-routed there: only a lost signal was completed. */
  repeated: z.optional(z.boolean()),
});

/** `200` of `POST /referrals/{referralId}/extension`. */
export const extensionAnswerSchema = z.object({
  referralId: z.string(),
  extension: extensionRequestSchema,
  dueDate: z.optional(z.string()),
});

/** `200` of `POST /referrals/{referralId}/close`. */
export const committeeCloseAnswerSchema = z.object({
  referralId: z.string(),
  committeeClosure: committeeClosureSchema,
  /** Closed already: only a lost signal was completed. */
  repeated: z.optional(z.boolean()),
});

/** `200` of `POST /referrals/{referralId}/redrive`. */
export const redriveReferralAnswerSchema = z.object({
  referralId: z.string(),
  status: z.enum(REFERRAL_STATUS_CODES),
  redriveCount: z.number(),
  /** false when the execution was already running again (a repeated request). */
  redrivenNow: z.boolean(),
});
