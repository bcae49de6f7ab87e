// Integration: the local cloud on real engines (DynamoDB Local, aws-ses-v2-local, the local
// Step Functions service, the local HTTP API), started from a fixture app and from the
// project's synthesized template.
import { spawn } from 'node:child_process';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import {
  DescribeExecutionCommand,
  ListStateMachinesCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../infra/local/cloud';
import { freePort } from '../../infra/local/ports';
import { readSentMail } from '../../infra/local/ses';
import { eventually } from '../support/poll';
import { localCloud } from './support/cloud';
import { writeFixtureApp, type FixtureApp } from './support/fixture-cloud';
import { localClientConfig } from '../support/local-clients';

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('local cloud on a fixture app', () => {
  let app: FixtureApp;
  let cloud: LocalCloud;
  let ddb: DynamoDBClient;

  beforeAll(async () => {
    app = writeFixtureApp();
    cloud = await startLocalCloud({
      code: 'bundles',
      cdkOut: app.cdkOut,
      inMemory: true,
      quiet: true,
      allowTokenMinting: true,
    });
    ddb = new DynamoDBClient(localClientConfig(cloud.endpoints.dynamodb, cloud.endpoints.region));
  });

  afterAll(async () => {
    await cloud?.stop();
    app?.remove();
  });

  const call = (path: string, init: RequestInit = {}) =>
    fetch(`${cloud.endpoints.api}${path}`, init);
  const organiser = () => cloud.mintToken({ role: 'organiser', sub: 'org-1' });

  it('creates the template tables with their keys, index and TTL', async () => {
    const { Table } = await ddb.send(new DescribeTableCommand({ TableName: 'Items' }));
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName)).toEqual(['listing']);
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    const ttl = await ddb.send(new DescribeTimeToLiveCommand({ TableName: 'Items' }));
    expect(ttl.TimeToLiveDescription).toMatchObject({
      AttributeName: 'expiresAt',
      TimeToLiveStatus: 'ENABLED',
    });
  });

  it('delivers SES mail with a Chinese subject to the store', async () => {
    const ses = new SESClient(localClientConfig(cloud.endpoints.ses, 'ap-east-1'));
    const subject = `联动活动邀请 ${Date.now()}`;
    await ses.send(
      new SendEmailCommand({
        Source: 'noreply@liandong.example.org',
        Destination: { ToAddresses: ['deputy@example.org'] },
        Message: {
          Subject: { Data: subject, Charset: 'UTF-8' },
          Body: { Text: { Data: '请参加' } },
        },
      }),
    );
    const mail = await readSentMail(cloud.endpoints.sesStore);
    expect(mail.find((m) => m.subject === subject)?.destination.to).toEqual(['deputy@example.org']);
    const viewer = await fetch(cloud.endpoints.sesViewer);
    expect(viewer.status).toBe(200);
  });

  it('answers 401 {"message":"Unauthorized"} without a valid token on a JWT route', async () => {
    const body = JSON.stringify({ id: 'x' });
    const none = await call('/items', { method: 'POST', body });
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ message: 'Unauthorized' });
    const garbage = await call('/items', {
      method: 'POST',
      body,
      headers: { authorization: 'Bearer abc' },
    });
    expect(garbage.status).toBe(401);
    const forged = await new SignJWT({
      aud: cloud.endpoints.clientId,
      'cognito:groups': ['organiser'],
    })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(cloud.endpoints.issuer)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('x'.repeat(32)));
    const hs = await call('/items', {
      method: 'POST',
      body,
      headers: { authorization: `Bearer ${forged}` },
    });
    expect(hs.status).toBe(401);
    const expired = await cloud.mintToken({ role: 'organiser', ttlSeconds: -60 });
    const old = await call('/items', { method: 'POST', body, headers: { authorization: expired } });
    expect(old.status).toBe(401);
    // Nothing reached the function.
    const item = await ddb.send(
      new GetItemCommand({ TableName: 'Items', Key: { pk: { S: 'ITEM#x' }, sk: { S: 'ITEM' } } }),
    );
    expect(item.Item).toBeUndefined();
  });

  it('invokes the route function with a payload 2.0 event and returns its response', async () => {
    const res = await call('/items?tag=a&tag=b', {
      method: 'POST',
      body: JSON.stringify({ id: 'i1' }),
      headers: {
        authorization: `Bearer ${await organiser()}`,
        'content-type': 'application/json',
        cookie: 'a=1; b=2',
      },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('set-cookie')).toBe('seen=1; Path=/');
    expect(res.headers.get('apigw-requestid')).toBeTruthy();
    const { event, functionName } = (await res.json()) as {
      event: {
        headers: Record<string, string>;
        requestContext: { authorizer: { jwt: { claims: Record<string, string> } } };
      };
      functionName: string;
    };
    expect(functionName).toBe('ApiFunction');
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /items',
      rawPath: '/items',
      rawQueryString: 'tag=a&tag=b',
      queryStringParameters: { tag: 'a,b' },
      cookies: ['a=1', 'b=2'],
      body: '{"id":"i1"}',
      isBase64Encoded: false,
    });
    expect(event.headers['content-type']).toBe('application/json');
    expect(event.requestContext.authorizer.jwt.claims).toMatchObject({
      sub: 'org-1',
      'cognito:groups': '[organiser]',
      token_use: 'id',
    });
    const item = await ddb.send(
      new GetItemCommand({
        TableName: 'Items',
        Key: { pk: { S: 'ITEM#i1' }, sk: { S: 'ITEM' } },
      }),
    );
    expect(item.Item?.by).toEqual({ S: 'org-1' });
  });

  it('passes public routes through, translates bare results, and hides function errors', async () => {
    const pub = await call('/public/a/%E6%96%87%E5%86%B2');
    expect(pub.status).toBe(200);
    expect(pub.headers.get('content-type')).toBe('application/json');
    expect(await pub.json()).toEqual({ proxy: 'a/文冲' });
    const boom = await call('/boom');
    expect(boom.status).toBe(500);
    expect(await boom.json()).toEqual({ message: 'Internal Server Error' });
    const missing = await call('/nowhere');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ message: 'Not Found' });
  });

  it("refuses a call the function's role does not allow, and the route answers 500 at once", async () => {
    const before = cloud.runtime.iamDenials.length;
    const started = Date.now();
    const res = await call('/items/i-1');
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ message: 'Internal Server Error' });
    expect(Date.now() - started).toBeLessThan(10_000);
    const table = cloud.endpoints.tables.Items;
    expect(cloud.runtime.iamDenials.slice(before)).toEqual([
      {
        logicalId: 'ApiFunction',
        action: 'dynamodb:GetItem',
        resource: [`arn:aws:dynamodb:${cloud.endpoints.region}:000000000000:table/${table}`],
        message:
          'User: arn:aws:sts::000000000000:assumed-role/ApiFunctionRole/ApiFunction is not ' +
          `authorized to perform: dynamodb:GetItem on resource: arn:aws:dynamodb:${cloud.endpoints.region}:000000000000:table/${table} ` +
          'because no identity-based policy allows the dynamodb:GetItem action',
      },
    ]);
  });

  it('refuses a body over 10 MB with 413', async () => {
    const res = await call('/items', {
      method: 'POST',
      headers: { authorization: `Bearer ${await organiser()}` },
      body: 'x'.repeat(10 * 1024 * 1024 + 1),
    });
    expect(res.status).toBe(413);
  });

  it('serves health, the issuer discovery documents and token minting', async () => {
    expect(await (await call('/_local/health')).json()).toEqual({ status: 'ok' });
    const configRes = await fetch(`${cloud.endpoints.issuer}/.well-known/openid-configuration`);
    const config = (await configRes.json()) as { issuer: string; jwks_uri: string };
    expect(config.issuer).toBe(cloud.endpoints.issuer);
    const jwks = (await (await fetch(config.jwks_uri)).json()) as {
      keys: { kty: string; d?: string }[];
    };
    expect(jwks.keys[0]?.kty).toBe('RSA');
    expect(jwks.keys[0]?.d).toBeUndefined();
    const minted = await fetch(cloud.endpoints.tokenUrl!, {
      method: 'POST',
      body: JSON.stringify({ role: 'deputy', street: '文冲' }),
    });
    const { token } = (await minted.json()) as { token: string };
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    expect(payload).toMatchObject({
      'cognito:groups': ['deputy'],
      'custom:street': '文冲',
      token_use: 'id',
    });
    const bad = await fetch(cloud.endpoints.tokenUrl!, {
      method: 'POST',
      body: '{"role":"admin"}',
    });
    expect(bad.status).toBe(400);
  });

  it('runs the template state machine with in-process Lambda tasks (success, named-error Catch)', async () => {
    const sfn = new SFNClient(localClientConfig(cloud.endpoints.stepfunctions, 'ap-east-1'));
    const { stateMachines } = await sfn.send(new ListStateMachinesCommand({}));
    const machineArn = cloud.endpoints.stateMachines.Machine!;
    expect(stateMachines?.map((m) => m.stateMachineArn)).toContain(machineArn);
    const subject = `状态机邮件 ${Date.now()}`;
    const run = async (input: object) => {
      const { executionArn } = await sfn.send(
        new StartExecutionCommand({ stateMachineArn: machineArn, input: JSON.stringify(input) }),
      );
      return eventually(
        () => sfn.send(new DescribeExecutionCommand({ executionArn })),
        (d) => d.status !== 'RUNNING',
        { timeoutMs: 10_000, intervalMs: 100 },
      );
    };
    const ok = await run({ to: 'deputy@example.org', subject });
    expect(ok.status).toBe('SUCCEEDED');
    expect(JSON.parse(ok.output!)).toHaveProperty('messageId');
    expect((await readSentMail(cloud.endpoints.ses)).some((m) => m.subject === subject)).toBe(true);
    const caught = await run({ fail: true });
    expect(caught.status).toBe('SUCCEEDED');
    expect(JSON.parse(caught.output!)).toBe('caught');
  });

  it('stops every engine and frees its ports', async () => {
    const probe = await startLocalCloud({
      code: 'bundles',
      cdkOut: app.cdkOut,
      inMemory: true,
      quiet: true,
    });
    const e = probe.endpoints;
    const ports = [e.api, e.dynamodb, e.ses, e.stepfunctions].map((u) => Number(new URL(u).port));
    for (const p of ports) expect(await portOpen(p)).toBe(true);
    await probe.stop();
    for (const p of ports) expect(await portOpen(p)).toBe(false);
  });
});

describe('local cloud with a data folder', () => {
  it('keeps data and the issuer key across a restart', async () => {
    const app = writeFixtureApp();
    const dataDir = join(app.root, 'data');
    const apiPort = await freePort();
    const start = () =>
      startLocalCloud({
        code: 'bundles',
        cdkOut: app.cdkOut,
        dataDir,
        ports: { api: apiPort },
        quiet: true,
        allowTokenMinting: true,
      });
    try {
      const first = await start();
      const token = await first.mintToken({ role: 'organiser' });
      const before = new DynamoDBClient(localClientConfig(first.endpoints.dynamodb, 'ap-east-1'));
      await before.send(
        new PutItemCommand({ TableName: 'Items', Item: { pk: { S: 'KEEP' }, sk: { S: 'ME' } } }),
      );
      await first.stop();

      const second = await start();
      try {
        const after = new DynamoDBClient(localClientConfig(second.endpoints.dynamodb, 'ap-east-1'));
        const got = await after.send(
          new GetItemCommand({ TableName: 'Items', Key: { pk: { S: 'KEEP' }, sk: { S: 'ME' } } }),
        );
        expect(got.Item).toBeDefined();
        // A token minted before the restart still passes: the key pair was kept.
        const res = await fetch(`${second.endpoints.api}/items`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}` },
          body: JSON.stringify({ id: 'after-restart' }),
        });
        expect(res.status).toBe(201);
      } finally {
        await second.stop();
      }
    } finally {
      app.remove();
    }
  });
});

describe('DynamoDB Local process', () => {
  it('does not outlive a parent killed with SIGKILL', async () => {
    const child = spawn('npx', ['tsx', 'test/integration/support/dynamodb-child.ts'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(out.split('\n')[0]!);
      });
      child.once('exit', (code) => reject(new Error(`child exited ${code}`)));
    });
    const { port, pid } = JSON.parse(line) as { port: number; pid: number };
    expect(await portOpen(port)).toBe(true);
    process.kill(pid, 'SIGKILL');
    child.kill('SIGKILL');
    await eventually(
      () => portOpen(port),
      (open) => !open,
      { timeoutMs: 10_000, intervalMs: 100 },
    );
  });
});

describe('local cloud on the synthesized template', () => {
  it('serves health and answers 401 on a JWT route without a token', async () => {
    const { api } = localCloud();
    expect(await (await fetch(`${api}/_local/health`)).json()).toEqual({ status: 'ok' });
    const res = await fetch(`${api}/activities`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(401);
  });

  it('has created every table of the template and registered every state machine', async () => {
    const e = localCloud();
    const ddb = new DynamoDBClient(localClientConfig(e.dynamodb, e.region));
    const { TableNames } = await ddb.send(new ListTablesCommand({}));
    expect(Object.values(e.tables).length).toBeGreaterThan(0);
    for (const name of Object.values(e.tables)) expect(TableNames).toContain(name);
    const sfn = new SFNClient(localClientConfig(e.stepfunctions, e.region));
    const { stateMachines } = await sfn.send(new ListStateMachinesCommand({}));
    expect(Object.values(e.stateMachines).length).toBeGreaterThan(0);
    expect(stateMachines?.map((m) => m.stateMachineArn).sort()).toEqual(
      Object.values(e.stateMachines).sort(),
    );
  });
});
