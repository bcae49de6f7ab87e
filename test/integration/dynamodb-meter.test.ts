// Integration: the local cloud's DynamoDB metering proxy in front of a real DynamoDB Local (its
// own instance, started here), called with the AWS SDK as the functions call it.
import {
  CreateTableCommand,
  DynamoDBClient,
  PutItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LOCAL_CREDENTIALS,
  startDynamoDbLocal,
  type DynamoDbLocal,
} from '../../infra/local/dynamodb';
import {
  itemSize,
  startDynamoDbMeter,
  writeUnits,
  type DynamoDbMeter,
  type Item,
} from '../../infra/local/dynamodb-meter';
import { itemKeySchema } from '../support/table';

const TABLE = 'MeterTable';
let ddb: DynamoDbLocal;
let meter: DynamoDbMeter;
let viaMeter: DynamoDBClient;
let doc: DynamoDBDocumentClient;

beforeAll(async () => {
  ddb = await startDynamoDbLocal({ inMemory: true, region: 'ap-east-1' });
  await ddb.client.send(
    new CreateTableCommand({
      TableName: TABLE,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: itemKeySchema(),
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'listPk', AttributeType: 'S' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'listing',
          KeySchema: [{ AttributeName: 'listPk', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
  );
  meter = await startDynamoDbMeter({ upstream: ddb.url });
  viaMeter = new DynamoDBClient({
    endpoint: meter.url,
    region: 'ap-east-1',
    credentials: LOCAL_CREDENTIALS,
  });
  doc = DynamoDBDocumentClient.from(viaMeter);
}, 60_000);

afterAll(async () => {
  viaMeter?.destroy();
  await meter?.stop();
  await ddb?.stop();
});

describe('DynamoDB metering proxy on DynamoDB Local', () => {
  it('the size rule matches what DynamoDB Local reports for single puts across KB boundaries', async () => {
    const mismatches: string[] = [];
    for (let i = 0; i < 60; i++) {
      const item: Record<string, AttributeValue> = {
        pk: { S: `P#${i}` },
        sk: { S: 'S' },
        name: { S: '王伟'.repeat(i % 20) },
        counts: {
          M: {
            a: { N: String(i) },
            b: { N: '12345.678' },
            list: {
              L: [
                { N: '1' },
                { S: 'x' },
                { BOOL: true },
                { NULL: true },
                { M: { z: { S: 'y'.repeat(i % 13) } } },
              ],
            },
          },
        },
        pad: { S: 'p'.repeat(950 + i * 37) },
      };
      const out = await ddb.client.send(
        new PutItemCommand({ TableName: TABLE, Item: item, ReturnConsumedCapacity: 'TOTAL' }),
      );
      const mine = writeUnits(itemSize(item as unknown as Item));
      if (out.ConsumedCapacity?.CapacityUnits !== mine) {
        mismatches.push(
          `${i}: ${itemSize(item as unknown as Item)} B → ${mine} vs ${out.ConsumedCapacity?.CapacityUnits}`,
        );
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('the SDK works through it unchanged, and sees no units it did not ask for', async () => {
    meter.reset();
    const put = await doc.send(
      new PutCommand({ TableName: TABLE, Item: { pk: 'A', sk: '1', v: 'x'.repeat(3000) } }),
    );
    expect(put.ConsumedCapacity).toBeUndefined();
    const got = await doc.send(new GetCommand({ TableName: TABLE, Key: { pk: 'A', sk: '1' } }));
    expect(got.Item?.v).toHaveLength(3000);
    expect(got.ConsumedCapacity).toBeUndefined();
    const asked = await doc.send(
      new GetCommand({
        TableName: TABLE,
        Key: { pk: 'A', sk: '1' },
        ConsistentRead: true,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    expect(asked.ConsumedCapacity).toEqual({ TableName: TABLE, CapacityUnits: 1 });
    // 3 KB put: 3 write units; eventually consistent read 0.5, strongly consistent 1.
    expect(meter.snapshot().operations).toMatchObject({
      PutItem: { [TABLE]: { calls: 1, writeUnits: 3 } },
      GetItem: { [TABLE]: { calls: 2, readUnits: 1.5 } },
    });
  });

  it('counts a transaction of equal-sized items in full, where DynamoDB Local counts them once', async () => {
    meter.reset();
    const items = [1, 2, 3].map((n) => ({ pk: `T#${n}`, sk: '1', v: 'x'.repeat(1500) }));
    await doc.send(
      new TransactWriteCommand({
        TransactItems: items.map((Item) => ({ Put: { TableName: TABLE, Item } })),
      }),
    );
    const tally = meter.snapshot().operations.TransactWriteItems![TABLE]!;
    // Three 1.5 KB items: 2 units each, ×2 for a transaction.
    expect(tally.writeUnits).toBe(12);
    expect(tally.reportedUnits).toBeLessThan(12);
  });

  it('charges an index write, and a failed conditional update', async () => {
    meter.reset();
    await doc.send(
      new PutCommand({
        TableName: TABLE,
        Item: { pk: 'G', sk: '1', listPk: 'L', v: 'x'.repeat(1500) },
      }),
    );
    await expect(
      doc.send(
        new UpdateCommand({
          TableName: TABLE,
          Key: { pk: 'G', sk: '1' },
          UpdateExpression: 'SET v = :v',
          ConditionExpression: 'attribute_not_exists(pk)',
          ExpressionAttributeValues: { ':v': 'y' },
        }),
      ),
    ).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    const ops = meter.snapshot().operations;
    expect(ops.PutItem![TABLE]).toMatchObject({ writeUnits: 4 }); // 2 table + 2 index
    expect(ops.UpdateItem![TABLE]).toMatchObject({ calls: 1, errors: 1, estimatedUnits: 1 });
  });
});
