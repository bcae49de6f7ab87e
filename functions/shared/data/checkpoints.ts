import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { canonicalJson, GENESIS_HASH, verifyChain, type AuditEvent } from './audit.js';

/**
 * Signed checkpoints of the audit streams (issue 16).
 *
 * A hash chain shows an edited event only to someone who does not recompute the hashes after it;
 * whoever can write the table can. A checkpoint fixes the heads of the streams that moved (their
 * last `seq` and `hash`) under a Merkle root, signed with an asymmetric KMS key that only the
 * checkpoint job may use, and kept in DynamoDB (for lookup) and in an S3 bucket under Object Lock
 * (so nobody rewrites it). A stream rewritten and rehashed after a checkpoint no longer reaches
 * the signed hash at the signed `seq`.
 *
 * Everything here is pure and needs only the public key: `/verify` and the offline command
 * (scripts/verify-offline.ts) check the same way.
 */

export const CHECKPOINT_FORMAT = 'liandong-checkpoint/1';
/** KMS `SigningAlgorithm` (ECC_NIST_P256 key, `MessageType: RAW`): DER-encoded ECDSA over SHA-256. */
export const CHECKPOINT_SIGNING_ALGORITHM = 'ECDSA_SHA_256';

/** One stream head a checkpoint covers. */
export interface CheckpointLeaf {
  streamId: string;
  seq: number;
  hash: string;
}

/** What is signed: the canonical JSON of this object, as UTF-8. */
export interface CheckpointPayload {
  format: typeof CHECKPOINT_FORMAT;
  /** 1, 2, 3…: a checkpoint names the previous one's hash, so none can be left out unseen. */
  seq: number;
  signedAt: string;
  /** {@link checkpointHash} of checkpoint `seq - 1` (null for the first). */
  prev: string | null;
  /** Merkle root over the leaves, sorted by stream id. */
  root: string;
  streams: number;
  /** The KMS key's ARN. */
  keyId: string;
}

/** A checkpoint as stored in the bucket and the table. */
export interface SignedCheckpoint {
  payload: CheckpointPayload;
  /** Base64 of the DER signature KMS returned. */
  signature: string;
  leaves: CheckpointLeaf[];
}

const sha256 = (...parts: (string | Buffer)[]): Buffer => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

export const checkpointMessage = (payload: CheckpointPayload): Buffer =>
  Buffer.from(canonicalJson(payload), 'utf8');

/** SHA-256 (hex) of the signed message: what the next checkpoint names as `prev`. */
export const checkpointHash = (payload: CheckpointPayload): string =>
  sha256(checkpointMessage(payload)).toString('hex');

// RFC 6962's domain separation: a leaf can never be read as an inner node.
const leafHash = (leaf: CheckpointLeaf): Buffer =>
  sha256(
    Buffer.from([0]),
    canonicalJson({ streamId: leaf.streamId, seq: leaf.seq, hash: leaf.hash }),
  );
const nodeHash = (left: Buffer, right: Buffer): Buffer => sha256(Buffer.from([1]), left, right);

export const sortLeaves = (leaves: readonly CheckpointLeaf[]): CheckpointLeaf[] =>
  [...leaves].sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0));

/** Each level of the tree, leaves first; an odd last node moves up unchanged. */
const levels = (leaves: readonly CheckpointLeaf[]): Buffer[][] => {
  if (leaves.length === 0) throw new Error('A checkpoint covers at least one stream');
  const out = [leaves.map(leafHash)];
  for (let level = out[0]!; level.length > 1;) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const right = level[i + 1];
      next.push(right ? nodeHash(level[i]!, right) : level[i]!);
    }
    out.push(next);
    level = next;
  }
  return out;
};

export const merkleRoot = (leaves: readonly CheckpointLeaf[]): string =>
  levels(leaves).at(-1)![0]!.toString('hex');

/** The siblings from the leaf at `index` up to the root: `L:<hex>` on the left, `R:<hex>` on the right. */
export const merkleProof = (leaves: readonly CheckpointLeaf[], index: number): string[] => {
  const proof: string[] = [];
  let at = index;
  for (const level of levels(leaves).slice(0, -1)) {
    const sibling = at % 2 === 0 ? level[at + 1] : level[at - 1];
    if (sibling) proof.push(`${at % 2 === 0 ? 'R' : 'L'}:${sibling.toString('hex')}`);
    at = Math.floor(at / 2);
  }
  return proof;
};

export const rootFromProof = (leaf: CheckpointLeaf, proof: readonly string[]): string => {
  let node = leafHash(leaf);
  for (const step of proof) {
    const sibling = Buffer.from(step.slice(2), 'hex');
    node = step.startsWith('L:') ? nodeHash(sibling, node) : nodeHash(node, sibling);
  }
  return node.toString('hex');
};

/** A public key as KMS `GetPublicKey` gives it (DER SubjectPublicKeyInfo) or as PEM text. */
export const publicKeyOf = (key: Uint8Array | string): KeyObject =>
  typeof key === 'string'
    ? createPublicKey(key)
    : createPublicKey({ key: Buffer.from(key), format: 'der', type: 'spki' });

export const signatureValid = (
  payload: CheckpointPayload,
  signature: string,
  publicKey: KeyObject,
): boolean => {
  try {
    return verify(
      'sha256',
      checkpointMessage(payload),
      { key: publicKey, dsaEncoding: 'der' },
      Buffer.from(signature, 'base64'),
    );
  } catch {
    return false;
  }
};

export type CheckpointProblem =
  'bad-signature' | 'root-mismatch' | 'unsorted-leaves' | 'count-mismatch' | 'unknown-format';

/** The signature, the root over the leaves and the leaves' order and count of a checkpoint. */
export const checkCheckpoint = (
  checkpoint: SignedCheckpoint,
  publicKey: KeyObject,
): CheckpointProblem | undefined => {
  // Read from a table or a file anyone may have edited: nothing about its shape is assumed.
  const { payload, leaves } = checkpoint as Partial<SignedCheckpoint>;
  if (payload?.format !== CHECKPOINT_FORMAT || !Array.isArray(leaves)) return 'unknown-format';
  if (typeof checkpoint.signature !== 'string') return 'bad-signature';
  if (!signatureValid(payload, checkpoint.signature, publicKey)) return 'bad-signature';
  if (leaves.length !== payload.streams) return 'count-mismatch';
  const sorted = sortLeaves(leaves);
  if (
    sorted.some(
      (leaf, i) => leaf !== leaves[i] || (i > 0 && leaf.streamId === sorted[i - 1]!.streamId),
    )
  ) {
    return 'unsorted-leaves';
  }
  if (merkleRoot(leaves) !== payload.root) return 'root-mismatch';
  return undefined;
};

export type StreamMismatch = 'event-missing' | 'hash-differs' | 'chain-broken';

/**
 * Whether the stream's events still reach the signed head: the chain from the genesis hash up to
 * the signed `seq` verifies, and the event at that `seq` has the signed hash. A stream edited and
 * rehashed before the signed `seq` fails here, however consistent its new chain is.
 */
export const matchStreamToLeaf = (
  events: readonly AuditEvent[],
  leaf: CheckpointLeaf,
): { matches: true } | { matches: false; reason: StreamMismatch; seq: number } => {
  const upTo = events.filter((event) => event.seq <= leaf.seq);
  const last = upTo.at(-1);
  if (!last || last.seq !== leaf.seq || upTo.length !== leaf.seq) {
    return { matches: false, reason: 'event-missing', seq: leaf.seq };
  }
  const chain = verifyChain(upTo, { expectedPrevHash: GENESIS_HASH });
  if (!chain.ok) {
    return { matches: false, reason: 'chain-broken', seq: chain.seq ?? chain.index + 1 };
  }
  if (last.hash !== leaf.hash) return { matches: false, reason: 'hash-differs', seq: leaf.seq };
  return { matches: true };
};
