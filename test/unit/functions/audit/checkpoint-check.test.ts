// Unit: what /verify says of a stream's latest checkpoint (functions/audit/checkpoint-check.ts),
// read from a table its writers may have changed: a genuine checkpoint, a pointer forged to the
// rewritten head, a checkpoint item forged or mangled, and no checkpoint at all.
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkAgainstCheckpoint } from '../../../../functions/audit/checkpoint-check';
import { buildAuditEvent, type AuditEvent } from '../../../../functions/shared/data/audit';
import {
  CHECKPOINT_FORMAT,
  checkpointMessage,
  merkleProof,
  merkleRoot,
  type CheckpointPayload,
} from '../../../../functions/shared/data/checkpoints';
import { keys } from '../../../../functions/shared/data/keys';
import { fakeTable } from '../../../support/dynamodb-fake';

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const STREAM = 'ACTIVITY#a';

const chain = (first: string): AuditEvent[] => {
  const events: AuditEvent[] = [];
  for (let i = 0; i < 3; i++) {
    events.push(
      buildAuditEvent(STREAM, events.at(-1) ?? null, {
        at: `2026-12-06T10:0${i}:00.000Z`,
        actor: 'workflow',
        action: `STEP_${i}`,
        before: null,
        after: { value: i === 0 ? first : i },
      }),
    );
  }
  return events;
};

const events = chain('original');
const leaves = [
  { streamId: 'ACTIVITY#0', seq: 1, hash: '0'.repeat(64) },
  { streamId: STREAM, seq: 3, hash: events[2]!.hash },
  { streamId: 'REFERRAL#z', seq: 2, hash: '1'.repeat(64) },
];
const payload: CheckpointPayload = {
  format: CHECKPOINT_FORMAT,
  seq: 7,
  signedAt: '2026-12-06T11:00:00.000Z',
  prev: null,
  root: merkleRoot(leaves),
  streams: 3,
  keyId: 'arn:aws:kms:ap-east-1:000000000000:key/k',
};
const checkpointItem = {
  ...keys.checkpoint(7),
  payload,
  signature: sign('sha256', checkpointMessage(payload), {
    key: privateKey,
    dsaEncoding: 'der',
  }).toString('base64'),
  leaves,
};
const pointer = {
  ...keys.streamCheckpoint(STREAM),
  ...leaves[1],
  checkpointSeq: 7,
  signedAt: payload.signedAt,
  proof: merkleProof(leaves, 1),
};

const check = (items: object[], stream: readonly AuditEvent[]) =>
  checkAgainstCheckpoint({ db: fakeTable(items).db, tableName: 'T' }, STREAM, stream, publicKey);

describe('checkAgainstCheckpoint', () => {
  it('names the checkpoint, signed and matching', async () => {
    expect(await check([checkpointItem, pointer], events)).toEqual({
      seq: 7,
      signedAt: payload.signedAt,
      keyId: payload.keyId,
      covers: { seq: 3, hash: events[2]!.hash },
      signed: true,
      matches: true,
    });
  });

  it('is null when no checkpoint covers the stream', async () => {
    expect(await check([checkpointItem], events)).toBeNull();
  });

  it('catches the rewritten stream, and a pointer forged to its new head', async () => {
    const rewritten = chain('forged');
    expect(await check([checkpointItem, pointer], rewritten)).toMatchObject({
      signed: true,
      matches: false,
      mismatch: { seq: 3, reason: 'hash-differs' },
    });
    const forgedPointer = { ...pointer, hash: rewritten[2]!.hash };
    expect(await check([checkpointItem, forgedPointer], rewritten)).toMatchObject({
      signed: false,
      problem: 'not-in-root',
      matches: true,
    });
  });

  it('refuses a checkpoint item edited, mangled or deleted in the table', async () => {
    const edited = { ...checkpointItem, payload: { ...payload, root: merkleRoot([leaves[1]!]) } };
    expect(await check([edited, pointer], events)).toMatchObject({
      signed: false,
      problem: 'bad-signature',
    });
    expect(await check([{ ...keys.checkpoint(7), junk: true }, pointer], events)).toMatchObject({
      signed: false,
      problem: 'unknown-format',
    });
    expect(await check([pointer], events)).toMatchObject({
      signed: false,
      problem: 'bad-signature',
    });
  });
});
