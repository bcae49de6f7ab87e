import * as z from 'zod/mini';
import { CLOSED_STATUSES } from '../referrals/model.js';
import { REFERRAL_STATUSES, REFERRAL_WORKFLOW_STATUSES } from '../shared/data/referrals.js';
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
