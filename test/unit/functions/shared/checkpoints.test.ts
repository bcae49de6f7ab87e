// Unit: the checkpoint format of issue 16: the Merkle root and each stream's proof, the signature
// under a P-256 key (as KMS signs: DER ECDSA over SHA-256), and matching a stream to its signed head.
import { generateKeyPairSync, sign } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildAuditEvent, type AuditEvent } from '../../../../functions/shared/data/audit';
import {
  CHECKPOINT_FORMAT,
  checkCheckpoint,
  checkpointMessage,
  matchStreamToLeaf,
  merkleProof,
  merkleRoot,
  rootFromProof,
  sortLeaves,
  type CheckpointLeaf,
  type CheckpointPayload,
  type SignedCheckpoint,
} from '../../../../functions/shared/data/checkpoints';

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });

const leafOf = (i: number): CheckpointLeaf => ({
  streamId: `ACTIVITY#${String(i).padStart(4, '0')}`,
  seq: i + 1,
  hash: i.toString(16).padStart(64, '0'),
});

const signed = (leaves: CheckpointLeaf[], key = privateKey): SignedCheckpoint => {
  const sorted = sortLeaves(leaves);
  const payload: CheckpointPayload = {
    format: CHECKPOINT_FORMAT,
    seq: 1,
    signedAt: '2026-12-06T10:00:00.000Z',
    prev: null,
    root: merkleRoot(sorted),
    streams: sorted.length,
    keyId: 'arn:aws:kms:ap-east-1:000000000000:key/k',
  };
  const signature = sign('sha256', checkpointMessage(payload), { key, dsaEncoding: 'der' });
  return { payload, signature: signature.toString('base64'), leaves: sorted };
};

const stream = (n: number): AuditEvent[] => {
  const events: AuditEvent[] = [];
  for (let i = 0; i < n; i++) {
    events.push(
      buildAuditEvent('ACTIVITY#a', events.at(-1) ?? null, {
        at: `2026-12-06T10:0${i}:00.000Z`,
        actor: 'workflow',
        action: `STEP_${i}`,
        before: null,
        after: { step: i },
      }),
    );
  }
  return events;
};

describe('Merkle root and proofs', () => {
  it('every leaf proves its way to the root, for any number of leaves', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), (n) => {
        const leaves = sortLeaves(Array.from({ length: n }, (_, i) => leafOf(i)));
        const root = merkleRoot(leaves);
        leaves.forEach((leaf, i) => expect(rootFromProof(leaf, merkleProof(leaves, i))).toBe(root));
      }),
      { numRuns: 40 },
    );
  });

  it('a changed head does not reach the root with its old proof', () => {
    const leaves = Array.from({ length: 7 }, (_, i) => leafOf(i));
    const proof = merkleProof(leaves, 3);
    expect(rootFromProof({ ...leaves[3]!, hash: 'f'.repeat(64) }, proof)).not.toBe(
      merkleRoot(leaves),
    );
    expect(rootFromProof({ ...leaves[3]!, seq: 99 }, proof)).not.toBe(merkleRoot(leaves));
  });

  it('has no root without leaves', () => {
    expect(() => merkleRoot([])).toThrow(/at least one stream/);
  });
});

describe('checkCheckpoint', () => {
  const leaves = Array.from({ length: 5 }, (_, i) => leafOf(i));

  it('accepts a checkpoint signed with the key', () => {
    expect(checkCheckpoint(signed(leaves), publicKey)).toBeUndefined();
  });

  it('refuses another key, an edited payload, an edited or dropped leaf', () => {
    expect(checkCheckpoint(signed(leaves, other.privateKey), publicKey)).toBe('bad-signature');
    const cp = signed(leaves);
    expect(
      checkCheckpoint(
        { ...cp, payload: { ...cp.payload, signedAt: '2027-01-01T00:00:00.000Z' } },
        publicKey,
      ),
    ).toBe('bad-signature');
    const edited = cp.leaves.map((l, i) => (i === 2 ? { ...l, hash: 'e'.repeat(64) } : l));
    expect(checkCheckpoint({ ...cp, leaves: edited }, publicKey)).toBe('root-mismatch');
    expect(checkCheckpoint({ ...cp, leaves: cp.leaves.slice(1) }, publicKey)).toBe(
      'count-mismatch',
    );
    expect(checkCheckpoint({ ...cp, signature: 'bm90IGEgc2lnbmF0dXJl' }, publicKey)).toBe(
      'bad-signature',
    );
  });
});

describe('matchStreamToLeaf', () => {
  const events = stream(4);
  const leaf = { streamId: 'ACTIVITY#a', seq: 3, hash: events[2]!.hash };

  it('matches the stream as signed, and as it grew since', () => {
    expect(matchStreamToLeaf(events.slice(0, 3), leaf)).toEqual({ matches: true });
    expect(matchStreamToLeaf(events, leaf)).toEqual({ matches: true });
  });

  it('catches a stream rewritten and rehashed before the signed seq', () => {
    const rewritten: AuditEvent[] = [];
    for (const [i, e] of events.entries()) {
      rewritten.push(
        buildAuditEvent('ACTIVITY#a', rewritten.at(-1) ?? null, {
          at: e.at,
          actor: e.actor,
          action: e.action,
          before: e.before,
          after: i === 0 ? { step: 'forged' } : e.after,
        }),
      );
    }
    expect(matchStreamToLeaf(rewritten, leaf)).toEqual({
      matches: false,
      reason: 'hash-differs',
      seq: 3,
    });
  });

  it('catches an edit without rehashing, and a missing event', () => {
    const edited = events.map((e, i) => (i === 1 ? { ...e, action: 'OTHER' } : e));
    expect(matchStreamToLeaf(edited, leaf)).toMatchObject({
      matches: false,
      reason: 'chain-broken',
      seq: 2,
    });
    expect(matchStreamToLeaf([events[0]!, events[2]!], leaf)).toMatchObject({
      matches: false,
      reason: 'event-missing',
    });
  });
});
