// unit test: SDK mocked with aws-sdk-client-mock
import { DEMO_JURISDICTION } from '../../../../infra/local/demo-jurisdiction';
import {
  BatchGetCommand,
  BatchWriteCommand,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { SendEmailCommand } from '@aws-sdk/client-ses';
import { beforeEach, describe, expect, it } from 'vitest';
import { mockAws } from '../../../support/aws.js';
import { deputyLinXiaohua } from '../../../support/items.js';
import { verifyChain, type AuditEvent } from '../../../../functions/shared/data/audit.js';
import { keys } from '../../../../functions/shared/data/keys.js';
import { demoSeedItems } from '../../../../infra/local/seed.js';
import { TABLE, httpEvent, lambdaContext, organiserClaims, setTestEnv } from '../helpers.js';

setTestEnv();

const { handler: read } = await import('../../../../functions/reference/read-reference.js');
const { handler: write } = await import('../../../../functions/reference/write-reference.js');
const { handler: importDeputies } =
  await import('../../../../functions/reference/import-deputies.js');

// The low-level client is mocked too, so nothing reaches a real endpoint.
const { doc, ses: sesMock } = mockAws('doc', 'raw', 'ses');

type Item = Record<string, unknown> & { pk: string; sk: string };
let table: Map<string, Item>;
const keyOf = (key: { pk: unknown; sk: unknown }) => `${String(key.pk)}|${String(key.sk)}`;

const seed = () => {
  table = new Map();
  for (const item of demoSeedItems() as Item[]) table.set(keyOf(item), item);
};

const auditor = { sub: 'aud-1', 'cognito:groups': '[auditor]' };
const deputy = { sub: 'dep-0001', 'cognito:groups': '[deputy]' };
const wenchongOrganiser = {
  sub: 'org-wc',
  'cognito:groups': '[organiser]',
  'custom:street': '文冲',
};
const unscopedOrganiser = { sub: 'org-x', 'cognito:groups': '[organiser]' };

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

/** POST /departments as the district organiser: one email, one category, then `fields`. */
const postDepartment = (
  name: string,
  email: string,
  category: string,
  fields: Record<string, string> = {},
) =>
  call(write, 'POST', '/departments', {
    body: { name, emails: [email], categories: [category], ...fields },
  });

const transactions = () =>
  doc.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems!);

beforeEach(() => {
  setTestEnv();
  sesMock.on(SendEmailCommand).resolves({ MessageId: 'ses-msg-1' });
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
    expect(bad.json.issues).toEqual([{ path: 'cursor', message: 'not a cursor of this query' }]);
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

const newDeputy = () => deputyLinXiaohua('Lin.Xiaohua@Example.org');

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
    const dept = await postDepartment(
      '黄埔区应急管理局',
      'emergency@dept.liandong.example.org',
      'PUBLIC_SECURITY',
    );
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

describe('scope (issue 12)', () => {
  const writes: [string, string, Parameters<typeof httpEvent>[0]][] = [
    ['POST', '/deputies', { body: newDeputy() }],
    [
      'PATCH',
      '/deputies/{deputyId}',
      { body: { street: 'WENCHONG' }, pathParameters: { deputyId: 'dep-0001' } },
    ],
    ['POST', '/deputies/{deputyId}/deactivate', { pathParameters: { deputyId: 'dep-0001' } }],
    [
      'POST',
      '/departments',
      { body: { name: '某部门', emails: ['x@example.org'], categories: ['DRAINAGE'] } },
    ],
    [
      'PATCH',
      '/departments/{departmentId}',
      { body: { emails: ['evil@example.org'] }, pathParameters: { departmentId: 'dept-water' } },
    ],
    [
      'POST',
      '/departments/{departmentId}/deactivate',
      { pathParameters: { departmentId: 'dept-water' } },
    ],
    ['POST', '/committees', { body: { name: '某工委', emails: ['c@example.org'] } }],
    [
      'PATCH',
      '/committees/{committeeId}',
      { body: { name: '改名' }, pathParameters: { committeeId: 'cmte-urban-construction' } },
    ],
    [
      'POST',
      '/committees/{committeeId}/deactivate',
      { pathParameters: { committeeId: 'cmte-urban-construction' } },
    ],
    [
      'POST',
      '/routing-rules',
      { body: { category: 'NOISE', street: '*', departmentId: 'dept-water' } },
    ],
    [
      'PATCH',
      '/routing-rules/{ruleId}',
      { body: { departmentId: 'dept-water' }, pathParameters: { ruleId: 'DRAINAGE:*' } },
    ],
    ['POST', '/routing-rules/{ruleId}/deactivate', { pathParameters: { ruleId: 'DRAINAGE:*' } }],
  ];

  it('refuses every reference write of a street organiser (403) and writes nothing', async () => {
    for (const [method, route, options] of writes) {
      const res = await call(write, method, route, { ...options, claims: wenchongOrganiser });
      expect(res.statusCode, `${method} ${route}`).toBe(403);
      expect(res.json.message).toMatch(/whole district/);
    }
    const csv =
      'name,email,level1,body1\n林一,lin1@example.org,DISTRICT,广州市黄埔区人民代表大会\n';
    const imported = await call(importDeputies, 'POST', '/deputies/import', {
      rawBody: csv,
      headers: { 'content-type': 'text/csv' },
      claims: wenchongOrganiser,
    });
    expect(imported.statusCode).toBe(403);
    expect(transactions()).toHaveLength(0);
    expect(doc.commandCalls(BatchWriteCommand)).toHaveLength(0);
    // …and still reads.
    const listed = await call(read, 'GET', '/departments', { claims: wenchongOrganiser });
    expect(listed.statusCode).toBe(200);
  });

  it('fails closed: an organiser token without a scope claim has no organiser rights', async () => {
    for (const [fn, method, route, options] of [
      [read, 'GET', '/deputies', {}],
      [write, ...writes[4]!],
    ] as const) {
      const res = await call(fn, method, route, { ...options, claims: unscopedOrganiser });
      expect(res.statusCode, `${method} ${route}`).toBe(403);
      expect(res.json.message).toMatch(/custom:street/);
    }
    const garbage = await call(read, 'GET', '/deputies', {
      claims: { ...unscopedOrganiser, 'custom:street': 'NOWHERE' },
    });
    expect(garbage.statusCode).toBe(403);
    expect(transactions()).toHaveLength(0);
  });

  it('shows a street organiser deputies’ contact details only within its street', async () => {
    const all = await call(read, 'GET', '/deputies', { query: { limit: '100' } });
    const own = all.json.items.filter((d: { street?: string }) => d.street === 'WENCHONG');
    const others = all.json.items.filter((d: { street?: string }) => d.street !== 'WENCHONG');
    expect(own.length).toBeGreaterThan(0);
    expect(others.length).toBeGreaterThan(0);
    expect(all.json.items.every((d: { email?: string }) => typeof d.email === 'string')).toBe(true);

    const scoped = await call(read, 'GET', '/deputies', {
      query: { limit: '100' },
      claims: wenchongOrganiser,
    });
    for (const item of scoped.json.items as { street?: string; email?: string; name: string }[]) {
      if (item.street === 'WENCHONG') expect(item.email, item.name).toMatch(/@/);
      else expect(item).not.toHaveProperty('email');
    }
    const other = others[0] as { id: string };
    const one = await call(read, 'GET', '/deputies/{deputyId}', {
      pathParameters: { deputyId: other.id },
      claims: wenchongOrganiser,
    });
    expect(one.json.deputy.name).toBeTruthy();
    expect(one.json.deputy).not.toHaveProperty('email');
    const audited = await call(read, 'GET', '/deputies/{deputyId}', {
      pathParameters: { deputyId: other.id },
      claims: auditor,
    });
    expect(audited.json.deputy.email).toMatch(/@/);
  });

  it('binds list cursors to the list, its filter and the reader’s scope', async () => {
    const first = await call(read, 'GET', '/deputies', { query: { limit: '2' } });
    const cursor = first.json.nextCursor as string;
    expect(
      (await call(read, 'GET', '/deputies', { query: { limit: '2', cursor } })).statusCode,
    ).toBe(200);
    for (const [label, options] of [
      ['another scope', { query: { limit: '2', cursor }, claims: wenchongOrganiser }],
      ['an auditor', { query: { limit: '2', cursor }, claims: auditor }],
      ['another filter', { query: { limit: '2', cursor, active: 'false' } }],
    ] as const) {
      const res = await call(read, 'GET', '/deputies', options);
      expect(res.statusCode, label).toBe(400);
    }
    const elsewhere = await call(read, 'GET', '/departments', { query: { limit: '2', cursor } });
    expect(elsewhere.statusCode).toBe(400);
    // An edited position, even with the right binding, stays in its partition.
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    decoded.p = { pk: 'ACTIVITY#x', sk: 'A', listPk: 'ACTIVITIES#S', listSk: 'x' };
    const edited = Buffer.from(JSON.stringify(decoded)).toString('base64url');
    expect((await call(read, 'GET', '/deputies', { query: { cursor: edited } })).statusCode).toBe(
      400,
    );
  });
});

describe('a department’s email change (issue 12)', () => {
  const change = (emails: string[]) =>
    call(write, 'PATCH', '/departments/{departmentId}', {
      body: { emails },
      pathParameters: { departmentId: 'dept-water' },
      claims: organiserClaims,
    });

  it('is its own audit action, and the previous addresses are told once, from the letterhead', async () => {
    const previous = (table.get('DEPARTMENT#dept-water|PROFILE') as unknown as { emails: string[] })
      .emails;
    expect(previous.length).toBeGreaterThan(0);
    const res = await change(['new-water@example.org']);
    expect(res.statusCode).toBe(200);
    expect(res.json.department).toMatchObject({
      emails: ['new-water@example.org'],
      emailChangeNotice: 'SENT',
    });
    const [items] = transactions();
    const event = items!.map((item) => item.Put?.Item).find((item) => item?.action) as AuditEvent;
    expect(event).toMatchObject({
      action: 'DEPARTMENT_EMAILS_CHANGED',
      before: { emails: previous },
      after: { emails: ['new-water@example.org'] },
    });
    // The notice is recorded with the change, in the same transaction.
    const head = JSON.stringify(items!.find((item) => item.Update)?.Update);
    expect(head).toContain('emailChangeNotice');
    expect(head).toContain(JSON.stringify(previous));

    const sends = sesMock.commandCalls(SendEmailCommand);
    expect(sends).toHaveLength(1);
    const input = sends[0]!.args[0].input;
    expect(input.Destination?.ToAddresses).toEqual(previous);
    expect(input.Message?.Subject?.Data).toContain(DEMO_JURISDICTION.district.subjectTag.zh);
    expect(input.Message?.Body?.Text?.Data).toContain(
      DEMO_JURISDICTION.district.standingCommittee.zh,
    );
    expect(input.Message?.Body?.Text?.Data).toContain('new-water@example.org');
    const name = /^=\?UTF-8\?B\?([^?]+)\?= </.exec(input.Source ?? '')?.[1];
    expect(Buffer.from(name ?? '', 'base64').toString('utf8')).toBe(
      DEMO_JURISDICTION.district.standingCommittee.zh,
    );
  });

  it('keeps a notice SES could not take, and the repeated request sends it', async () => {
    sesMock.on(SendEmailCommand).rejects(
      Object.assign(new Error('slow down'), {
        name: 'Throttling',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    const first = await change(['new-water@example.org']);
    expect(first.statusCode).toBe(200);
    expect(first.json.department.emailChangeNotice).toBe('PENDING');
    // The stored head now carries the notice (the mocked transaction does not write the table).
    const stored = table.get('DEPARTMENT#dept-water|PROFILE')!;
    table.set('DEPARTMENT#dept-water|PROFILE', {
      ...stored,
      emails: ['new-water@example.org'],
      auditSeq: 1,
      emailChangeNotice: {
        seq: 1,
        at: '2026-01-01T00:00:00.000Z',
        previous: (stored as unknown as { emails: string[] }).emails,
        current: ['new-water@example.org'],
      },
    });
    sesMock.on(SendEmailCommand).resolves({ MessageId: 'ses-msg-2' });
    sesMock.resetHistory();
    const retried = await change(['new-water@example.org']);
    expect(retried.statusCode).toBe(200);
    expect(retried.json.department.emailChangeNotice).toBe('SENT');
    expect(sesMock.commandCalls(SendEmailCommand)).toHaveLength(1);
    expect(transactions().length).toBeGreaterThan(0);
  });
});

describe('department levels and external recipients', () => {
  const putOf = (index = 0) => transactions()[index]![0]!.Put!.Item;

  it('shows a department stored without a level as a local district department', async () => {
    const water = await call(read, 'GET', '/departments/{departmentId}', {
      pathParameters: { departmentId: 'dept-water' },
    });
    const stored = table.get(keyOf(keys.department('dept-water')));
    expect(stored).toBeDefined();
    expect(stored).not.toHaveProperty('level');
    expect(water.json.department).toMatchObject({ kind: 'LOCAL', level: 'DISTRICT' });
    const listed = await call(read, 'GET', '/departments', { query: { limit: '50' } });
    const levels = Object.fromEntries(
      (listed.json.items as { id: string; level?: string }[]).map((d) => [d.id, d.level]),
    );
    expect(levels).toMatchObject({
      'dept-water': 'DISTRICT',
      'dept-xinlong-town': 'TOWN',
      'dept-public-security': 'MUNICIPAL',
    });
  });

  it('stores the level given (DISTRICT by default) and refuses an unknown one (422)', async () => {
    const postEco = (level: string) =>
      postDepartment(
        '广州市生态环境局黄埔分局',
        'eco@dept.liandong.example.org',
        'WATER_POLLUTION',
        {
          level,
        },
      );
    const municipal = await postEco('市');
    // 市 is MUNICIPAL's Chinese name: answered with the code, nothing stored.
    expect(municipal.statusCode).toBe(422);
    expect(municipal.json.issues[0]).toMatchObject({ path: 'level' });
    expect(municipal.json.issues[0].message).toMatch(/MUNICIPAL/);
    expect(transactions()).toHaveLength(0);

    const created = await postEco('MUNICIPAL');
    expect(created.statusCode).toBe(201);
    expect(created.json.department).toMatchObject({ kind: 'LOCAL', level: 'MUNICIPAL' });
    expect(putOf()).toMatchObject({ kind: 'LOCAL', level: 'MUNICIPAL' });

    const plain = await postDepartment('黄埔区统计局', 'stats@dept.liandong.example.org', 'OTHER');
    expect(plain.json.department).toMatchObject({ kind: 'LOCAL', level: 'DISTRICT' });
    expect(putOf(1)).toMatchObject({ kind: 'LOCAL', level: 'DISTRICT' });
  });

  it('creates an external recipient without a level; a level on it is 422', async () => {
    const postPanyu = (fields: Record<string, string>) =>
      postDepartment('番禺区人大常委会', 'congress@panyu.example.org', 'ENVIRONMENT', fields);
    const withLevel = await postPanyu({ kind: 'EXTERNAL', level: 'DISTRICT' });
    expect(withLevel.statusCode).toBe(422);
    expect(withLevel.json.issues).toEqual([
      { path: 'level', message: 'an external recipient is outside the district and has no level' },
    ]);
    const created = await postPanyu({ kind: 'EXTERNAL' });
    expect(created.statusCode).toBe(201);
    expect(created.json.department).toMatchObject({ kind: 'EXTERNAL' });
    expect(created.json.department).not.toHaveProperty('level');
    const item = putOf();
    expect(item).toMatchObject({ kind: 'EXTERNAL' });
    expect(item).not.toHaveProperty('level');

    // Stored, it can neither take a level nor be the target of a routing rule.
    table.set(keyOf(item as Item), { ...(item as Item), auditSeq: 1, auditHash: 'h' });
    const id = created.json.department.id as string;
    const level = await call(write, 'PATCH', '/departments/{departmentId}', {
      body: { level: 'TOWN' },
      pathParameters: { departmentId: id },
    });
    expect(level.statusCode).toBe(422);
    expect(level.json.issues).toEqual([
      { path: 'level', message: 'an external recipient has no level' },
    ]);
    const kind = await call(write, 'PATCH', '/departments/{departmentId}', {
      body: { kind: 'LOCAL' },
      pathParameters: { departmentId: id },
    });
    expect(kind.statusCode).toBe(422);
    const rule = await call(write, 'POST', '/routing-rules', {
      body: { category: 'ENVIRONMENT', street: 'JIUFO', departmentId: id },
    });
    expect(rule.statusCode).toBe(422);
    expect(rule.json.issues[0]).toMatchObject({
      path: 'departmentId',
      message: expect.stringMatching(/external recipient outside the district/),
    });
    expect(transactions()).toHaveLength(1);
  });

  it('changes a local department level; rules show their target department level', async () => {
    const changed = await call(write, 'PATCH', '/departments/{departmentId}', {
      body: { level: 'TOWN' },
      pathParameters: { departmentId: 'dept-water' },
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json.department).toMatchObject({ level: 'TOWN' });
    const [items] = transactions();
    // The seeded department had no level: the event records it from none to TOWN.
    expect(items![1]!.Put!.Item).toMatchObject({
      action: 'DEPARTMENT_UPDATED',
      before: { level: null },
      after: { level: 'TOWN' },
    });

    const rule = await call(read, 'GET', '/routing-rules/{ruleId}', {
      pathParameters: { ruleId: 'GARBAGE_SORTING:XINLONG' },
    });
    expect(rule.json.routingRule).toMatchObject({
      departmentId: 'dept-xinlong-town',
      departmentLevel: 'TOWN',
    });
    const rules = await call(read, 'GET', '/routing-rules', { query: { limit: '50' } });
    const byId = Object.fromEntries(
      (rules.json.items as { id: string; departmentLevel?: string }[]).map((r) => [
        r.id,
        r.departmentLevel,
      ]),
    );
    expect(byId).toMatchObject({
      'GARBAGE_SORTING:XINLONG': 'TOWN',
      'DRAINAGE:*': 'DISTRICT',
      'PUBLIC_SECURITY:*': 'MUNICIPAL',
    });
  });
});
