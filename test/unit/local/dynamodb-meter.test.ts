// Unit: the DynamoDB metering proxy of the local cloud, against a fake DynamoDB (a plain HTTP
// server that answers as DynamoDB Local does); item sizes and units by AWS's rules.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CapacityTally,
  itemSize,
  itemWriteUnits,
  numberSize,
  readUnits,
  startDynamoDbMeter,
  writeUnits,
  type DynamoDbMeter,
  type Item,
  type TableShape,
} from '../../../infra/local/dynamodb-meter';

describe('item size and units', () => {
  it('counts names and values as DynamoDB does', () => {
    expect(itemSize({ pk: { S: 'a' } })).toBe(3);
    expect(itemSize({ name: { S: '王伟' } })).toBe(4 + 6); // UTF-8: 3 bytes a character
    expect(itemSize({ ok: { BOOL: true }, no: { NULL: true } })).toBe(2 + 1 + 2 + 1);
    expect(itemSize({ b: { B: Buffer.from('abcd').toString('base64') } })).toBe(1 + 4);
    // A list: 3 bytes, plus 1 and the value per element; a map adds each name.
    expect(itemSize({ l: { L: [{ S: 'ab' }, { S: 'c' }] } })).toBe(1 + 3 + (1 + 2) + (1 + 1));
    expect(itemSize({ m: { M: { k: { S: 'vv' } } } })).toBe(1 + 3 + (1 + 1 + 2));
    expect(itemSize({ ss: { SS: ['a', 'bc'] } })).toBe(2 + 3);
    expect(itemSize(undefined)).toBe(0);
  });

  it('sizes numbers by significant digits', () => {
    expect(numberSize('1')).toBe(2);
    expect(numberSize('12')).toBe(2);
    expect(numberSize('123')).toBe(3);
    expect(numberSize('-1200')).toBe(2);
    expect(numberSize('0.0015')).toBe(2);
  });

  it('rounds units up: 1 KB a write unit, 4 KB a read unit, half for eventual reads', () => {
    expect(writeUnits(0)).toBe(1);
    expect(writeUnits(1024)).toBe(1);
    expect(writeUnits(1025)).toBe(2);
    expect(readUnits(4096, true)).toBe(1);
    expect(readUnits(4097, true)).toBe(2);
    expect(readUnits(10, false)).toBe(0.5);
  });

  const table: TableShape = {
    keys: ['pk', 'sk'],
    indexes: [{ name: 'listing', keys: ['listPk', 'listSk'], projection: 'ALL' }],
  };
  const base: Item = { pk: { S: 'A' }, sk: { S: 'B' }, v: { S: 'x'.repeat(1500) } };
  const listed = (listPk: string): Item => ({
    ...base,
    listPk: { S: listPk },
    listSk: { S: '1' },
  });

  it('charges an index write only when the item is in the index, and a delete when its key moves', () => {
    expect(itemWriteUnits(table, undefined, base)).toEqual({ table: 2, indexes: {} });
    expect(itemWriteUnits(table, undefined, listed('X'))).toEqual({
      table: 2,
      indexes: { listing: 2 },
    });
    // Same index key: one index write. Moved: the old entry is deleted too.
    expect(itemWriteUnits(table, listed('X'), listed('X')).indexes).toEqual({ listing: 2 });
    expect(itemWriteUnits(table, listed('X'), listed('Y')).indexes).toEqual({ listing: 4 });
    // Left the index: its entry is deleted.
    expect(itemWriteUnits(table, listed('X'), base).indexes).toEqual({ listing: 2 });
    // The larger of before and after.
    expect(itemWriteUnits(table, base, { pk: base.pk!, sk: base.sk! }).table).toBe(2);
  });
});

describe('CapacityTally', () => {
  it('sums reads and writes per operation and table, and totals them', () => {
    const tally = new CapacityTally();
    tally.record('GetItem', 'T', { TableName: 'T', CapacityUnits: 0.5 });
    tally.record('Query', 'T', { TableName: 'T', CapacityUnits: 2 });
    tally.record('PutItem', 'T', { TableName: 'T', CapacityUnits: 3 });
    tally.record('BatchWriteItem', '', [
      { TableName: 'T', CapacityUnits: 2 },
      { TableName: 'U', CapacityUnits: 1 },
    ]);
    tally.recordError(
      'UpdateItem',
      'T',
      'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException',
    );
    tally.recordError('GetItem', 'T', 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException');
    const snap = tally.snapshot();
    expect(snap.operations.GetItem!.T).toEqual({
      calls: 2,
      errors: 1,
      readUnits: 0.5,
      writeUnits: 0,
    });
    expect(snap.operations.BatchWriteItem!.U).toMatchObject({ calls: 0, writeUnits: 1 });
    expect(snap.operations.BatchWriteItem!.T).toMatchObject({ calls: 1, writeUnits: 2 });
    expect(snap.operations.UpdateItem!.T).toMatchObject({
      errors: 1,
      writeUnits: 1,
      estimatedUnits: 1,
    });
    expect(snap.totals).toEqual({ calls: 6, errors: 2, readUnits: 2.5, writeUnits: 7 });
    tally.reset();
    expect(tally.snapshot().totals).toEqual({ calls: 0, errors: 0, readUnits: 0, writeUnits: 0 });
  });
});

// --- the proxy against a fake DynamoDB -----------------------------------------------------

interface Seen {
  target: string;
  body: Record<string, unknown>;
  headers: IncomingHttpHeaders;
}

const stored = new Map<string, Item>();
const keyOf = (key: Item) => `${JSON.stringify(key.pk)}|${JSON.stringify(key.sk)}`;
let seen: Seen[] = [];
let upstream: Server;
let meter: DynamoDbMeter;

/** Answers as DynamoDB Local does, with a wrong TransactWriteItems figure (1 unit). */
function fakeDynamo(target: string, body: Record<string, unknown>): [number, unknown] {
  const op = target.replace('DynamoDB_20120810.', '');
  const capacity = body.ReturnConsumedCapacity
    ? { ConsumedCapacity: { TableName: body.TableName, CapacityUnits: 1.5 } }
    : {};
  switch (op) {
    case 'DescribeTable':
      return [
        200,
        {
          Table: {
            KeySchema: [{ AttributeName: 'pk' }, { AttributeName: 'sk' }],
            GlobalSecondaryIndexes: [
              {
                IndexName: 'listing',
                KeySchema: [{ AttributeName: 'listPk' }, { AttributeName: 'listSk' }],
                Projection: { ProjectionType: 'ALL' },
              },
            ],
          },
        },
      ];
    case 'GetItem': {
      const item = stored.get(keyOf(body.Key as Item));
      return [200, { ...(item ? { Item: item } : {}), ...capacity }];
    }
    case 'PutItem':
      if (body.ConditionExpression) {
        return [
          400,
          {
            __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException',
            message: 'no',
          },
        ];
      }
      return [200, capacity];
    case 'TransactWriteItems': {
      const items = body.TransactItems as { Put?: { Item: Item }; Update?: { Key: Item } }[];
      if (items.some((i) => i.Update && !stored.has(keyOf(i.Update.Key)))) {
        return [400, { __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException' }];
      }
      for (const i of items) {
        if (i.Put) stored.set(keyOf(i.Put.Item), i.Put.Item);
        if (i.Update) {
          const old = stored.get(keyOf(i.Update.Key))!;
          stored.set(keyOf(i.Update.Key), { ...old, more: { S: 'y'.repeat(1200) } });
        }
      }
      return [
        200,
        body.ReturnConsumedCapacity
          ? { ConsumedCapacity: [{ TableName: 'T', CapacityUnits: 1 }] }
          : {},
      ];
    }
    default:
      return [200, { TableNames: ['T'] }];
  }
}

beforeAll(async () => {
  upstream = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target']);
      const body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as Record<string, unknown>;
      seen.push({ target, body, headers: req.headers });
      const [status, answer] = fakeDynamo(target, body);
      const text = JSON.stringify(answer);
      res.writeHead(status, {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-crc32': String(crc32(Buffer.from(text))),
      });
      res.end(text);
    });
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  const { port } = upstream.address() as AddressInfo;
  meter = await startDynamoDbMeter({ upstream: `http://127.0.0.1:${port}` });
});
afterAll(async () => {
  await meter.stop();
  await new Promise((r) => upstream.close(r));
});
beforeEach(() => {
  seen = [];
  meter.reset();
});

const send = async (operation: string, body: Record<string, unknown>) => {
  const res = await fetch(meter.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `DynamoDB_20120810.${operation}`,
    },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: JSON.parse(text) as Record<string, unknown>, res, text };
};

/**
 * DynamoDB's `error` passed through (400), and `operation` on table T charged as one failed call
 * of `units` write units, estimated by the meter.
 */
const expectChargedFailure = (
  out: Awaited<ReturnType<typeof send>>,
  operation: string,
  error: string,
  units: number,
) => {
  expect(out.status).toBe(400);
  expect(out.json.__type).toMatch(new RegExp(`${error}$`));
  expect(meter.snapshot().operations[operation]!.T).toMatchObject({
    calls: 1,
    errors: 1,
    writeUnits: units,
    estimatedUnits: units,
  });
};

describe('metering proxy', () => {
  it('asks for the units, counts them, and takes them out of an answer that did not ask', async () => {
    const out = await send('GetItem', {
      TableName: 'T',
      Key: { pk: { S: 'none' }, sk: { S: 'x' } },
    });
    expect(out.status).toBe(200);
    expect(seen[0]!.body.ReturnConsumedCapacity).toBe('TOTAL');
    expect(out.json).toEqual({});
    // The checksum matches the rewritten body, as the SDK may check it.
    expect(out.res.headers.get('x-amz-crc32')).toBe(String(crc32(Buffer.from(out.text))));
    expect(meter.snapshot().operations.GetItem!.T).toMatchObject({ calls: 1, readUnits: 1.5 });
  });

  it('leaves the units in when the caller asked for them', async () => {
    const out = await send('PutItem', {
      TableName: 'T',
      Item: { pk: { S: 'a' } },
      ReturnConsumedCapacity: 'INDEXES',
    });
    expect(seen[0]!.body.ReturnConsumedCapacity).toBe('INDEXES');
    expect(out.json.ConsumedCapacity).toEqual({ TableName: 'T', CapacityUnits: 1.5 });
    expect(meter.snapshot().totals).toMatchObject({ calls: 1, writeUnits: 1.5 });
  });

  it('passes errors through unchanged and charges a failed conditional write', async () => {
    const out = await send('PutItem', {
      TableName: 'T',
      Item: { pk: { S: 'a' } },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expectChargedFailure(out, 'PutItem', 'ConditionalCheckFailedException', 1);
  });

  it('forwards other operations untouched and counts nothing', async () => {
    const out = await send('ListTables', {});
    expect(out.json).toEqual({ TableNames: ['T'] });
    expect(seen[0]!.body).toEqual({});
    expect(meter.snapshot().totals.calls).toBe(0);
  });

  it('computes a transaction from its items, ×2, beside what DynamoDB Local reported', async () => {
    const head = { pk: { S: 'ACTIVITY#1' }, sk: { S: 'ACTIVITY' }, v: { S: 'x'.repeat(500) } };
    stored.set(keyOf(head), head);
    const event: Item = {
      pk: { S: 'ACTIVITY#1' },
      sk: { S: 'AUDIT#1' },
      listPk: { S: 'L' },
      listSk: { S: '1' },
      v: { S: 'z'.repeat(1500) },
    };
    const out = await send('TransactWriteItems', {
      TransactItems: [
        { Put: { TableName: 'T', Item: event } },
        {
          Update: {
            TableName: 'T',
            Key: { pk: head.pk, sk: head.sk },
            UpdateExpression: 'SET more = :m',
          },
        },
      ],
    });
    expect(out.status).toBe(200);
    expect(out.json).toEqual({});
    // Put: 2 KB on the table and 2 KB on the index; update: 500 B → 1.7 KB = 2. All ×2.
    expect(meter.snapshot().operations.TransactWriteItems!.T).toEqual({
      calls: 1,
      errors: 0,
      readUnits: 0,
      writeUnits: 2 * (2 + 2 + 2),
      reportedUnits: 1,
    });
  });

  it('estimates a cancelled transaction and passes the cancellation through', async () => {
    const out = await send('TransactWriteItems', {
      TransactItems: [
        {
          Update: {
            TableName: 'T',
            Key: { pk: { S: 'gone' }, sk: { S: 'x' } },
            UpdateExpression: 'SET a = :a',
          },
        },
      ],
    });
    expectChargedFailure(out, 'TransactWriteItems', 'TransactionCanceledException', 2);
  });
});
