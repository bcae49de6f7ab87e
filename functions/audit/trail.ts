import type { KeyObject } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { isOrganiserOf } from '../shared/http/auth.js';
import {
  GENESIS_HASH,
  readStreamEvents,
  verifyChain,
  type AuditEvent,
} from '../shared/data/audit.js';
import { keys, type PrimaryKey } from '../shared/data/keys.js';
import { NotFoundError } from '../shared/errors.js';
import type { Caller } from '../shared/http/auth.js';
import type { AuditDeps } from './activities.js';
import { checkAgainstCheckpoint } from './checkpoint-check.js';
import { decodeCursor, encodeCursor, invalidCursor } from '../shared/data/cursor.js';
import type {
  chainVerificationSchema,
  TrailQuery,
  trailEventSchema,
  trailPageSchema,
  verifyAnswerSchema,
} from './schemas.js';
import '../shared/zod-locale.js'; // English zod messages: zod/mini loads no locale

export type BrokenReason = NonNullable<ChainVerification['firstBroken']>['reason'];

export type ChainVerification = z.output<typeof chainVerificationSchema>;

/**
 * Verifies a whole stream, read in sequence order, against its head: the chain must start at
 * seq 1 from the genesis hash, every event must hash to its `hash` and link to the one before,
 * no sequence number may be missing, and it must end at the head's `auditSeq`/`auditHash` (so
 * deleting the newest event is detected too). An edited event fails at its own seq; a deleted
 * one is reported at the missing seq.
 */
export const verifyStream = (
  events: readonly AuditEvent[],
  head: { seq: number; hash: string },
): ChainVerification => {
  const base = { checked: events.length, head };
  const first = events[0];
  if (first && first.seq !== 1) {
    return { ok: false, ...base, firstBroken: { seq: 1, reason: 'missing-event' } };
  }
  const check = verifyChain(events, { expectedPrevHash: GENESIS_HASH });
  if (!check.ok) {
    const previous = events[check.index - 1];
    const firstBroken =
      check.reason === 'seq-gap' && previous
        ? { seq: previous.seq + 1, reason: 'missing-event' as const }
        : { seq: check.seq ?? check.index + 1, reason: check.reason as BrokenReason };
    return { ok: false, ...base, firstBroken };
  }
  const last = events[events.length - 1];
  const lastSeq = last?.seq ?? 0;
  if (lastSeq < head.seq) {
    return { ok: false, ...base, firstBroken: { seq: lastSeq + 1, reason: 'missing-event' } };
  }
  if (lastSeq > head.seq || check.lastHash !== head.hash) {
    return { ok: false, ...base, firstBroken: { seq: lastSeq, reason: 'head-mismatch' } };
  }
  return { ok: true, ...base };
};

const MAX_TEXT = 120;
const MAX_KEYS = 12;

/** A value in short: long texts cut, lists and nested objects summarised. */
const shortValue = (value: unknown, depth: number): unknown => {
  if (typeof value === 'string') {
    return value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT - 1)}…` : value;
  }
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    if (depth > 0 || value.length > 5 || value.some((v) => v !== null && typeof v === 'object')) {
      return `[${value.length} items]`;
    }
    return value.map((v) => shortValue(v, depth + 1));
  }
  if (depth > 0) return '{…}';
  return shortData(value as Record<string, unknown>, depth + 1);
};

const shortData = (data: Record<string, unknown>, depth = 0): Record<string, unknown> => {
  const entries = Object.entries(data);
  const shown = Object.fromEntries(
    entries.slice(0, MAX_KEYS).map(([key, value]) => [key, shortValue(value, depth)]),
  );
  return entries.length > MAX_KEYS ? { ...shown, '…': `${entries.length - MAX_KEYS} more` } : shown;
};

/** What the trail shows of one event: time, actor, action, before and after in short. */
export const toTrailEvent = (event: AuditEvent): TrailEvent => ({
  seq: event.seq,
  at: event.at,
  actor: event.actor,
  action: event.action,
  before: event.before && typeof event.before === 'object' ? shortData(event.before) : null,
  after: event.after && typeof event.after === 'object' ? shortData(event.after) : null,
  hash: event.hash,
});

export type TrailEvent = z.output<typeof trailEventSchema>;

export interface Stream {
  kind: 'activity' | 'referral';
  id: string;
  streamId: string;
  head: { seq: number; hash: string };
  /** The item holding the head (the activity or the referral): read again on a live append. */
  headKey: PrimaryKey;
}

const getItem = async (deps: AuditDeps, key: PrimaryKey) =>
  (
    await deps.db.send(
      new GetCommand({ TableName: deps.tableName, Key: key, ConsistentRead: true }),
    )
  ).Item;

const headOf = (item: Record<string, unknown>) => ({
  seq: typeof item.auditSeq === 'number' ? item.auditSeq : 0,
  hash: typeof item.auditHash === 'string' ? item.auditHash : GENESIS_HASH,
});

/** Auditors read any trail; organisers only in their scope; anyone else: 404, nothing leaked. */
const mayRead = (caller: Caller, activity: Record<string, unknown>) =>
  caller.roles.includes('auditor') || isOrganiserOf(caller, { street: activity.street as never });

/**
 * The activity item, if it exists and the caller may read its audit data (auditor; organiser
 * in scope); 404 otherwise, the same answer as for an activity that does not exist. Shared by
 * the trail and the activity report (functions/audit-report).
 */
export const readableActivity = async (
  deps: AuditDeps,
  caller: Caller,
  activityId: string,
): Promise<Record<string, unknown>> => {
  const activity = await getItem(deps, keys.activity(activityId));
  if (!activity || !mayRead(caller, activity)) {
    throw new NotFoundError(`Activity ${activityId} not found`);
  }
  return activity;
};

/** The activity's stream, if it exists and the caller may read it (404 otherwise). */
export const activityStream = async (
  deps: AuditDeps,
  caller: Caller,
  activityId: string,
): Promise<Stream> => {
  const activity = await readableActivity(deps, caller, activityId);
  return {
    kind: 'activity',
    id: activityId,
    streamId: keys.auditStreamOfActivity(activityId),
    head: headOf(activity),
    headKey: keys.activity(activityId),
  };
};

/** The referral's stream, if it exists and its activity is in the caller's scope (else 404). */
export const referralStream = async (
  deps: AuditDeps,
  caller: Caller,
  referralId: string,
): Promise<Stream> => {
  const referral = await getItem(deps, keys.referral(referralId));
  const activityId = referral?.activityId;
  const activity =
    typeof activityId === 'string' ? await getItem(deps, keys.activity(activityId)) : undefined;
  if (!referral || !activity || !mayRead(caller, activity)) {
    throw new NotFoundError(`Referral ${referralId} not found`);
  }
  return {
    kind: 'referral',
    id: referralId,
    streamId: keys.auditStreamOfReferral(referralId),
    head: headOf(referral),
    headKey: keys.referral(referralId),
  };
};

/** Every chained event of a stream in sequence order. */
export const readStream = (deps: AuditDeps, streamId: string): Promise<AuditEvent[]> =>
  readStreamEvents(deps.db, deps.tableName, streamId);

/**
 * The stream's events and its verification. A live workflow may append an event (with the head,
 * in one transaction) between the head read and the events read: events past the head are then
 * checked against the head read again. An event past even the fresh head matches no head and is
 * reported, so a forged trailing event is still caught.
 */
const readVerified = async (deps: AuditDeps, stream: Stream) => {
  const lastSeqOf = (list: readonly AuditEvent[]) => list[list.length - 1]?.seq ?? 0;
  let head = stream.head;
  let events = await readStream(deps, stream.streamId);
  for (let attempt = 0; attempt < 3 && lastSeqOf(events) > head.seq; attempt++) {
    head = headOf((await getItem(deps, stream.headKey)) ?? {});
    // Appended again since: read the events up to the newer head.
    if (lastSeqOf(events) < head.seq) events = await readStream(deps, stream.streamId);
  }
  return { events, head, verification: verifyStream(events, head) };
};

const trailCursorSchema = z.strictObject({ after: z.number().check(z.int(), z.minimum(0)) });

export type TrailPage = z.output<typeof trailPageSchema>;

/**
 * One page of a stream's trail, in sequence order, with the whole chain verified on read (the
 * verification covers every event, not only the page). Cursors are bound to the stream.
 */
export const readTrail = async (
  deps: AuditDeps,
  stream: Stream,
  query: TrailQuery,
): Promise<TrailPage> => {
  const binding = { q: 'trail', streamId: stream.streamId };
  let after = 0;
  if (query.cursor) {
    const parsed = trailCursorSchema.safeParse(decodeCursor(query.cursor, binding));
    if (!parsed.success) throw invalidCursor('not a cursor of this trail');
    after = parsed.data.after;
  }
  const { events, verification } = await readVerified(deps, stream);
  const rest = events.filter((event) => event.seq > after);
  const page = rest.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    streamId: stream.streamId,
    kind: stream.kind,
    id: stream.id,
    events: page.map(toTrailEvent),
    ...(rest.length > page.length && last
      ? { nextCursor: encodeCursor(binding, { after: last.seq }) }
      : {}),
    verification,
  };
};

/**
 * `GET .../verify`: the chain checked against its head (the first broken link, if any) and, with
 * the checkpoints' public key, against the latest signed checkpoint that covers it. `ok` needs
 * both: a stream rewritten and rehashed keeps a consistent chain but misses its signed head.
 */
export const verifyTrail = async (
  deps: AuditDeps,
  stream: Stream,
  checkpointKey?: () => Promise<KeyObject>,
): Promise<z.output<typeof verifyAnswerSchema>> => {
  const { events, verification } = await readVerified(deps, stream);
  const checkpoint = checkpointKey
    ? await checkAgainstCheckpoint(deps, stream.streamId, events, await checkpointKey())
    : undefined;
  const checkpointOk = !checkpoint || (checkpoint.signed && checkpoint.matches);
  return {
    streamId: stream.streamId,
    kind: stream.kind,
    id: stream.id,
    ...verification,
    ok: verification.ok && checkpointOk,
    ...(checkpoint === undefined ? {} : { checkpoint }),
  };
};
