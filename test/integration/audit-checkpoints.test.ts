// Integration test on the local cloud (issue 16): the checkpoint job signs the heads of the
// streams that moved with the template's KMS key and archives each checkpoint in the Object Lock
// bucket; /verify and the offline command catch a stream rewritten and rehashed directly in
// DynamoDB (a chain that verifies by itself); the job refuses to sign it again; a locked
// checkpoint refuses to be deleted or replaced.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetPublicKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  auditEventItem,
  buildAuditEvent,
  type AuditEvent,
} from '../../functions/shared/data/audit';
import type { SignedCheckpoint } from '../../functions/shared/data/checkpoints';
import { keys } from '../../functions/shared/data/keys';
import { DEMO_DEPUTY_IDS } from '../../infra/local/seed';
import { readCheckpoints, readStreamExport } from '../../scripts/audit-checkpoints';
import { exportStreams } from '../../scripts/export-audit-streams';
import { readPublicKey, verifyOffline } from '../../scripts/verify-offline';
import { api } from './support/api';
import { activityItem, auditEvents, cancelledActivity, rawItem } from './support/activity';
import { ddbDoc } from './support/aws';
import { localCloud, tableName } from './support/cloud';
import { localClientConfig } from '../support/local-clients';

const RUN = Date.now().toString(36);
const organiser = api({ role: 'organiser', sub: `org-ckpt-${RUN}` });
const auditor = api({ role: 'auditor', sub: `aud-ckpt-${RUN}` });

const s3 = () => new S3Client(localClientConfig(localCloud().s3, localCloud().region));
const bucket = () =>
  Object.values(localCloud().buckets).find((b) => b.startsWith('CheckpointsBucket'))!;
const keyArn = () =>
  Object.entries(localCloud().kmsKeys).find(([id]) => id.startsWith('CheckpointsSigningKey'))![1];
const checkpointFunction = () =>
  Object.keys(localCloud().functions).find((f) => f.startsWith('CheckpointsCheckpointFunction'))!;

interface CheckpointRun {
  checkpoints: number[];
  streams: number;
  archived: number;
  refused: { streamId: string; reason: string; seq: number }[];
}

/** `POST /_local/invoke/{logicalId}`: as the hourly rule would invoke the job. */
async function runCheckpointJob(): Promise<CheckpointRun> {
  const res = await fetch(`${localCloud().api}/_local/invoke/${checkpointFunction()}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} }),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { result?: CheckpointRun; errorMessage?: string };
  expect(body.errorMessage).toBeUndefined();
  return body.result!;
}

interface VerifyJson {
  ok: boolean;
  firstBroken?: unknown;
  checkpoint?: {
    seq: number;
    signedAt: string;
    keyId: string;
    covers: { seq: number; hash: string };
    signed: boolean;
    problem?: string;
    matches: boolean;
    mismatch?: { seq: number; reason: string };
  } | null;
}

/**
 * What an insider who can write the table does: edits the first event, recomputes every hash
 * after it and the head's, so the chain verifies by itself again.
 */
async function rewriteAndRehash(activityId: string): Promise<void> {
  const events = await auditEvents(activityId);
  let previous: AuditEvent | null = null;
  for (const stored of events) {
    const { streamId, seq: _seq, prevHash: _p, hash: _h, ...content } = stored;
    const after =
      stored.seq === 1 ? { ...(content.after ?? {}), title: '被改写的标题' } : content.after;
    const event = buildAuditEvent(streamId, previous, {
      at: content.at,
      actor: content.actor,
      action: content.action,
      before: content.before,
      after,
    });
    await ddbDoc().send(new PutCommand({ TableName: tableName(), Item: auditEventItem(event) }));
    previous = event;
  }
  await ddbDoc().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.activity(activityId),
      UpdateExpression: 'SET auditHash = :hash',
      ExpressionAttributeValues: { ':hash': previous!.hash },
    }),
  );
}

const today = () => new Date().toISOString().slice(0, 10);
/**
 * The UTC days the bucket files this file's checkpoints under: from the day it began to today,
 * so a run that crosses UTC midnight still reads the checkpoints it signed before it.
 */
const firstDay = today();

async function offline(publicKeyFile: string) {
  const period = { from: firstDay, to: today() };
  const objects = await readCheckpoints({ bucket: bucket(), s3: s3() }, period);
  const exported = await exportStreams({ db: ddbDoc(), tableName: tableName() }, objects);
  const dir = mkdtempSync(join(tmpdir(), 'liandong-offline-'));
  const streamsFile = join(dir, 'streams.jsonl');
  writeFileSync(streamsFile, exported.text);
  return {
    streamsFile,
    report: verifyOffline(objects, readPublicKey(publicKeyFile), readStreamExport(streamsFile)),
  };
}

let activityId: string;
let publicKeyFile: string;

beforeAll(async () => {
  activityId = await cancelledActivity(organiser, {
    title: `检查点 ${RUN}`,
    invitedDeputyIds: [DEMO_DEPUTY_IDS.wenchong],
  });

  // The auditor's copy of the public key: what `aws kms get-public-key` returns, as DER.
  const kms = new KMSClient(localClientConfig(localCloud().kms, localCloud().region));
  const { PublicKey } = await kms.send(new GetPublicKeyCommand({ KeyId: keyArn() }));
  publicKeyFile = join(mkdtempSync(join(tmpdir(), 'liandong-key-')), 'checkpoint-key.der');
  writeFileSync(publicKeyFile, PublicKey!);
}, 60_000);

describe('checkpoints', () => {
  it('signs the stream that moved, and /verify names the checkpoint that covers it', async () => {
    const run = await runCheckpointJob();
    const stream = keys.auditStreamOfActivity(activityId);
    const pointer = await rawItem(keys.streamCheckpoint(stream));
    expect(pointer).toBeDefined();
    const head = await activityItem(activityId);
    expect(pointer).toMatchObject({ seq: head.auditSeq, hash: head.auditHash });
    // This run or one the cancellation triggered archived it.
    expect(run.refused.filter((r) => r.streamId === stream)).toEqual([]);

    const res = await auditor.get<VerifyJson>(`/audit/activities/${activityId}/verify`);
    expect(res.status, res.text).toBe(200);
    expect(res.json.ok).toBe(true);
    expect(res.json.checkpoint).toMatchObject({
      seq: pointer!.checkpointSeq,
      keyId: keyArn(),
      covers: { seq: head.auditSeq, hash: head.auditHash },
      signed: true,
      matches: true,
    });
    expect(Date.parse(res.json.checkpoint!.signedAt)).toBeGreaterThan(Date.now() - 120_000);

    // Nothing moved since: a second run signs nothing new for it.
    const again = await runCheckpointJob();
    const after = await rawItem(keys.streamCheckpoint(stream));
    expect(after?.checkpointSeq).toBe(pointer!.checkpointSeq);
    expect(again.refused).toEqual([]);
  });

  it('archives the checkpoint in the bucket, and the period verifies offline', async () => {
    const pointer = await rawItem(keys.streamCheckpoint(keys.auditStreamOfActivity(activityId)));
    const checkpoint = (await rawItem(
      keys.checkpoint(Number(pointer!.checkpointSeq)),
    )) as unknown as SignedCheckpoint & { listPk?: string };
    expect(checkpoint.listPk).toBeUndefined(); // archived: off the pending listing
    const got = await s3().send(
      new GetObjectCommand({
        Bucket: bucket(),
        Key: keys.checkpointObject(checkpoint.payload.seq, checkpoint.payload.signedAt),
      }),
    );
    expect(got.ObjectLockMode).toBe('COMPLIANCE');
    expect(got.ObjectLockRetainUntilDate!.getTime()).toBeGreaterThan(
      Date.now() + 9 * 365 * 86_400_000,
    );
    const stored = JSON.parse(await got.Body!.transformToString()) as SignedCheckpoint;
    expect(stored.payload).toEqual(checkpoint.payload);
    expect(stored.signature).toBe(checkpoint.signature);

    const { report } = await offline(publicKeyFile);
    expect(report.problems).toEqual([]);
    expect(report.heads).toBeGreaterThan(0);
  });

  it('archives a checkpoint whose archiving was cut short, without replacing the object', async () => {
    const pointer = await rawItem(keys.streamCheckpoint(keys.auditStreamOfActivity(activityId)));
    const seq = Number(pointer!.checkpointSeq);
    const item = await rawItem(keys.checkpoint(seq));
    const key = keys.checkpointObject(seq, (item as unknown as SignedCheckpoint).payload.signedAt);
    const before = await s3().send(new GetObjectCommand({ Bucket: bucket(), Key: key }));
    // As if the run had died between the bucket and clearing the listing.
    await ddbDoc().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.checkpoint(seq),
        UpdateExpression: 'SET listPk = :pk, listSk = :sk',
        ExpressionAttributeValues: {
          ':pk': keys.unarchivedCheckpoint(seq).listPk,
          ':sk': keys.unarchivedCheckpoint(seq).listSk,
        },
      }),
    );
    const run = await runCheckpointJob();
    expect(run.archived).toBeGreaterThanOrEqual(1);
    expect((await rawItem(keys.checkpoint(seq)))?.listPk).toBeUndefined();
    const after = await s3().send(new GetObjectCommand({ Bucket: bucket(), Key: key }));
    expect(after.VersionId).toBe(before.VersionId);
  });

  it('catches a stream rewritten and rehashed in DynamoDB, in /verify and offline', async () => {
    await rewriteAndRehash(activityId);
    // The rehashed chain verifies by itself: what the chain alone cannot catch.
    const trail = await auditor.get<{ verification: { ok: boolean } }>(
      `/audit/activities/${activityId}/trail`,
    );
    expect(trail.json.verification.ok).toBe(true);

    const res = await auditor.get<VerifyJson>(`/audit/activities/${activityId}/verify`);
    expect(res.status).toBe(200);
    expect(res.json.ok).toBe(false);
    expect(res.json.firstBroken).toBeUndefined();
    expect(res.json.checkpoint).toMatchObject({
      signed: true,
      matches: false,
      mismatch: { reason: 'hash-differs' },
    });

    const { report, streamsFile } = await offline(publicKeyFile);
    const stream = keys.auditStreamOfActivity(activityId);
    expect(report.problems).toEqual([
      expect.stringMatching(
        new RegExp(`^${stream}: does not match checkpoint \\d+ .*hash-differs`),
      ),
    ]);

    // The command itself, as an auditor runs it: exit 1 and the stream named.
    const cli = spawnSync(
      'npx',
      [
        'tsx',
        'scripts/verify-offline.ts',
        '--bucket',
        bucket(),
        '--public-key',
        publicKeyFile,
        '--streams',
        streamsFile,
        '--from',
        firstDay,
        '--to',
        today(),
      ],
      {
        encoding: 'utf8',
        env: {
          ...process.env,
          AWS_ENDPOINT_URL_S3: localCloud().s3,
          AWS_REGION: localCloud().region,
          AWS_ACCESS_KEY_ID: 'local',
          AWS_SECRET_ACCESS_KEY: 'local',
        },
      },
    );
    expect(cli.status, cli.stderr).toBe(1);
    expect(cli.stdout).toContain(`FAIL ${stream}: does not match checkpoint`);
    const events = await auditEvents(activityId);
    console.log(
      `[insider] rewrote event 1 of ${stream} and rehashed all ${events.length}: trail chain ok=${trail.json.verification.ok}; ` +
        `/verify ok=${res.json.ok} checkpoint ${res.json.checkpoint?.seq} ${res.json.checkpoint?.mismatch?.reason} at seq ${res.json.checkpoint?.mismatch?.seq}; ` +
        `offline: ${report.checkpoints} checkpoints, ${report.heads} heads, ${report.problems.length} problem(s), exit ${cli.status}`,
    );
  }, 60_000);

  it('does not sign the rewritten stream again when it moves', async () => {
    const stream = keys.auditStreamOfActivity(activityId);
    const before = await rawItem(keys.streamCheckpoint(stream));
    // The insider appends an event so the stream "moved".
    const events = await auditEvents(activityId);
    const last = events.at(-1)!;
    const forged = buildAuditEvent(stream, last, {
      at: new Date().toISOString(),
      actor: 'workflow',
      action: 'NOTE',
      before: null,
      after: { note: 'x' },
    });
    await ddbDoc().send(new PutCommand({ TableName: tableName(), Item: auditEventItem(forged) }));
    const run = await runCheckpointJob();
    expect(run.refused).toContainEqual(
      expect.objectContaining({
        streamId: stream,
        reason: expect.stringContaining('no longer matches'),
      }),
    );
    const after = await rawItem(keys.streamCheckpoint(stream));
    expect(after).toEqual(before);
    console.log(
      `[insider] after a forged append: job signed ${run.streams} stream(s), refused ${run.refused.length}: ${run.refused.map((r) => r.reason).join('; ')}`,
    );
  });

  it('keeps a locked checkpoint: delete and overwrite are refused, the version stays', async () => {
    const client = s3();
    const listed = await client.send(
      new ListObjectsV2Command({ Bucket: bucket(), Prefix: 'checkpoints/' }),
    );
    const key = listed.Contents![0]!.Key!;
    const original = await client.send(new GetObjectCommand({ Bucket: bucket(), Key: key }));
    const originalText = await original.Body!.transformToString();
    const versionId = original.VersionId!;

    // Overwrite as the job writes (If-None-Match): refused.
    await expect(
      client.send(
        new PutObjectCommand({ Bucket: bucket(), Key: key, Body: '{}', IfNoneMatch: '*' }),
      ),
    ).rejects.toMatchObject({ name: 'PreconditionFailed' });
    // Deleting the locked version: refused, whoever asks.
    await expect(
      client.send(new DeleteObjectCommand({ Bucket: bucket(), Key: key, VersionId: versionId })),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
    // A plain put or delete only stacks a new version or a delete marker on top …
    await client.send(new PutObjectCommand({ Bucket: bucket(), Key: key, Body: '{"forged":1}' }));
    const marker = await client.send(new DeleteObjectCommand({ Bucket: bucket(), Key: key }));
    expect(marker.DeleteMarker).toBe(true);
    // … and the locked version is still there, unchanged.
    const kept = await client.send(
      new GetObjectCommand({ Bucket: bucket(), Key: key, VersionId: versionId }),
    );
    expect(await kept.Body!.transformToString()).toBe(originalText);
    expect(kept.ObjectLockMode).toBe('COMPLIANCE');
    console.log(
      `[insider] locked ${key}: If-None-Match put 412, delete of version 403, plain put and delete stacked on top, version kept until ${kept.ObjectLockRetainUntilDate?.toISOString()}`,
    );
  });
});
