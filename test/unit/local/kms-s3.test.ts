// Unit: the local KMS signs with keys generated once and kept in the data folder (a restart
// verifies yesterday's signatures), refuses keys that are not for signing; the local S3 applies a
// bucket's default Object Lock retention; the local IAM check names KMS keys and S3 objects as
// IAM does.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetPublicKeyCommand, KMSClient, SignCommand, VerifyCommand } from '@aws-sdk/client-kms';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import {
  CHECKPOINT_FORMAT,
  checkpointMessage,
  publicKeyOf,
  signatureValid,
  type CheckpointPayload,
} from '../../../functions/shared/data/checkpoints';
import { checksForCall } from '../../../infra/local/iam';
import { kmsDataFile, startLocalKms } from '../../../infra/local/kms';
import { startLocalS3 } from '../../../infra/local/s3';
import type { LocalKmsKey } from '../../../infra/local/template';
import { localClientConfig } from '../../support/local-clients';

const region = 'ap-east-1';
const KEYS: LocalKmsKey[] = [
  {
    logicalId: 'Signer',
    keyId: 'Signer',
    arn: 'arn:aws:kms:ap-east-1:000000000000:key/Signer',
    keySpec: 'ECC_NIST_P256',
    keyUsage: 'SIGN_VERIFY',
  },
  {
    logicalId: 'Data',
    keyId: 'Data',
    arn: 'arn:aws:kms:ap-east-1:000000000000:key/Data',
    keySpec: 'SYMMETRIC_DEFAULT',
    keyUsage: 'ENCRYPT_DECRYPT',
  },
];

describe('local KMS', () => {
  it('signs as KMS does and keeps the key across a restart', async () => {
    const dataFile = kmsDataFile(mkdtempSync(join(tmpdir(), 'liandong-kms-')));
    const payload: CheckpointPayload = {
      format: CHECKPOINT_FORMAT,
      seq: 1,
      signedAt: '2026-12-06T10:00:00.000Z',
      prev: null,
      root: 'a'.repeat(64),
      streams: 1,
      keyId: KEYS[0]!.arn,
    };
    const message = checkpointMessage(payload);
    const first = await startLocalKms({ keys: KEYS, dataFile });
    const kms = new KMSClient(localClientConfig(first.url, region));
    const signed = await kms.send(
      new SignCommand({
        KeyId: KEYS[0]!.arn,
        Message: message,
        MessageType: 'RAW',
        SigningAlgorithm: 'ECDSA_SHA_256',
      }),
    );
    await first.stop();

    const second = await startLocalKms({ keys: KEYS, dataFile });
    const again = new KMSClient(localClientConfig(second.url, region));
    const { PublicKey, KeySpec } = await again.send(new GetPublicKeyCommand({ KeyId: 'Signer' }));
    expect(KeySpec).toBe('ECC_NIST_P256');
    // What an auditor does with the public key alone: the restarted KMS gives the same key.
    expect(
      signatureValid(
        payload,
        Buffer.from(signed.Signature!).toString('base64'),
        publicKeyOf(PublicKey!),
      ),
    ).toBe(true);
    const { SignatureValid } = await again.send(
      new VerifyCommand({
        KeyId: 'Signer',
        Message: message,
        Signature: signed.Signature!,
        MessageType: 'RAW',
        SigningAlgorithm: 'ECDSA_SHA_256',
      }),
    );
    expect(SignatureValid).toBe(true);
    await expect(
      again.send(
        new SignCommand({
          KeyId: 'Data',
          Message: message,
          MessageType: 'RAW',
          SigningAlgorithm: 'ECDSA_SHA_256',
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidKeyUsageException' });
    await expect(again.send(new GetPublicKeyCommand({ KeyId: 'Nope' }))).rejects.toMatchObject({
      name: 'NotFoundException',
    });
    await second.stop();
  });
});

describe('local S3', () => {
  it("locks each new version until the bucket's default retention ends", async () => {
    let now = new Date('2026-12-06T00:00:00Z');
    const s3 = await startLocalS3({
      buckets: [
        {
          logicalId: 'B',
          name: 'B',
          versioned: true,
          objectLock: true,
          defaultRetention: { mode: 'COMPLIANCE', days: 1 },
        },
      ],
      now: () => now,
    });
    const client = new S3Client(localClientConfig(s3.url, region));
    const put = await client.send(
      new PutObjectCommand({ Bucket: 'B', Key: 'a/b.json', Body: 'x' }),
    );
    const got = await client.send(new GetObjectCommand({ Bucket: 'B', Key: 'a/b.json' }));
    expect(got.ObjectLockMode).toBe('COMPLIANCE');
    expect(got.ObjectLockRetainUntilDate?.toISOString()).toBe('2026-12-07T00:00:00.000Z');
    const remove = () =>
      client.send(
        new DeleteObjectCommand({ Bucket: 'B', Key: 'a/b.json', VersionId: put.VersionId }),
      );
    await expect(remove()).rejects.toMatchObject({ name: 'AccessDenied' });
    now = new Date('2026-12-07T00:00:01Z');
    await remove();
    await expect(
      client.send(new GetObjectCommand({ Bucket: 'B', Key: 'a/b.json' })),
    ).rejects.toMatchObject({
      name: 'NoSuchKey',
    });
    await s3.stop();
  });
});

describe('local IAM checks of KMS and S3 calls', () => {
  it('names the key and the object as IAM does', () => {
    expect(checksForCall('KMSClient', 'Sign', { KeyId: 'k1' }, { region })).toEqual([
      { action: 'kms:Sign', resource: ['arn:aws:kms:ap-east-1:000000000000:key/k1'] },
    ]);
    expect(
      checksForCall(
        'S3Client',
        'DeleteObject',
        { Bucket: 'b', Key: 'c/d', VersionId: 'v' },
        { region },
      ),
    ).toEqual([{ action: 's3:DeleteObjectVersion', resource: ['arn:aws:s3:::b/c/d'] }]);
    expect(checksForCall('S3Client', 'ListObjectsV2', { Bucket: 'b' }, { region })).toEqual([
      { action: 's3:ListBucket', resource: ['arn:aws:s3:::b'] },
    ]);
  });
});
