import { streetCodeSchema } from '../shared/reference-ids.js';
import * as z from 'zod/mini';
import { pure } from '../shared/pure.js';
import { ACTIVITY_TYPE_CODES } from '../shared/domain/reference.js';
import { fromNotAfterTo, periodBound } from '../shared/http/period.js';
import { activityId, referralId } from '../shared/http/path-schemas.js';
import { ENDED_STATUSES } from './listing.js';
import {
  organiserIdFilter,
  pageCursor,
  pageLimit,
  pageQueryShape,
} from '../shared/http/list-query.js';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_TRAIL_PAGE_SIZE = 200;
export const DEFAULT_TRAIL_PAGE_SIZE = 50;
/** A period query reads one partition per month: at most this many months. */
export const MAX_PERIOD_MONTHS = 36;

/** Query of `GET /audit/activities`. */
export const auditActivitiesQuerySchema = /* @__PURE__ */ pure(() =>
  z
    .strictObject({
      from: z.optional(periodBound('from')),
      to: z.optional(periodBound('to')),
      status: z._default(z.enum(ENDED_STATUSES), 'COMPLETED'),
      type: z.optional(z.enum(ACTIVITY_TYPE_CODES)),
      street: z.optional(streetCodeSchema),
      organiser: organiserIdFilter(),
      ...pageQueryShape(MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE),
      format: z._default(z.enum(['json', 'csv']), 'json'),
    })
    .check(fromNotAfterTo()),
);
export type AuditActivitiesQuery = z.output<typeof auditActivitiesQuerySchema>;

/** Query of the trail routes. */
export const trailQuerySchema = /* @__PURE__ */ pure(() =>
  z.strictObject({
    limit: pageLimit(MAX_TRAIL_PAGE_SIZE, DEFAULT_TRAIL_PAGE_SIZE),
    cursor: pageCursor(1024),
  }),
);
export type TrailQuery = z.output<typeof trailQuerySchema>;

export const auditActivityPathSchema = /* @__PURE__ */ pure(() =>
  z.strictObject({
    activityId,
  }),
);

export const auditReferralPathSchema = /* @__PURE__ */ pure(() =>
  z.strictObject({
    referralId,
  }),
);

// --- Answers (issue 15): the page and verification types are `z.output` of these -----------

const counts = /* @__PURE__ */ pure(() => z.record(z.string(), z.number()));

/** One ended activity of `GET /audit/activities`, with its outcome as counted when it ended. */
export const auditActivityViewSchema = /* @__PURE__ */ pure(() =>
  z.object({
    id: z.string(),
    title: z.string(),
    type: z.string(),
    street: z.string(),
    organiserId: z.string(),
    status: z.string(),
    startsAt: z.string(),
    endsAt: z.string(),
    endedAt: z.string(),
    /** Short reason of a cancellation or failure. */
    reason: z.optional(z.string()),
    attendance: z.object({
      invited: z.number(),
      checkedIn: z.nullable(z.number()),
      personTimesTotal: z.nullable(z.number()),
      personTimesByLevel: counts,
    }),
    findings: z.nullable(
      z.object({ total: z.number(), byKind: counts, byCategory: counts, referred: z.number() }),
    ),
    /** The referrals it led to, by their current status. */
    referrals: z.object({ total: z.number(), byStatus: counts }),
  }),
);

/** `200` of `GET /audit/activities` (JSON; `format=csv` answers text/csv). */
export const auditActivitiesPageSchema = /* @__PURE__ */ pure(() =>
  z.object({
    items: z.array(auditActivityViewSchema),
    /** Pass back as `cursor` for the next page; absent on the last page. */
    nextCursor: z.optional(z.string()),
    /** The period read, as instants. */
    period: z.object({ from: z.string(), to: z.string() }),
    status: z.string(),
  }),
);

/** JSON-like data an event records of the state before and after (never personal data). */
const auditData = /* @__PURE__ */ pure(() => z.nullable(z.record(z.string(), z.unknown())));

/** One chained audit event as a trail shows it (long texts and lists shortened). */
export const trailEventSchema = /* @__PURE__ */ pure(() =>
  z.object({
    seq: z.number(),
    at: z.string(),
    /** A Cognito `sub`, `workflow`, or `department:<id>`. */
    actor: z.string(),
    action: z.string(),
    before: auditData,
    after: auditData,
    hash: z.string(),
  }),
);

/** The chain checked against its head, and the first broken link if any. */
export const chainVerificationSchema = /* @__PURE__ */ pure(() =>
  z.object({
    ok: z.boolean(),
    /** Events read and checked. */
    checked: z.number(),
    /** The last event the head (the audited item) names. */
    head: z.object({ seq: z.number(), hash: z.string() }),
    firstBroken: z.optional(
      z.object({
        seq: z.number(),
        reason: z.enum([
          'hash-mismatch',
          'prev-hash-mismatch',
          'missing-event',
          'stream-mismatch',
          'head-mismatch',
        ]),
      }),
    ),
  }),
);

const streamFields = /* @__PURE__ */ pure(() => ({
  streamId: z.string(),
  kind: z.enum(['activity', 'referral']),
  id: z.string(),
}));

/** `200` of `GET /audit/{activities|referrals}/{id}/trail`. */
export const trailPageSchema = /* @__PURE__ */ pure(() =>
  z.object({
    ...streamFields,
    events: z.array(trailEventSchema),
    nextCursor: z.optional(z.string()),
    verification: chainVerificationSchema,
  }),
);

/** What `/verify` says of the latest signed checkpoint that covers the stream. */
export const checkpointVerificationSchema = /* @__PURE__ */ pure(() =>
  z.object({
    /** The checkpoint's sequence number, when it was signed and with which key. */
    seq: z.number(),
    signedAt: z.string(),
    keyId: z.string(),
    /** The stream head it signed. */
    covers: z.object({ seq: z.number(), hash: z.string() }),
    /** The checkpoint verifies under the public key, and the stream's head is in its Merkle root. */
    signed: z.boolean(),
    problem: z.optional(
      z.enum([
        'bad-signature',
        'root-mismatch',
        'unsorted-leaves',
        'count-mismatch',
        'unknown-format',
        'not-in-root',
      ]),
    ),
    /** The stream as it is now still reaches the signed head. */
    matches: z.boolean(),
    mismatch: z.optional(
      z.object({
        seq: z.number(),
        reason: z.enum(['event-missing', 'hash-differs', 'chain-broken']),
      }),
    ),
  }),
);

/** `200` of `GET /audit/{activities|referrals}/{id}/verify`: `checkpoint` null when none covers it yet. */
export const verifyAnswerSchema = /* @__PURE__ */ pure(() =>
  z.object({
    ...streamFields,
    ...chainVerificationSchema.shape,
    checkpoint: z.optional(z.nullable(checkpointVerificationSchema)),
  }),
);
