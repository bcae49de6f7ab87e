// unit test: SDK mocked with aws-sdk-client-mock
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import {
  BatchGetCommand,
  BatchWriteCommand,
  GetCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { mockAws } from '../../../support/aws.js';
import {
  TABLE,
  httpEvent,
  inDays,
  lambdaContext,
  organiserClaims,
  setTestEnv,
} from '../helpers.js';
import { createActivityRoute } from '../../../../functions/activities/routes';

// Handlers parse their environment at import time.
setTestEnv();

const { handler } = await import('../../../../functions/activities/create-activity.js');

const { doc, raw, sfn } = mockAws('doc', 'raw', 'sfn');

const KNOWN = new Map([
  ['dep-0001', true],
  ['dep-0015', true],
  ['dep-0041', true],
  ['dep-0350', false],
]);

const validBody = () => ({
  title: '人居环境整治交叉检查',
  type: 'CROSS_INSPECTION',
  inspectingDistrict: '白云区',
  inspectedDistrict: '黄埔区',
  street: 'WENCHONG',
  location: '文冲街道办事处三楼会议室',
  startsAt: inDays(10, 9),
  endsAt: inDays(10, 17),
  invitedDeputyIds: ['dep-0001', 'dep-0015', 'dep-0041'],
});

const invoke = async (options: Parameters<typeof httpEvent>[0]) => {
  const result = await handler(httpEvent(options) as never, lambdaContext());
  return {
    statusCode: result.statusCode,
    headers: result.headers ?? {},
    json: JSON.parse(result.body ?? 'null'),
  };
};

const nothingWritten = () => {
  expect(doc.commandCalls(TransactWriteCommand)).toHaveLength(0);
  expect(doc.commandCalls(BatchWriteCommand)).toHaveLength(0);
  expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
};

beforeEach(() => {
  setTestEnv();
  doc.on(BatchGetCommand).callsFake((input) => {
    const request = input.RequestItems[TABLE];
    const items = request.Keys.map((key: { pk: string }) => key.pk.replace('DEPUTY#', ''))
      .filter((id: string) => KNOWN.has(id))
      .map((id: string) => ({ id, active: KNOWN.get(id) }));
    return { Responses: { [TABLE]: items } };
  });
  doc.on(TransactWriteCommand).resolves({});
  doc.on(BatchWriteCommand).resolves({});
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:x', startDate: new Date() });
});

describe('POST /activities', () => {
  it('stores activity, invitations and first audit event in one transaction, then starts the workflow', async () => {
    const { statusCode, headers, json } = await invoke({ body: validBody() });

    expect(statusCode).toBe(201);
    expect(headers['content-type']).toBe('application/json; charset=utf-8');
    const activity = json.activity;
    expect(activity).toMatchObject({
      title: '人居环境整治交叉检查',
      status: 'SCHEDULED',
      language: 'zh',
      organiserId: 'org-sub-0001',
      counts: { invited: 3, emailsSent: 0 },
      invitedDeputyIds: ['dep-0001', 'dep-0015', 'dep-0041'],
    });
    expect(activity.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(JSON.stringify(json)).not.toMatch(/deputies\.liandong|pendingTask|auditHash/);

    const transactions = doc.commandCalls(TransactWriteCommand);
    expect(transactions).toHaveLength(1);
    const items = transactions[0]!.args[0].input.TransactItems!;
    expect(items).toHaveLength(5);
    expect(items[0]!.Put!.Item).toMatchObject({
      pk: `ACTIVITY#${activity.id}`,
      sk: 'ACTIVITY',
      status: 'SCHEDULED',
      auditSeq: 1,
      listPk: 'ACTIVITIES#SCHEDULED',
      ownerPk: 'ORGANISER#org-sub-0001',
    });
    expect(items[1]!.Put!.Item).toMatchObject({
      sk: 'AUDIT#00000001',
      action: 'ACTIVITY_SCHEDULED',
      actor: 'org-sub-0001',
    });
    expect(items.slice(2).map((item) => item.Put!.Item!.sk)).toEqual([
      'INVITATION#dep-0001',
      'INVITATION#dep-0015',
      'INVITATION#dep-0041',
    ]);
    expect(doc.commandCalls(BatchWriteCommand)).toHaveLength(0);

    const starts = sfn.commandCalls(StartExecutionCommand);
    expect(starts).toHaveLength(1);
    expect(starts[0]!.args[0].input).toEqual({
      stateMachineArn: process.env.ACTIVITY_STATE_MACHINE_ARN,
      name: activity.id,
      input: JSON.stringify({ activityId: activity.id }),
    });
  });

  it('writes more than 98 invitations in later batches before starting the workflow', async () => {
    const ids = Array.from({ length: 250 }, (_, i) => `dep-${String(i + 1).padStart(4, '0')}`);
    doc.on(BatchGetCommand).callsFake((input) => ({
      Responses: {
        [TABLE]: input.RequestItems[TABLE].Keys.map((key: { pk: string }) => ({
          id: key.pk.replace('DEPUTY#', ''),
          active: true,
        })),
      },
    }));
    const { statusCode } = await invoke({ body: { ...validBody(), invitedDeputyIds: ids } });
    expect(statusCode).toBe(201);
    expect(doc.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems).toHaveLength(
      100,
    );
    const batched = doc
      .commandCalls(BatchWriteCommand)
      .flatMap((call) => call.args[0].input.RequestItems![TABLE]!);
    expect(batched).toHaveLength(152);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(1);
  });

  it('treats an execution that already exists as started', async () => {
    sfn
      .on(StartExecutionCommand)
      .rejects(Object.assign(new Error('exists'), { name: 'ExecutionAlreadyExists' }));
    expect((await invoke({ body: validBody() })).statusCode).toBe(201);
  });

  it('marks the activity FAILED when the workflow cannot be started', async () => {
    sfn.on(StartExecutionCommand).rejects(new Error('boom'));
    doc.on(GetCommand).callsFake((input) => ({
      Item: {
        ...input.Key,
        id: input.Key.pk.replace('ACTIVITY#', ''),
        status: 'SCHEDULED',
        startsAt: inDays(10),
        auditSeq: 1,
        auditHash: 'a'.repeat(64),
      },
    }));
    const { statusCode, json } = await invoke({ body: validBody() });
    expect(statusCode).toBe(500);
    expect(json.message).toBe('Internal server error');
    const transactions = doc.commandCalls(TransactWriteCommand);
    expect(transactions).toHaveLength(2);
    const update = transactions[1]!.args[0].input.TransactItems![0]!.Update!;
    expect(update.ExpressionAttributeValues).toMatchObject({ ':s0': 'FAILED', ':prevSeq': 1 });
  });

  describe('bad input: 400/422 naming the field, nothing stored, nothing started', () => {
    const cases: [string, Record<string, unknown>, number, string][] = [
      ['an unknown field', { ...validBody(), priority: 'high' }, 422, 'priority'],
      ['a wrong type', { ...validBody(), invitedDeputyIds: 'dep-0001' }, 422, 'invitedDeputyIds'],
      ['an unknown activity type', { ...validBody(), type: 'PARTY' }, 422, 'type'],
      ['a missing field', (({ title: _t, ...rest }) => rest)(validBody()), 422, 'title'],
      [
        'a start in the past',
        { ...validBody(), startsAt: '2020-08-18T09:00:00+08:00' },
        422,
        'startsAt',
      ],
      ['an end before the start', { ...validBody(), endsAt: inDays(9) }, 422, 'endsAt'],
      ['a time without zone', { ...validBody(), startsAt: '2030-08-18T09:00:00' }, 422, 'startsAt'],
      [
        'duplicate deputies',
        { ...validBody(), invitedDeputyIds: ['dep-0001', 'dep-0001'] },
        422,
        'invitedDeputyIds.1',
      ],
      ['no deputies', { ...validBody(), invitedDeputyIds: [] }, 422, 'invitedDeputyIds'],
      [
        'an unknown deputy',
        { ...validBody(), invitedDeputyIds: ['dep-0001', 'dep-9999'] },
        422,
        'invitedDeputyIds.1',
      ],
      [
        'an inactive deputy',
        { ...validBody(), invitedDeputyIds: ['dep-0350'] },
        422,
        'invitedDeputyIds.0',
      ],
    ];

    it.each(cases)('%s', async (_name, body, status, path) => {
      const { statusCode, json } = await invoke({ body });
      expect(statusCode).toBe(status);
      expect(json.issues.map((issue: { path: string }) => issue.path)).toContain(path);
      expect(json.message).toContain(path.split('.')[0]);
      nothingWritten();
    });

    it('names unknown deputies in the message', async () => {
      const { json } = await invoke({
        body: { ...validBody(), invitedDeputyIds: ['dep-0001', 'dep-9998', 'dep-9999'] },
      });
      expect(json.message).toMatch(/unknown deputies dep-9998, dep-9999/);
    });

    it("a body over its contract's limit: 413", async () => {
      // 3 bytes a character: one more character than the limit holds.
      const description = '长'.repeat(Math.ceil(createActivityRoute.maxBodyBytes / 3) + 1);
      const { statusCode } = await invoke({ body: { ...validBody(), description } });
      expect(statusCode).toBe(413);
      nothingWritten();
    });

    it('malformed JSON: 400', async () => {
      const { statusCode } = await invoke({ rawBody: '{"title": "x",' });
      expect(statusCode).toBe(400);
      nothingWritten();
    });
  });

  describe('roles', () => {
    it('401 without a token', async () => {
      expect((await invoke({ body: validBody(), claims: null })).statusCode).toBe(401);
      nothingWritten();
    });

    it('403 for a deputy or an auditor', async () => {
      for (const group of ['[deputy]', '[auditor]']) {
        const { statusCode } = await invoke({
          body: validBody(),
          claims: { sub: 'x', 'cognito:groups': group },
        });
        expect(statusCode).toBe(403);
      }
      nothingWritten();
    });

    it('403 for an organiser scoped to another street', async () => {
      const { statusCode, json } = await invoke({
        body: validBody(),
        claims: { sub: 'x', 'cognito:groups': '[organiser]', 'custom:street': '夏港' },
      });
      expect(statusCode).toBe(403);
      expect(json.message).toMatch(/XIAGANG/);
      nothingWritten();
    });

    it('an organiser of the same street schedules, and the scope is stored', async () => {
      const { statusCode } = await invoke({
        body: validBody(),
        claims: { sub: 'x', 'cognito:groups': '[organiser]', 'custom:street': '文冲' },
      });
      expect(statusCode).toBe(201);
      const item =
        doc.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems![0]!.Put!.Item!;
      expect(item.scope).toBe('WENCHONG');
    });
  });

  describe('Idempotency-Key', () => {
    // A tiny in-memory stand-in for the idempotency records (raw DynamoDB client).
    let records: Map<string, Record<string, AttributeValue>>;
    const keyOf = (key: Record<string, AttributeValue>) => `${key.pk!.S}|${key.sk!.S}`;

    beforeEach(() => {
      records = new Map();
      raw.on(PutItemCommand).callsFake((input) => {
        const existing = records.get(keyOf(input.Item));
        if (existing) {
          throw new ConditionalCheckFailedException({
            message: 'exists',
            $metadata: {},
            Item: existing,
          });
        }
        records.set(keyOf(input.Item), input.Item);
        return {};
      });
      raw.on(UpdateItemCommand).callsFake((input) => {
        const record = records.get(keyOf(input.Key))!;
        for (const assignment of input.UpdateExpression.replace(/^SET /, '').split(', ')) {
          const [name, value] = assignment.split(' = ');
          record[input.ExpressionAttributeNames[name]] = input.ExpressionAttributeValues[value];
        }
        return {};
      });
      raw.on(GetItemCommand).callsFake((input) => ({ Item: records.get(keyOf(input.Key)) }));
      raw.on(DeleteItemCommand).callsFake((input) => {
        records.delete(keyOf(input.Key));
        return {};
      });
    });

    it('replays the same response for the same key and body, starting nothing new', async () => {
      const body = validBody();
      const headers = { 'idempotency-key': 'key-0001' };
      const first = await invoke({ body, headers });
      const second = await invoke({ body, headers });

      expect(first.statusCode).toBe(201);
      expect(second).toEqual(first);
      expect(doc.commandCalls(TransactWriteCommand)).toHaveLength(1);
      expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(1);
      const [record] = [...records.values()];
      expect(record!.pk).toEqual({ S: 'IDEMPOTENCY#CreateActivity' });
      expect(record!.expiresAt).toBeDefined();
    });

    it('checks the scope before a replay: the same key from another street is 403, not the activity', async () => {
      const headers = { 'idempotency-key': 'key-scope' };
      const first = await invoke({ body: validBody(), headers });
      expect(first.statusCode).toBe(201);
      // Same sub (so the same idempotency key), now scoped to another street than the activity's.
      const replay = await invoke({
        body: validBody(),
        headers,
        claims: { ...organiserClaims, 'custom:street': '夏港' },
      });
      expect(replay.statusCode).toBe(403);
      expect(replay.json.activity).toBeUndefined();
      expect(JSON.stringify(replay.json)).not.toContain(first.json.activity.id);
      expect(doc.commandCalls(TransactWriteCommand)).toHaveLength(1);
    });

    it('refuses the same key with another body', async () => {
      const headers = { 'idempotency-key': 'key-0002' };
      await invoke({ body: validBody(), headers });
      const { statusCode, json } = await invoke({
        body: { ...validBody(), title: '另一个活动' },
        headers,
      });
      expect(statusCode).toBe(422);
      expect(json.message).toMatch(
        /Idempotency-Key was already used with a different request body/,
      );
      expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(1);
    });

    it('answers 409 while the first request is still in progress', async () => {
      const headers = { 'idempotency-key': 'key-0003' };
      await invoke({ body: validBody(), headers });
      // Turn the completed record back into the one a request still running would hold.
      const [record] = [...records.values()];
      record!.status = { S: 'INPROGRESS' };
      record!.in_progress_expiration = { N: String(Date.now() + 60_000) };
      delete record!.data;

      const { statusCode, json } = await invoke({ body: validBody(), headers });
      expect(statusCode).toBe(409);
      expect(json.message).toMatch(/still in progress/);
      expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(1);
    });

    it('keys are per organiser', async () => {
      const headers = { 'idempotency-key': 'shared-key' };
      await invoke({ body: validBody(), headers });
      const other = await invoke({
        body: validBody(),
        headers,
        claims: {
          sub: 'org-sub-0002',
          'cognito:groups': '[organiser]',
          'custom:street': 'DISTRICT',
        },
      });
      expect(other.statusCode).toBe(201);
      expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(2);
    });

    it('a failed request frees its key', async () => {
      const headers = { 'idempotency-key': 'key-0004' };
      const bad = await invoke({
        body: { ...validBody(), invitedDeputyIds: ['dep-9999'] },
        headers,
      });
      expect(bad.statusCode).toBe(422);
      expect(records.size).toBe(0);
      expect((await invoke({ body: validBody(), headers })).statusCode).toBe(201);
    });
  });
});
