// integration test: the local Secrets Manager, through @aws-sdk/client-secrets-manager and
// Powertools Parameters, standalone (persistence) and inside the running local cloud.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  resolveDynamicReferences,
  startLocalSecretsManager,
  type LocalSecretsManager,
} from '../../infra/local/secretsmanager';
import type { LocalSecret } from '../../infra/local/template';
import { getSigningKey } from '../../functions/shared/secrets';
import { localCloud } from './support/cloud';
import { localClientConfig } from '../support/local-clients';

const region = 'ap-east-1';
const arnOf = (id: string) => `arn:aws:secretsmanager:${region}:000000000000:secret:${id}-local0`;

const SECRETS: LocalSecret[] = [
  {
    logicalId: 'LinkSigningKey',
    name: 'LinkSigningKey',
    arn: arnOf('LinkSigningKey'),
    description: 'HMAC key of response and rating links',
    generate: { PasswordLength: 64, ExcludePunctuation: true },
  },
  {
    logicalId: 'JsonKey',
    name: 'JsonKey',
    arn: arnOf('JsonKey'),
    generate: {
      PasswordLength: 40,
      ExcludeCharacters: '0123456789',
      SecretStringTemplate: '{"purpose":"links"}',
      GenerateStringKey: 'key',
    },
  },
  { logicalId: 'Fixed', name: 'Fixed', arn: arnOf('Fixed'), secretString: 'fixed-value' },
];

describe('local Secrets Manager (standalone)', () => {
  let dir: string;
  let server: LocalSecretsManager;
  let client: SecretsManagerClient;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'liandong-secrets-'));
    server = await startLocalSecretsManager({
      secrets: SECRETS,
      dataFile: join(dir, 'secrets.json'),
    });
    client = new SecretsManagerClient(localClientConfig(server.url, region));
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves a generated value by ARN, partial ARN and name, honouring the generation spec', async () => {
    const byArn = await client.send(
      new GetSecretValueCommand({ SecretId: arnOf('LinkSigningKey') }),
    );
    expect(byArn.SecretString).toMatch(/^[A-Za-z0-9]{64}$/);
    expect(byArn).toMatchObject({
      ARN: arnOf('LinkSigningKey'),
      Name: 'LinkSigningKey',
      VersionStages: ['AWSCURRENT'],
    });
    const partial = arnOf('LinkSigningKey').replace(/-local0$/, '');
    for (const SecretId of [partial, 'LinkSigningKey']) {
      const out = await client.send(new GetSecretValueCommand({ SecretId }));
      expect(out.SecretString).toBe(byArn.SecretString);
    }

    const json = await client.send(new GetSecretValueCommand({ SecretId: 'JsonKey' }));
    const parsed = JSON.parse(json.SecretString ?? '{}') as { purpose: string; key: string };
    expect(parsed.purpose).toBe('links');
    expect(parsed.key).toHaveLength(40);
    expect(parsed.key).not.toMatch(/[0-9]/);

    const fixed = await client.send(new GetSecretValueCommand({ SecretId: 'Fixed' }));
    expect(fixed.SecretString).toBe('fixed-value');
  });

  it('describes and lists secrets, and answers ResourceNotFoundException as AWS does', async () => {
    const described = await client.send(new DescribeSecretCommand({ SecretId: 'LinkSigningKey' }));
    expect(described).toMatchObject({
      ARN: arnOf('LinkSigningKey'),
      Name: 'LinkSigningKey',
      Description: 'HMAC key of response and rating links',
    });
    expect(described.CreatedDate).toBeInstanceOf(Date);
    const listed = await client.send(new ListSecretsCommand({}));
    expect(listed.SecretList?.map((s) => s.Name).sort()).toEqual([
      'Fixed',
      'JsonKey',
      'LinkSigningKey',
    ]);

    await expect(
      client.send(new GetSecretValueCommand({ SecretId: 'NoSuchSecret' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('keeps generated values across restarts (file readable by the owner only)', async () => {
    const before = await client.send(new GetSecretValueCommand({ SecretId: 'LinkSigningKey' }));
    const again = await startLocalSecretsManager({
      secrets: SECRETS,
      dataFile: join(dir, 'secrets.json'),
    });
    try {
      const other = new SecretsManagerClient(localClientConfig(again.url, region));
      const after = await other.send(new GetSecretValueCommand({ SecretId: 'LinkSigningKey' }));
      expect(after.SecretString).toBe(before.SecretString);
      expect(after.VersionId).toBe(before.VersionId);
    } finally {
      await again.stop();
    }
    expect(statSync(join(dir, 'secrets.json')).mode & 0o077).toBe(0);
  });

  it('resolves CloudFormation dynamic references', () => {
    const key = server.valueOf('JsonKey') ?? '';
    expect(
      resolveDynamicReferences(
        `{{resolve:secretsmanager:${arnOf('Fixed')}:SecretString:::}}`,
        server.valueOf,
      ),
    ).toBe('fixed-value');
    expect(
      resolveDynamicReferences(
        'x{{resolve:secretsmanager:JsonKey:SecretString:key::}}y',
        server.valueOf,
      ),
    ).toBe(`x${(JSON.parse(key) as { key: string }).key}y`);
    expect(() =>
      resolveDynamicReferences('{{resolve:secretsmanager:Nope:SecretString:::}}', server.valueOf),
    ).toThrow(/no secret/);
  });

  it('feeds getSigningKey (Powertools Parameters) through AWS_ENDPOINT_URL_SECRETS_MANAGER', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_SECRETS_MANAGER: server.url,
      AWS_REGION: region,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    });
    try {
      const plain = await getSigningKey(arnOf('LinkSigningKey'));
      expect(plain).toBe(server.valueOf('LinkSigningKey'));
      const fromJson = await getSigningKey('JsonKey');
      expect(fromJson).toBe((JSON.parse(server.valueOf('JsonKey') ?? '{}') as { key: string }).key);
    } finally {
      process.env = saved;
    }
  });
});

describe('local Secrets Manager (in the local cloud)', () => {
  it("serves the template's secrets at the endpoint the functions are given", async () => {
    const { secretsmanager, secrets } = localCloud();
    expect(secretsmanager).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const entries = Object.entries(secrets);
    expect(entries.length).toBeGreaterThan(0);
    const client = new SecretsManagerClient(localClientConfig(secretsmanager, region));
    for (const [logicalId, arn] of entries) {
      expect(arn).toBe(arnOf(logicalId));
      const out = await client.send(new GetSecretValueCommand({ SecretId: arn }));
      expect(out.SecretString?.length ?? 0).toBeGreaterThanOrEqual(16);
    }
    const checkIn = entries.find(([id]) => id.startsWith('CheckInCodeKey'));
    if (checkIn) {
      const out = await client.send(new GetSecretValueCommand({ SecretId: checkIn[1] }));
      // GenerateSecretString { PasswordLength: 48, ExcludePunctuation: true }
      expect(out.SecretString).toMatch(/^[A-Za-z0-9]{48}$/);
    }
  });
});
