// unit test: SDK mocked with aws-sdk-client-mock (none needed here: plain functions)
import { describe, expect, it } from 'vitest';
import {
  GENESIS_HASH,
  appendAuditEvent,
  buildAuditEvent,
  canonicalJson,
  startAuditStream,
  streamHead,
  verifyChain,
  type AuditEvent,
} from '../../../../functions/shared/data/audit.js';
import { toStoreError } from '../../../../functions/shared/data/transact.js';
import {
  ConcurrentModificationError,
  TransientError,
} from '../../../../functions/shared/errors.js';

const stream = 'ACTIVITY#01J0';

const chain = (length: number): AuditEvent[] => {
  const events: AuditEvent[] = [];
  for (let i = 0; i < length; i++) {
    const previous = events.at(-1);
    events.push(
      buildAuditEvent(stream, previous ? { seq: previous.seq, hash: previous.hash } : null, {
        at: `2020-08-18T0${i}:00:00.000Z`,
        actor: i === 0 ? 'org-sub' : 'workflow',
        action: `STEP_${i}`,
        before: i === 0 ? null : { status: `S${i - 1}` },
        after: { status: `S${i}`, counts: { invited: 341, sent: i } },
      }),
    );
  }
  return events;
};

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: undefined, x: '中' }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"x":"中","z":1}]},"b":1}',
    );
  });

  it('refuses values JSON cannot carry', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow();
  });
});

describe('audit chain', () => {
  it('starts from the genesis hash and links each event to the previous', () => {
    const events = chain(3);
    expect(events[0]!.seq).toBe(1);
    expect(events[0]!.prevHash).toBe(GENESIS_HASH);
    expect(events[1]!.prevHash).toBe(events[0]!.hash);
    expect(events[2]!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(verifyChain(events)).toEqual({ ok: true, length: 3, lastHash: events[2]!.hash });
  });

  it('hashes the same whatever the attribute order of the stored item', () => {
    const [event] = chain(1);
    const reordered = Object.fromEntries(Object.entries(event!).reverse()) as AuditEvent;
    expect(verifyChain([reordered]).ok).toBe(true);
  });

  it('detects an edited event at the edit', () => {
    const events = chain(4);
    events[2] = { ...events[2]!, after: { status: 'S2', counts: { invited: 340, sent: 2 } } };
    expect(verifyChain(events)).toMatchObject({
      ok: false,
      index: 2,
      seq: 3,
      reason: 'hash-mismatch',
    });
  });

  it('detects an event re-hashed after editing at the next link', () => {
    const events = chain(4);
    const edited = buildAuditEvent(
      stream,
      { seq: 1, hash: events[0]!.hash },
      {
        ...events[1]!,
        actor: 'someone-else',
      },
    );
    events[1] = edited;
    expect(verifyChain(events)).toMatchObject({
      ok: false,
      index: 2,
      reason: 'prev-hash-mismatch',
    });
  });

  it('detects a removed event', () => {
    const events = chain(4);
    events.splice(1, 1);
    expect(verifyChain(events)).toMatchObject({ ok: false, index: 1, reason: 'seq-gap' });
  });

  it('detects a forged first event', () => {
    const events = chain(2);
    events[0] = { ...events[0]!, prevHash: 'f'.repeat(64) };
    expect(verifyChain(events)).toMatchObject({
      ok: false,
      index: 0,
      reason: 'prev-hash-mismatch',
    });
  });
});

describe('audit transaction entries', () => {
  it('creates the head only if absent, with the first event', () => {
    const { event, items } = startAuditStream({
      tableName: 'T',
      streamId: stream,
      head: { pk: stream, sk: 'ACTIVITY', status: 'SCHEDULED' },
      event: {
        at: '2026-12-06T10:00:00.000Z',
        actor: 'org',
        action: 'ACTIVITY_SCHEDULED',
        before: null,
        after: {},
      },
    });
    expect(items).toHaveLength(2);
    expect(items[0]!.Put).toMatchObject({
      ConditionExpression: 'attribute_not_exists(pk)',
      Item: { pk: stream, auditSeq: 1, auditHash: event.hash, auditAt: '2026-12-06T10:00:00.000Z' },
    });
    expect(items[1]!.Put).toMatchObject({
      ConditionExpression: 'attribute_not_exists(pk)',
      Item: { pk: stream, sk: 'AUDIT#00000001', action: 'ACTIVITY_SCHEDULED', hash: event.hash },
    });
  });

  it('updates the head on condition that the stream head has not moved', () => {
    const { event, items } = appendAuditEvent({
      tableName: 'T',
      streamId: stream,
      head: { key: { pk: stream, sk: 'ACTIVITY' }, seq: 4, hash: 'a'.repeat(64) },
      change: {
        set: { status: 'CHECK_IN_OPEN' },
        remove: ['pendingTask'],
        condition: { expression: '#x = :x', names: { '#x': 'status' }, values: { ':x': 'OLD' } },
      },
      event: {
        at: '2026-12-06T10:00:00.000Z',
        actor: 'workflow',
        action: 'CHECK_IN_OPENED',
        before: null,
        after: null,
      },
    });
    expect(event).toMatchObject({ seq: 5, prevHash: 'a'.repeat(64) });
    const update = items[0]!.Update!;
    expect(update.ConditionExpression).toBe('#auditSeq = :prevSeq AND (#x = :x)');
    expect(update.UpdateExpression).toBe(
      'SET #auditSeq = :nextSeq, #auditHash = :nextHash, #auditAt = :nextAt, #s0 = :s0 REMOVE #r0',
    );
    expect(update.ExpressionAttributeValues).toMatchObject({
      ':prevSeq': 4,
      ':nextSeq': 5,
      ':nextHash': event.hash,
      ':s0': 'CHECK_IN_OPEN',
      ':x': 'OLD',
    });
    expect(items[1]!.Put!.Item).toMatchObject({ sk: 'AUDIT#00000005' });
  });

  it('never carries a time before the previous event of the stream', () => {
    // The race of issue 18: the organiser's route read its clock (…52.763) before the
    // workflow step it woke appended CHECK_IN_OPENED (…52.767), and appended after it.
    const head = {
      key: { pk: stream, sk: 'ACTIVITY' },
      seq: 6,
      hash: 'b'.repeat(64),
      at: '2026-12-06T10:00:52.767Z',
    };
    const append = (at: string) =>
      appendAuditEvent({
        tableName: 'T',
        streamId: stream,
        head,
        change: {},
        event: { at, actor: 'org', action: 'START_ENDED_BY_ORGANISER', before: null, after: null },
      });
    const late = append('2026-12-06T10:00:52.763Z');
    expect(late.event.at).toBe('2026-12-06T10:00:52.767Z');
    expect(late.items[0]!.Update!.ExpressionAttributeValues).toMatchObject({
      ':nextAt': '2026-12-06T10:00:52.767Z',
    });
    expect(verifyChain([late.event], { expectedPrevHash: 'b'.repeat(64) }).ok).toBe(true);
    expect(append('2026-12-06T10:00:53.000Z').event.at).toBe('2026-12-06T10:00:53.000Z');
    // A head written before it kept its time: the event's own time.
    expect(
      appendAuditEvent({
        tableName: 'T',
        streamId: stream,
        head: streamHead(head.key, { auditSeq: 6, auditHash: head.hash }),
        change: {},
        event: {
          at: '2026-12-06T10:00:52.763Z',
          actor: 'o',
          action: 'X',
          before: null,
          after: null,
        },
      }).event.at,
    ).toBe('2026-12-06T10:00:52.763Z');
  });

  it('maps a cancelled transaction to ConcurrentModificationError', () => {
    const cancelled = Object.assign(new Error('Transaction cancelled'), {
      name: 'TransactionCanceledException',
      CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
    });
    expect(toStoreError(cancelled)).toBeInstanceOf(ConcurrentModificationError);
    const throttled = Object.assign(new Error('x'), {
      name: 'TransactionCanceledException',
      CancellationReasons: [{ Code: 'ThrottlingError' }],
    });
    expect(toStoreError(throttled)).toBeInstanceOf(TransientError);
    const other = new Error('boom');
    expect(toStoreError(other)).toBe(other);
  });
});
