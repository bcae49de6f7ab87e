import { createHash } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys, type PrimaryKey } from './keys.js';
import { queryPages } from './query.js';
import { putNew, type TransactItem } from './transact.js';

/**
 * Hash-chained audit events.
 *
 * Each state change of an audited item (the stream head, e.g. an activity) is written in one
 * TransactWriteItems with its audit event. The head carries `auditSeq`/`auditHash`/`auditAt` of
 * the last event; the change is conditional on `auditSeq` not having moved, and the event is put with
 * `attribute_not_exists(pk)`, so two writers can never both append event n+1. Each event's
 * `hash` covers its content and the previous event's hash: editing, removing or reordering any
 * stored event breaks the chain at that point, which {@link verifyChain} reports.
 */

export const GENESIS_HASH = '0'.repeat(64);

/** What an event records of the state before and after: JSON-like data, never personal data. */
export type AuditData = Record<string, unknown> | null;

export interface AuditEventContent {
  at: string;
  /** Who did it: a Cognito `sub`, or `workflow` for steps of a state machine. */
  actor: string;
  action: string;
  before: AuditData;
  after: AuditData;
}

export interface AuditEvent extends AuditEventContent {
  streamId: string;
  seq: number;
  prevHash: string;
  hash: string;
}

export interface StreamHead {
  key: PrimaryKey;
  /** `auditSeq` read from the head item: the sequence number of its last event. */
  seq: number;
  /** `auditHash` read from the head item: the hash of its last event. */
  hash: string;
  /**
   * `auditAt` read from the head item: the time its last event carries (absent on items
   * written before the head kept it).
   */
  at?: string | undefined;
}

/** The stream head held by an audited item (its `auditSeq`, `auditHash`, `auditAt`). */
export const streamHead = (
  key: PrimaryKey,
  item: { auditSeq: number; auditHash: string; auditAt?: unknown },
): StreamHead => ({
  key,
  seq: item.auditSeq,
  hash: item.auditHash,
  ...(typeof item.auditAt === 'string' ? { at: item.auditAt } : {}),
});

/**
 * The time an appended event carries: when its change was made (`at`), unless the stream's last
 * event carries a later time, in which case that one. Two writers race for the head (a workflow
 * step and the organiser's route that woke it, Lambdas on clocks a few milliseconds apart), and
 * the one that wins the head may have read its clock first; the chain's order is the order in
 * which changes were committed, so its times must not go back along it.
 */
export const chainedEventTime = (at: string, previousAt: string | undefined): string =>
  previousAt !== undefined && Date.parse(previousAt) > Date.parse(at) ? previousAt : at;

/**
 * JSON with object keys sorted at every depth, so the same event always hashes the same
 * whatever order its attributes come back from DynamoDB. `undefined` members are dropped, as
 * `JSON.stringify` and the marshaller (`removeUndefinedValues`) both drop them.
 */
export const canonicalJson = (value: unknown): string => {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new TypeError('Audit events hold finite numbers only');
    }
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`Not representable in JSON: ${typeof value}`);
    return text;
  }
  if (Array.isArray(value)) {
    return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, member]) => member !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`).join(',')}}`;
};

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** What an event's hash covers: its content and its `prevHash` (nothing else the item holds). */
const hashedFieldsOf = (event: Omit<AuditEvent, 'hash'>): Omit<AuditEvent, 'hash'> => ({
  streamId: event.streamId,
  seq: event.seq,
  at: event.at,
  actor: event.actor,
  action: event.action,
  before: event.before,
  after: event.after,
  prevHash: event.prevHash,
});

/** SHA-256 over the canonical JSON of the event's content and its `prevHash`. */
export const hashAuditEvent = (event: Omit<AuditEvent, 'hash'>): string =>
  sha256(canonicalJson(hashedFieldsOf(event)));

/** The event alone out of a stored item (its keys and listing attributes left out). */
export const auditEventOf = (item: AuditEvent): AuditEvent => ({
  ...hashedFieldsOf(item),
  hash: item.hash,
});

export const buildAuditEvent = (
  streamId: string,
  previous: { seq: number; hash: string } | null,
  content: AuditEventContent,
): AuditEvent => {
  const unhashed = {
    streamId,
    seq: (previous?.seq ?? 0) + 1,
    prevHash: previous?.hash ?? GENESIS_HASH,
    ...content,
  };
  return { ...unhashed, hash: hashAuditEvent(unhashed) };
};

/**
 * The table item of an audit event, listed under the hour of its time (the checkpoint job finds
 * the streams that moved there).
 */
export const auditEventItem = (event: AuditEvent) => ({
  ...keys.auditEvent(event.streamId, event.seq),
  ...keys.auditEventListing(event.at, event.streamId, event.seq),
  entity: 'AUDIT_EVENT',
  ...event,
});

/** Read at most this many events of one stream (an activity holds a few dozen). */
export const MAX_STREAM_EVENTS = 10_000;

/** Every chained event of a stream in sequence order (Query of its partition, all pages). */
export const readStreamEvents = async (
  db: DynamoDBDocumentClient,
  tableName: string,
  streamId: string,
): Promise<AuditEvent[]> => {
  const events: AuditEvent[] = [];
  for await (const page of queryPages({ db, tableName }, keys.auditEventsOfStream(streamId))) {
    for (const item of page.Items ?? []) {
      const { pk: _pk, sk: _sk, entity: _entity, listPk: _lpk, listSk: _lsk, ...event } = item;
      events.push(event as unknown as AuditEvent);
    }
    if (events.length >= MAX_STREAM_EVENTS) break;
  }
  return events;
};

// Belt and braces with the head condition: an event, once written, is never overwritten.
const putAuditEvent = (tableName: string, event: AuditEvent): TransactItem =>
  putNew(tableName, auditEventItem(event));

/**
 * Entries that create a new audited item (the head) with the first event of its stream. The
 * head is put only if it does not exist yet.
 */
export const startAuditStream = (params: {
  tableName: string;
  streamId: string;
  head: PrimaryKey & Record<string, unknown>;
  event: AuditEventContent;
}): { event: AuditEvent; items: TransactItem[] } => {
  const event = buildAuditEvent(params.streamId, null, params.event);
  return {
    event,
    items: [
      putNew(params.tableName, {
        ...params.head,
        auditSeq: event.seq,
        auditHash: event.hash,
        auditAt: event.at,
      }),
      putAuditEvent(params.tableName, event),
    ],
  };
};

export interface HeadChange {
  /** Attributes to set on the head (top-level names). */
  set?: Record<string, unknown>;
  /** Attributes to remove from the head (top-level names). */
  remove?: string[];
  /** An extra condition ANDed with the stream-head condition (its own placeholders). */
  condition?: {
    expression: string;
    names?: Record<string, string>;
    values?: Record<string, unknown>;
  };
}

/**
 * Entries that apply `change` to the head and append the next audit event, for one
 * TransactWriteItems. The update is conditional on `auditSeq = :prevSeq`, i.e. on nobody having
 * appended since `head` was read; if that fails the transaction is cancelled and
 * {@link ../transact.writeTransaction} raises `ConcurrentModificationError`.
 */
export const appendAuditEvent = (params: {
  tableName: string;
  streamId: string;
  head: StreamHead;
  change: HeadChange;
  event: AuditEventContent;
}): { event: AuditEvent; items: TransactItem[] } => {
  const { head, change } = params;
  const event = buildAuditEvent(
    params.streamId,
    { seq: head.seq, hash: head.hash },
    { ...params.event, at: chainedEventTime(params.event.at, head.at) },
  );

  const names: Record<string, string> = {
    '#auditSeq': 'auditSeq',
    '#auditHash': 'auditHash',
    '#auditAt': 'auditAt',
  };
  const values: Record<string, unknown> = {
    ':prevSeq': head.seq,
    ':nextSeq': event.seq,
    ':nextHash': event.hash,
    ':nextAt': event.at,
  };
  const sets = ['#auditSeq = :nextSeq', '#auditHash = :nextHash', '#auditAt = :nextAt'];
  Object.entries(change.set ?? {}).forEach(([name, value], index) => {
    names[`#s${index}`] = name;
    values[`:s${index}`] = value;
    sets.push(`#s${index} = :s${index}`);
  });
  const removes = (change.remove ?? []).map((name, index) => {
    names[`#r${index}`] = name;
    return `#r${index}`;
  });
  let condition = '#auditSeq = :prevSeq';
  if (change.condition) {
    condition += ` AND (${change.condition.expression})`;
    Object.assign(names, change.condition.names);
    Object.assign(values, change.condition.values);
  }

  return {
    event,
    items: [
      {
        Update: {
          TableName: params.tableName,
          Key: { pk: head.key.pk, sk: head.key.sk },
          UpdateExpression:
            `SET ${sets.join(', ')}` + (removes.length ? ` REMOVE ${removes.join(', ')}` : ''),
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      },
      putAuditEvent(params.tableName, event),
    ],
  };
};

export type ChainCheck =
  | { ok: true; length: number; lastHash: string }
  | {
      ok: false;
      /** Position in the given array of the first event that does not verify. */
      index: number;
      seq: number | undefined;
      reason: 'hash-mismatch' | 'prev-hash-mismatch' | 'seq-gap' | 'stream-mismatch';
    };

/**
 * Verifies events of one stream, in sequence order, and returns the first broken link. A chain
 * that starts at seq 1 must start from {@link GENESIS_HASH}; a later slice is checked from its
 * first event's `prevHash` unless `expectedPrevHash` is given.
 */
export const verifyChain = (
  events: readonly AuditEvent[],
  options: { expectedPrevHash?: string } = {},
): ChainCheck => {
  let previous: AuditEvent | undefined;
  for (const [index, event] of events.entries()) {
    const broken = (reason: Extract<ChainCheck, { ok: false }>['reason']): ChainCheck => ({
      ok: false,
      index,
      seq: event.seq,
      reason,
    });
    if (previous) {
      if (event.streamId !== previous.streamId) return broken('stream-mismatch');
      if (event.seq !== previous.seq + 1) return broken('seq-gap');
      if (event.prevHash !== previous.hash) return broken('prev-hash-mismatch');
    } else {
      const expected = options.expectedPrevHash ?? (event.seq === 1 ? GENESIS_HASH : undefined);
      if (expected !== undefined && event.prevHash !== expected) {
        return broken('prev-hash-mismatch');
      }
    }
    const { hash, ...unhashed } = event;
    if (hashAuditEvent(unhashed) !== hash) return broken('hash-mismatch');
    previous = event;
  }
  return { ok: true, length: events.length, lastHash: previous?.hash ?? GENESIS_HASH };
};
