import { SignCommand, type KMSClient } from '@aws-sdk/client-kms';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { readStreamEvents, verifyChain, GENESIS_HASH } from '../shared/data/audit.js';
import {
  CHECKPOINT_FORMAT,
  CHECKPOINT_SIGNING_ALGORITHM,
  checkpointHash,
  checkpointMessage,
  matchStreamToLeaf,
  merkleProof,
  merkleRoot,
  sortLeaves,
  type CheckpointLeaf,
  type CheckpointPayload,
  type SignedCheckpoint,
} from '../shared/data/checkpoints.js';
import { keys, toQueryParams } from '../shared/data/keys.js';
import { writeTransaction } from '../shared/data/transact.js';
import { ConcurrentModificationError } from '../shared/errors.js';
import type { DomainLogger } from '../shared/observability.js';

export interface CheckpointDeps {
  db: DynamoDBDocumentClient;
  kms: KMSClient;
  s3: S3Client;
  tableName: string;
  keyId: string;
  bucket: string;
  logger: DomainLogger & { error: DomainLogger['warn'] };
  now: () => Date;
}

/**
 * A run looks back from the previous run's start by this much: an event is listed by its `at`,
 * taken before its transaction commits, and a writer may take up to a Lambda timeout to commit.
 */
export const LOOKBACK_MARGIN_MS = 15 * 60 * 1000;
/** The first run (no checkpoint yet) looks back this far. */
export const FIRST_LOOKBACK_MS = 24 * 60 * 60 * 1000;
/** A checkpoint's transaction: its item, the latest pointer and one pointer per stream (≤ 100). */
export const MAX_STREAMS_PER_CHECKPOINT = 96;

export interface CheckpointRun {
  /** Sequence numbers of the checkpoints this run signed. */
  checkpoints: number[];
  /** Streams signed. */
  streams: number;
  /** Checkpoints put into the bucket (this run's and any a previous run left out). */
  archived: number;
  /** Streams not signed because their chain no longer verifies. */
  refused: { streamId: string; reason: string; seq: number }[];
}

interface Latest {
  seq: number;
  hash: string | null;
  cutoff: string;
}

const readLatest = async (deps: CheckpointDeps): Promise<Latest | undefined> => {
  const out = await deps.db.send(
    new GetCommand({
      TableName: deps.tableName,
      Key: keys.latestCheckpoint(),
      ConsistentRead: true,
    }),
  );
  return out.Item as Latest | undefined;
};

/** Every UTC hour (`YYYY-MM-DDTHH`) from `from` to `to`, both included. */
export const hoursBetween = (from: Date, to: Date): string[] => {
  const hours: string[] = [];
  const at = new Date(from);
  at.setUTCMinutes(0, 0, 0);
  for (; at <= to; at.setUTCHours(at.getUTCHours() + 1)) {
    hours.push(at.toISOString().slice(0, 13));
  }
  return hours;
};

const queryAll = async (
  deps: CheckpointDeps,
  query: ReturnType<typeof toQueryParams>,
  projection?: string,
): Promise<Record<string, unknown>[]> => {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await deps.db.send(
      new QueryCommand({
        TableName: deps.tableName,
        ...query,
        ...(projection ? { ProjectionExpression: projection } : {}),
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    items.push(...(out.Items ?? []));
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return items;
};

/** The streams with events listed in the hours from `from` to `to`, with the highest seq seen. */
const streamsMoved = async (deps: CheckpointDeps, from: Date, to: Date) => {
  const moved = new Map<string, number>();
  for (const hour of hoursBetween(from, to)) {
    const items = await queryAll(
      deps,
      toQueryParams(keys.auditEventsOfHour(hour)),
      'streamId, seq',
    );
    for (const item of items) {
      const streamId = item.streamId as string;
      moved.set(streamId, Math.max(moved.get(streamId) ?? 0, item.seq as number));
    }
  }
  return moved;
};

interface StreamPointer extends CheckpointLeaf {
  checkpointSeq: number;
}

const readPointer = async (deps: CheckpointDeps, streamId: string) =>
  (
    await deps.db.send(
      new GetCommand({
        TableName: deps.tableName,
        Key: keys.streamCheckpoint(streamId),
        ConsistentRead: true,
      }),
    )
  ).Item as StreamPointer | undefined;

/**
 * The head to sign of a stream that moved, or why it is refused: its chain must verify from the
 * genesis hash, and must still reach the head its previous checkpoint signed. A stream rewritten
 * since is never signed again (that would launder the rewrite).
 */
const headToSign = async (
  deps: CheckpointDeps,
  streamId: string,
  seenSeq: number,
): Promise<
  { leaf: CheckpointLeaf } | { refused: CheckpointRun['refused'][number] } | { covered: true }
> => {
  const pointer = await readPointer(deps, streamId);
  if (pointer && pointer.seq >= seenSeq) return { covered: true };
  const events = await readStreamEvents(deps.db, deps.tableName, streamId);
  const chain = verifyChain(events, { expectedPrevHash: GENESIS_HASH });
  if (!chain.ok || events[0]?.seq !== 1) {
    const seq = chain.ok ? 1 : (chain.seq ?? chain.index + 1);
    return { refused: { streamId, reason: chain.ok ? 'missing-event' : chain.reason, seq } };
  }
  if (pointer) {
    const match = matchStreamToLeaf(events, pointer);
    if (!match.matches) {
      return {
        refused: {
          streamId,
          reason: `no longer matches checkpoint ${pointer.checkpointSeq}: ${match.reason}`,
          seq: match.seq,
        },
      };
    }
  }
  const last = events.at(-1)!;
  if (pointer && pointer.seq >= last.seq) return { covered: true };
  return { leaf: { streamId, seq: last.seq, hash: last.hash } };
};

const sign = async (deps: CheckpointDeps, payload: CheckpointPayload): Promise<string> => {
  const out = await deps.kms.send(
    new SignCommand({
      KeyId: deps.keyId,
      Message: checkpointMessage(payload),
      MessageType: 'RAW',
      SigningAlgorithm: CHECKPOINT_SIGNING_ALGORITHM,
    }),
  );
  if (!out.Signature) throw new Error('KMS Sign returned no signature');
  return Buffer.from(out.Signature).toString('base64');
};

/**
 * Signs one checkpoint of `leaves` after `latest` and writes it, the latest pointer and each
 * stream's pointer in one transaction, conditional on the latest not having moved: two runs at
 * once never both write checkpoint n.
 */
const writeCheckpoint = async (
  deps: CheckpointDeps,
  latest: Latest,
  leaves: CheckpointLeaf[],
  cutoff: string,
): Promise<SignedCheckpoint> => {
  const sorted = sortLeaves(leaves);
  const payload: CheckpointPayload = {
    format: CHECKPOINT_FORMAT,
    seq: latest.seq + 1,
    signedAt: deps.now().toISOString(),
    prev: latest.hash,
    root: merkleRoot(sorted),
    streams: sorted.length,
    keyId: deps.keyId,
  };
  const checkpoint: SignedCheckpoint = {
    payload,
    signature: await sign(deps, payload),
    leaves: sorted,
  };
  const { tableName } = deps;
  await writeTransaction(deps.db, [
    {
      Put: {
        TableName: tableName,
        Item: {
          ...keys.checkpoint(payload.seq),
          ...keys.unarchivedCheckpoint(payload.seq),
          entity: 'CHECKPOINT',
          ...checkpoint,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Update: {
        TableName: tableName,
        Key: keys.latestCheckpoint(),
        UpdateExpression: 'SET #seq = :seq, #hash = :hash, #cutoff = :cutoff',
        ConditionExpression: '#seq = :prevSeq',
        ExpressionAttributeNames: { '#seq': 'seq', '#hash': 'hash', '#cutoff': 'cutoff' },
        ExpressionAttributeValues: {
          ':seq': payload.seq,
          ':hash': checkpointHash(payload),
          ':cutoff': cutoff,
          ':prevSeq': latest.seq,
        },
      },
    },
    ...sorted.map((leaf, index) => ({
      Put: {
        TableName: tableName,
        Item: {
          ...keys.streamCheckpoint(leaf.streamId),
          entity: 'STREAM_CHECKPOINT',
          ...leaf,
          checkpointSeq: payload.seq,
          signedAt: payload.signedAt,
          proof: merkleProof(sorted, index),
        },
        // A pointer only moves forward.
        ConditionExpression: 'attribute_not_exists(pk) OR #seq < :seq',
        ExpressionAttributeNames: { '#seq': 'seq' },
        ExpressionAttributeValues: { ':seq': leaf.seq },
      },
    })),
  ]);
  return checkpoint;
};

/**
 * Puts a checkpoint into the bucket, then clears its listing. `If-None-Match: *`: an object
 * already at that key is never replaced (the bucket's Object Lock keeps it anyway).
 */
const archive = async (deps: CheckpointDeps, checkpoint: SignedCheckpoint): Promise<void> => {
  const { payload, signature, leaves } = checkpoint;
  try {
    await deps.s3.send(
      new PutObjectCommand({
        Bucket: deps.bucket,
        Key: keys.checkpointObject(payload.seq, payload.signedAt),
        Body: `${JSON.stringify({ payload, signature, leaves }, null, 2)}\n`,
        ContentType: 'application/json',
        IfNoneMatch: '*',
      }),
    );
  } catch (error) {
    // Written by an earlier attempt whose listing update was lost.
    if ((error as Error).name !== 'PreconditionFailed') throw error;
    deps.logger.warn('Checkpoint already in the bucket', { seq: payload.seq });
  }
  await deps.db.send(
    new UpdateCommand({
      TableName: deps.tableName,
      Key: keys.checkpoint(payload.seq),
      UpdateExpression: 'REMOVE listPk, listSk',
    }),
  );
};

/**
 * Archives every checkpoint still listed as not in the bucket but those this run archived: a
 * run that failed after its transaction left it out (the index may also still list this run's).
 */
const archivePending = async (deps: CheckpointDeps, done: ReadonlySet<number>): Promise<number> => {
  const pending = await queryAll(deps, toQueryParams(keys.unarchivedCheckpoints()));
  let archived = 0;
  for (const item of pending) {
    const checkpoint = item as unknown as SignedCheckpoint;
    if (done.has(checkpoint.payload.seq)) continue;
    await archive(deps, checkpoint);
    archived += 1;
  }
  return archived;
};

/** One pass of the checkpoint job (see the handler). */
export const runCheckpoint = async (deps: CheckpointDeps): Promise<CheckpointRun> => {
  const started = deps.now();
  let latest = await readLatest(deps);
  if (!latest) {
    const initial = {
      seq: 0,
      hash: null,
      cutoff: new Date(+started - FIRST_LOOKBACK_MS).toISOString(),
    };
    try {
      await deps.db.send(
        new PutCommand({
          TableName: deps.tableName,
          Item: { ...keys.latestCheckpoint(), entity: 'CHECKPOINT_LATEST', ...initial },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
    latest = (await readLatest(deps))!;
  }
  const run: CheckpointRun = { checkpoints: [], streams: 0, archived: 0, refused: [] };
  const from = new Date(Date.parse(latest.cutoff) - LOOKBACK_MARGIN_MS);
  const moved = await streamsMoved(deps, from, started);
  const leaves: CheckpointLeaf[] = [];
  for (const [streamId, seenSeq] of moved) {
    const head = await headToSign(deps, streamId, seenSeq);
    if ('leaf' in head) leaves.push(head.leaf);
    else if ('refused' in head) run.refused.push(head.refused);
  }
  const batches: CheckpointLeaf[][] = [];
  for (let i = 0; i < leaves.length; i += MAX_STREAMS_PER_CHECKPOINT) {
    batches.push(leaves.slice(i, i + MAX_STREAMS_PER_CHECKPOINT));
  }
  for (const [index, batch] of batches.entries()) {
    // Only the last batch moves the cutoff: a run that stops halfway looks back as far again.
    const cutoff: string = index === batches.length - 1 ? started.toISOString() : latest.cutoff;
    for (let attempt = 1; ; attempt++) {
      try {
        const checkpoint = await writeCheckpoint(deps, latest, batch, cutoff);
        await archive(deps, checkpoint);
        run.checkpoints.push(checkpoint.payload.seq);
        run.streams += batch.length;
        latest = { seq: checkpoint.payload.seq, hash: checkpointHash(checkpoint.payload), cutoff };
        break;
      } catch (error) {
        // Another run signed first: the next attempt signs after its checkpoint, and leaves out
        // the streams it covered.
        if (!(error instanceof ConcurrentModificationError) || attempt >= 5) throw error;
        latest = (await readLatest(deps))!;
        const still: CheckpointLeaf[] = [];
        for (const leaf of batch) {
          const pointer = await readPointer(deps, leaf.streamId);
          if (!pointer || pointer.seq < leaf.seq) still.push(leaf);
        }
        if (still.length === 0) break;
        batch.splice(0, batch.length, ...still);
      }
    }
  }
  if (batches.length === 0) {
    // Nothing moved: the next run need not look back past this one.
    await deps.db
      .send(
        new UpdateCommand({
          TableName: deps.tableName,
          Key: keys.latestCheckpoint(),
          UpdateExpression: 'SET #cutoff = :cutoff',
          ConditionExpression: '#seq = :seq AND #cutoff < :cutoff',
          ExpressionAttributeNames: { '#seq': 'seq', '#cutoff': 'cutoff' },
          ExpressionAttributeValues: { ':seq': latest.seq, ':cutoff': started.toISOString() },
        }),
      )
      .catch((error: Error) => {
        if (error.name !== 'ConditionalCheckFailedException') throw error;
      });
  }
  run.archived = run.checkpoints.length + (await archivePending(deps, new Set(run.checkpoints)));
  return run;
};
