import type { z } from 'zod/mini';
import type { checkpointVerificationSchema } from './schemas.js';
import type { KeyObject } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '../shared/data/audit.js';
import {
  checkCheckpoint,
  matchStreamToLeaf,
  rootFromProof,
  type CheckpointProblem,
  type SignedCheckpoint,
  type StreamMismatch,
} from '../shared/data/checkpoints.js';
import { keys } from '../shared/data/keys.js';
import type { AuditDeps } from './activities.js';

/** What `/verify` says of the latest checkpoint that covers the stream. */
export type CheckpointVerification = z.output<typeof checkpointVerificationSchema>;

/** True when `A` and `B` are the same union. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** The documented codes are exactly the checkpoint module's: this does not compile otherwise. */
export const CHECKPOINT_CODES_DOCUMENTED: Same<
  NonNullable<CheckpointVerification['problem']>,
  CheckpointProblem | 'not-in-root'
> &
  Same<NonNullable<CheckpointVerification['mismatch']>['reason'], StreamMismatch> = true;

const get = async (deps: AuditDeps, key: { pk: string; sk: string }) =>
  (
    await deps.db.send(
      new GetCommand({ TableName: deps.tableName, Key: key, ConsistentRead: true }),
    )
  ).Item;

/**
 * The stream's events checked against the latest checkpoint that covers it (its pointer item
 * names it). The checkpoint is read from the table, which its writers could change: so its
 * signature is checked with the public key, and the stream's head against the signed root
 * through the pointer's Merkle proof. `null` when no checkpoint covers the stream yet.
 */
export const checkAgainstCheckpoint = async (
  deps: AuditDeps,
  streamId: string,
  events: readonly AuditEvent[],
  publicKey: KeyObject,
): Promise<CheckpointVerification | null> => {
  const pointer = await get(deps, keys.streamCheckpoint(streamId));
  if (!pointer) return null;
  const leaf = {
    streamId,
    seq: Number(pointer.seq),
    hash: String(pointer.hash),
  };
  const item = await get(deps, keys.checkpoint(Number(pointer.checkpointSeq)));
  const checkpoint = item as unknown as SignedCheckpoint | undefined;
  const base = {
    seq: Number(pointer.checkpointSeq),
    signedAt: String(checkpoint?.payload?.signedAt ?? pointer.signedAt),
    keyId: String(checkpoint?.payload?.keyId ?? ''),
    covers: { seq: leaf.seq, hash: leaf.hash },
  };
  // A checkpoint item deleted from the table is as good as unsigned here (the bucket keeps it).
  let problem: CheckpointVerification['problem'] = checkpoint
    ? checkCheckpoint(checkpoint, publicKey)
    : 'bad-signature';
  const proof = Array.isArray(pointer.proof) ? (pointer.proof as string[]) : [];
  if (!problem && rootFromProof(leaf, proof) !== checkpoint?.payload.root) problem = 'not-in-root';
  const match = matchStreamToLeaf(events, leaf);
  return {
    ...base,
    signed: problem === undefined,
    ...(problem ? { problem } : {}),
    matches: match.matches,
    ...(match.matches ? {} : { mismatch: { seq: match.seq, reason: match.reason } }),
  };
};
