// unit test: SDK mocked with aws-sdk-client-mock
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { verifyChain, type AuditEvent } from '../../../../functions/shared/data/audit.js';
import { demoSeedItems } from '../../../../functions/shared/demo/seed.js';
import { TABLE, httpEvent, lambdaContext, setTestEnv } from '../helpers.js';

vi.hoisted(() => {
  process.env.TABLE_NAME = 'LiandongTable';
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

const { handler: read } = await import('../../../../functions/reference/read-reference.js');
const { handler: write } = await import('../../../../functions/reference/write-reference.js');
const { handler: importDeputies } =
  await import('../../../../functions/reference/import-deputies.js');

const doc = mockClient(DynamoDBDocumentClient);
const raw = mockClient(DynamoDBClient);

type Item = Record<string, unknown> & { pk: string; sk: string };
let table: Map<string, Item>;
const keyOf = (key: { pk: unknown; sk: unknown }) => `${String(key.pk)}|${String(key.sk)}`;

const seed = () => {
  table = new Map();
  for (const item of demoSeedItems() as Item[]) table.set(keyOf(item), item);
};

const auditor = { sub: 'aud-1', 'cognito:groups': '[auditor]' };
const deputy = { sub: 'dep-0001', 'cognito:groups': '[deputy]' };

const call = async (
  fn: typeof read,
  method: string,
  route: string,
  options: Parameters<typeof httpEvent>[0] & { query?: Record<string, string> } = {},
) => {
  const event = httpEvent({ method, path: route, ...options });
  (event as { routeKey: string }).routeKey = `${method} ${route}`;
  if (options.query)
    (event as { queryStringParameters?: unknown }).queryStringParameters = options.query;
  const result = await fn(event as never, lambdaContext());
  return { statusCode: result.statusCode, json: JSON.parse(result.body ?? 'null') };
};

const transactions = () =>
  doc.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems!);

beforeEach(() => {
  setTestEnv();
  doc.reset();
  raw.reset();
  seed();
  doc.on(GetCommand).callsFake((input) => ({ Item: table.get(keyOf(input.Key)) }));
  doc.on(BatchGetCommand).callsFake((input) => ({
    Responses: {
      [TABLE]: input.RequestItems[TABLE].Keys.map((key: Item) => table.get(keyOf(key))).filter(
        Boolean,
      ),
    },
  }));
  doc.on(QueryCommand).callsFake((input) => {
    const pk = input.ExpressionAttributeValues[':pk'];
    const name = input.ExpressionAttributeNames['#pk'];
    const sortName = name === 'pk' ? 'sk' : 'listSk';
    const prefix = input.ExpressionAttributeValues[':skPrefix'] ?? '';
    let items = [...table.values()]
      .filter((item) => item[name] === pk && String(item[sortName]).startsWith(prefix))
      .sort((a, b) => (String(a[sortName]) < String(b[sortName]) ? -1 : 1));
    if (input.ExclusiveStartKey) {
      const after = input.ExclusiveStartKey[sortName];
      items = items.filter((item) => String(item[sortName]) > after);
    }
    const page = input.Limit ? items.slice(0, input.Limit) : items;
    const last = page[page.length - 1];
    return {
      Items: page,
      ...(input.Limit && items.length > input.Limit && last
        ? {
            LastEvaluatedKey: {
              pk: last.pk,
              sk: last.sk,
              ...(name === 'listPk' ? { listPk: last.listPk, listSk: last.listSk } : {}),
            },
          }
        : {}),
    };
  });
  doc.on(TransactWriteCommand).resolves({});
  doc.on(BatchWriteCommand).resolves({});
});

describe('reads', () => {
  it('lists deputies by name, page by page with an opaque cursor', async () => {
    const first = await call(read, 'GET', '/deputies', { query: { limit: '2' }, claims: auditor });
    expect(first.statusCode).toBe(200);
    expect(first.json.items).toHaveLength(2);
    expect(first.json.items[0]).not.toHaveProperty('pk');
    expect(first.json.items[0]).not.toHaveProperty('auditHash');
    expect(typeof first.json.nextCursor).toBe('string');
    const second = await call(read, 'GET', '/deputies', {
      query: { limit: '2', cursor: first.json.nextCursor },
      claims: auditor,
    });
    expect(second.json.items[0].name > first.json.items[1].name).toBe(true);
  });

  it('rejects a forged cursor (400) and bad query parameters (422 naming them)', async () => {
    const forged = Buffer.from(
      JSON.stringify({ pk: 'ACTIVITY#x', sk: 'A', listPk: 'ACTIVITIES#S', listSk: 'x' }),
    ).toString('base64url');
    const bad = await call(read, 'GET', '/departments', { query: { cursor: forged } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json.issues).toEqual([{ path: 'cursor', message: 'invalid cursor' }]);
    const invalid = await call(read, 'GET', '/departments', { query: { limit: '500', sort: 'x' } });
    expect(invalid.statusCode).toBe(422);
    expect(invalid.json.issues.map((issue: { path: string }) => issue.path).sort()).toEqual([
      'query.limit',
      'query.sort',
    ]);
  });

  it('gets one item, 404 when unknown, and refuses deputies (403)', async () => {
    const found = await call(read, 'GET', '/departments/{departmentId}', {
      pathParameters: { departmentId: 'dept-water' },
    });
    expect(found.statusCode).toBe(200);
    expect(found.json.department).toMatchObject({
      name: '黄埔区水务局',
      categories: ['DRAINAGE', 'WATER_POLLUTION'],
    });
    const rule = await call(read, 'GET', '/routing-rules/{ruleId}', {
      pathParameters: { ruleId: 'GARBAGE_SORTING:XINLONG' },
    });
    expect(rule.json.routingRule).toMatchObject({ departmentId: 'dept-xinlong-town' });
    const missing = await call(read, 'GET', '/committees/{committeeId}', {
      pathParameters: { committeeId: 'cmte-nope' },
    });
    expect(missing.statusCode).toBe(404);
    const badRule = await call(read, 'GET', '/routing-rules/{ruleId}', {
      pathParameters: { ruleId: 'NOISE:*' },
    });
    expect(badRule.statusCode).toBe(422);
    expect(badRule.json.issues[0].path).toBe('ruleId');
    const forbidden = await call(read, 'GET', '/deputies', { claims: deputy });
    expect(forbidden.statusCode).toBe(403);
  });
});

const newDeputy = () => ({
  name: '林晓华',
  email: 'Lin.Xiaohua@Example.org',
  seats: [
    { level: 'MUNICIPAL', body: '广州市人民代表大会' },
    { level: 'DISTRICT', body: '广州市黄埔区人民代表大会' },
  ],
  group: '市人大黄埔联组',
  street: 'WENCHONG',
});

describe('writes', () => {
  it('creates a deputy with its first audit event and email claim in one transaction', async () => {
    const { statusCode, json } = await call(write, 'POST', '/deputies', { body: newDeputy() });
    expect(statusCode).toBe(201);
    expect(json.deputy).toMatchObject({
      name: '林晓华',
      email: 'lin.xiaohua@example.org',
      active: true,
    });
    const [items] = transactions();
    expect(items).toHaveLength(3);
    expect(items![0]!.Put!.Item).toMatchObject({
      pk: `DEPUTY#${json.deputy.id}`,
      sk: 'PROFILE',
      auditSeq: 1,
    });
    const event = items![1]!.Put!.Item as AuditEvent;
    expect(event).toMatchObject({
      pk: `DEPUTY#${json.deputy.id}`,
      sk: 'AUDIT#00000001',
      action: 'DEPUTY_CREATED',
      actor: 'org-sub-0001',
    });
    expect(JSON.stringify(event)).not.toMatch(/林晓华|lin\.xiaohua/);
    expect(verifyChain([event]).ok).toBe(true);
    expect(items![2]!.Put).toMatchObject({
      Item: { pk: 'DEPUTY_EMAIL#lin.xiaohua@example.org', deputyId: json.deputy.id },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('answers 409 naming the field when the email belongs to another deputy', async () => {
    const taken = await call(write, 'POST', '/deputies', {
      body: { ...newDeputy(), email: 'dep-0002@deputies.liandong.example.org' },
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json.message).toMatch(/^email: .* deputy dep-0002/);
    expect(transactions()).toHaveLength(0);

    // Lost race: the claim's condition fails inside the transaction.
    doc.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: [
          { Code: 'None' },
          { Code: 'None' },
          { Code: 'ConditionalCheckFailed' },
        ],
      }),
    );
    const raced = await call(write, 'POST', '/deputies', { body: newDeputy() });
    expect(raced.statusCode).toBe(409);
    expect(raced.json.message).toMatch(/^email: /);
  });

  it('validates bodies strictly: 400 malformed, 422 naming every field, 415 not JSON', async () => {
    const malformed = await call(write, 'POST', '/deputies', { rawBody: '{"name":' });
    expect(malformed.statusCode).toBe(400);
    const invalid = await call(write, 'POST', '/deputies', {
      body: { ...newDeputy(), email: 'nope', seats: [], colour: 'red' },
    });
    expect(invalid.statusCode).toBe(422);
    expect(invalid.json.issues.map((issue: { path: string }) => issue.path).sort()).toEqual([
      'colour',
      'email',
      'seats',
    ]);
    const threeSeats = await call(write, 'POST', '/deputies', {
      body: { ...newDeputy(), seats: [...newDeputy().seats, { level: 'TOWN', body: 'x' }] },
    });
    expect(threeSeats.json.issues).toEqual([
      { path: 'seats', message: 'a deputy holds one or two seats' },
    ]);
    const emptyPatch = await call(write, 'PATCH', '/deputies/{deputyId}', {
      body: {},
      pathParameters: { deputyId: 'dep-0001' },
    });
    expect(emptyPatch.statusCode).toBe(422);
    expect(emptyPatch.json.message).toMatch(/at least one field/);
    const csv = await call(write, 'POST', '/departments', {
      rawBody: 'name',
      headers: { 'content-type': 'text/csv' },
    });
    expect(csv.statusCode).toBe(415);
    expect(transactions()).toHaveLength(0);
  });

  it('refuses auditors and deputies (403) and changes nothing', async () => {
    for (const claims of [auditor, deputy]) {
      const { statusCode } = await call(write, 'POST', '/committees', {
        body: { name: '监察司法工委', emails: ['jcsf@example.org'] },
        claims,
      });
      expect(statusCode).toBe(403);
    }
    expect(transactions()).toHaveLength(0);
  });

  it('updates a seeded deputy: appends event 1 from genesis, moves the listing, swaps the email claim', async () => {
    const { statusCode, json } = await call(write, 'PATCH', '/deputies/{deputyId}', {
      body: { name: '王新名', email: 'new@example.org', group: null, street: 'YUNPU' },
      pathParameters: { deputyId: 'dep-0002' },
    });
    expect(statusCode).toBe(200);
    expect(json.deputy).toMatchObject({
      id: 'dep-0002',
      name: '王新名',
      email: 'new@example.org',
      street: 'YUNPU',
    });
    expect(json.deputy).not.toHaveProperty('group');
    const [items] = transactions();
    const update = items![0]!.Update!;
    expect(update.ConditionExpression).toBe('#auditSeq = :prevSeq');
    expect(update.ExpressionAttributeValues).toMatchObject({ ':prevSeq': 0, ':nextSeq': 1 });
    expect(update.UpdateExpression).toMatch(/REMOVE/);
    expect(Object.values(update.ExpressionAttributeValues!)).toContain('王新名#dep-0002');
    const event = items![1]!.Put!.Item as AuditEvent;
    expect(event).toMatchObject({ sk: 'AUDIT#00000001', action: 'DEPUTY_UPDATED' });
    expect(event.after).toEqual({
      name: '[personal data]',
      email: '[personal data]',
      group: null,
      street: 'YUNPU',
    });
    expect(verifyChain([event]).ok).toBe(true);
    expect(items![2]!.Put!.Item).toMatchObject({
      pk: 'DEPUTY_EMAIL#new@example.org',
      deputyId: 'dep-0002',
    });
    expect(items![3]!.Delete!.Key).toEqual({
      pk: 'DEPUTY_EMAIL#dep-0002@deputies.liandong.example.org',
      sk: 'DEPUTY_EMAIL',
    });
  });

  it('deactivates (never deletes), 409 when already inactive, 404 when unknown', async () => {
    const done = await call(write, 'POST', '/deputies/{deputyId}/deactivate', {
      pathParameters: { deputyId: 'dep-0041' },
    });
    expect(done.statusCode).toBe(200);
    expect(done.json.deputy.active).toBe(false);
    const [items] = transactions();
    expect(items![1]!.Put!.Item).toMatchObject({
      action: 'DEPUTY_DEACTIVATED',
      before: { active: true },
      after: { active: false },
    });
    expect(items!.some((item) => item.Delete)).toBe(false);

    const again = await call(write, 'POST', '/deputies/{deputyId}/deactivate', {
      pathParameters: { deputyId: 'dep-0350' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json.message).toMatch(/already inactive/);
    const unknown = await call(write, 'PATCH', '/departments/{departmentId}', {
      body: { name: 'x' },
      pathParameters: { departmentId: 'dept-unknown' },
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('keeps departments consistent with the routing rules that target them', async () => {
    const busy = await call(write, 'POST', '/departments/{departmentId}/deactivate', {
      pathParameters: { departmentId: 'dept-water' },
    });
    expect(busy.statusCode).toBe(409);
    expect(busy.json.message).toMatch(/DRAINAGE:\*/);
    const dropping = await call(write, 'PATCH', '/departments/{departmentId}', {
      body: { categories: ['DRAINAGE'] },
      pathParameters: { departmentId: 'dept-water' },
    });
    expect(dropping.statusCode).toBe(422);
    expect(dropping.json.issues[0]).toMatchObject({
      path: 'categories',
      message: 'must keep WATER_POLLUTION',
    });
    expect(transactions()).toHaveLength(0);
  });

  it('creates routing rules only to active departments that handle the category; 409 on a duplicate', async () => {
    const wrong = await call(write, 'POST', '/routing-rules', {
      body: { category: 'DRAINAGE', street: 'JIUFO', departmentId: 'dept-education' },
    });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json.issues[0]).toMatchObject({
      path: 'departmentId',
      message: expect.stringMatching(/does not handle DRAINAGE/),
    });
    const duplicate = await call(write, 'POST', '/routing-rules', {
      body: { category: 'DRAINAGE', departmentId: 'dept-water' },
    });
    expect(duplicate.statusCode).toBe(409);
    const created = await call(write, 'POST', '/routing-rules', {
      body: { category: 'DRAINAGE', street: 'JIUFO', departmentId: 'dept-water' },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json.routingRule).toMatchObject({ id: 'DRAINAGE:JIUFO', street: 'JIUFO' });
    const [items] = transactions();
    expect(items![0]!.Put!.Item).toMatchObject({ pk: 'ROUTING', sk: 'RULE#DRAINAGE#JIUFO' });
    expect(items![1]!.Put!.Item).toMatchObject({
      pk: 'ROUTING_RULE#DRAINAGE#JIUFO',
      sk: 'AUDIT#00000001',
    });
  });

  it('creates departments and committees with their audit events', async () => {
    const dept = await call(write, 'POST', '/departments', {
      body: {
        name: '黄埔区应急管理局',
        emails: ['emergency@dept.liandong.example.org'],
        categories: ['PUBLIC_SECURITY'],
      },
    });
    expect(dept.statusCode).toBe(201);
    const cmte = await call(write, 'POST', '/committees', {
      body: { name: '监察司法工委', emails: ['a@example.org', 'A@example.org'] },
    });
    expect(cmte.statusCode).toBe(422);
    expect(cmte.json.issues).toEqual([
      { path: 'emails.1', message: 'duplicate email a@example.org' },
    ]);
    const [items] = transactions();
    expect(items![1]!.Put!.Item).toMatchObject({
      action: 'DEPARTMENT_CREATED',
      after: { name: '黄埔区应急管理局' },
    });
  });
});

const HEADER = 'name,email,level1,body1,level2,body2,group,street,liaisonStation,active';
const roster = (count: number, start = 1) =>
  [
    HEADER,
    ...Array.from({ length: count }, (_, i) => {
      const n = start + i;
      return `代表${n},import-${n}@example.org,DISTRICT,广州市黄埔区人民代表大会,,,"区人大文冲代表小组, 二组",文冲,,`;
    }),
  ].join('\n');

describe('POST /deputies/import', () => {
  const post = (
    body: string,
    headers: Record<string, string> = { 'content-type': 'text/csv; charset=utf-8' },
    claims?: Record<string, unknown>,
  ) =>
    call(importDeputies, 'POST', '/deputies/import', {
      rawBody: body,
      headers,
      ...(claims ? { claims } : {}),
    });

  it('imports 500 rows in BatchWrite chunks, each deputy with its audit event and email claim', async () => {
    const { statusCode, json } = await post(roster(500));
    expect(statusCode).toBe(201);
    expect(json.imported).toBe(500);
    expect(json.deputies[0]).toEqual({ line: 2, id: expect.any(String) });
    const calls = doc.commandCalls(BatchWriteCommand);
    expect(calls.length).toBe(Math.ceil(500 / 8));
    const written = calls.flatMap((c) =>
      c.args[0].input.RequestItems![TABLE]!.map((r) => r.PutRequest!.Item!),
    );
    expect(written).toHaveLength(1500);
    for (const c of calls) {
      const items = c.args[0].input.RequestItems![TABLE]!.map((r) => r.PutRequest!.Item!);
      expect(items.length).toBeLessThanOrEqual(25);
      // a deputy never travels without its audit event and claim
      for (const item of items.filter((i) => i.entity === 'DEPUTY')) {
        expect(items.some((i) => i.pk === item.pk && i.sk === 'AUDIT#00000001')).toBe(true);
        expect(items.some((i) => i.entity === 'DEPUTY_EMAIL' && i.deputyId === item.id)).toBe(true);
      }
    }
    const event = written.find((item) => item.action === 'DEPUTY_IMPORTED') as AuditEvent;
    expect(event.after).toMatchObject({
      importId: json.importId,
      line: 2,
      name: '[personal data]',
    });
    expect(verifyChain([event]).ok).toBe(true);
  });

  it('imports nothing when any row is invalid or an email exists already', async () => {
    const csv = `${roster(3)}\n代表4,dep-0007@deputies.liandong.example.org,DISTRICT,黄埔区人大,,,,,,\n代表5,broken,DISTRICT,黄埔区人大,,,,,,`;
    const { statusCode, json } = await post(csv);
    expect(statusCode).toBe(422);
    expect(json.rows).toEqual([
      {
        line: 5,
        field: 'email',
        message: 'dep-0007@deputies.liandong.example.org is already the email of deputy dep-0007',
      },
      { line: 6, field: 'email', message: 'must be an email address' },
    ]);
    expect(json.issues.map((issue: { path: string }) => issue.path)).toEqual([
      'lines.5.email',
      'lines.6.email',
    ]);
    expect(doc.commandCalls(BatchWriteCommand)).toHaveLength(0);
  });

  it('wants text/csv in UTF-8 from an organiser', async () => {
    expect((await post(roster(1), { 'content-type': 'application/json' })).statusCode).toBe(415);
    expect((await post(roster(1), { 'content-type': 'text/csv; charset=gbk' })).statusCode).toBe(
      415,
    );
    expect((await post('  ', { 'content-type': 'text/csv' })).statusCode).toBe(400);
    expect((await post(roster(1), undefined, auditor)).statusCode).toBe(403);
    expect(doc.commandCalls(BatchWriteCommand)).toHaveLength(0);
  });

  it('retries unprocessed items', async () => {
    let first = true;
    doc.on(BatchWriteCommand).callsFake((input) => {
      if (!first) return {};
      first = false;
      return { UnprocessedItems: { [TABLE]: input.RequestItems[TABLE].slice(0, 3) } };
    });
    const { statusCode } = await post(roster(2));
    expect(statusCode).toBe(201);
    const calls = doc.commandCalls(BatchWriteCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.args[0].input.RequestItems![TABLE]).toHaveLength(3);
  });
});
