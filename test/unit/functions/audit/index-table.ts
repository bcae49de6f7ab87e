// unit test helper: a mocked DocumentClient over an in-memory list of items, enough for the
// audit queries: GetItem, BatchGetItem, Query on the table or an index with `begins_with` or a `BETWEEN` on
// the sort key, simple `#a = :a` and `attribute_exists(#a)` filters (after Limit, as DynamoDB does), Limit and
// ExclusiveStartKey / LastEvaluatedKey. Any other command (a Scan) is an error.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';

type Item = Record<string, unknown>;

export const indexTable = (seed: readonly object[]) => {
  const items = seed as Item[];
  const doc = mockClient(DynamoDBDocumentClient);
  doc.on(GetCommand).callsFake((input) => {
    const key = input.Key as { pk: string; sk: string };
    const item = items.find((i) => i.pk === key.pk && i.sk === key.sk);
    return { Item: item ? structuredClone(item) : undefined };
  });
  doc.on(BatchGetCommand).callsFake((input) => {
    const responses: Record<string, Item[]> = {};
    const requests = (input.RequestItems ?? {}) as Record<
      string,
      { Keys?: Item[]; ExpressionAttributeNames?: Record<string, string> }
    >;
    for (const [table, request] of Object.entries(requests)) {
      if ((request.Keys ?? []).length > 100) throw new Error('BatchGetItem takes at most 100 keys');
      const names = Object.values(request.ExpressionAttributeNames ?? {}) as string[];
      responses[table] = (request.Keys ?? []).flatMap((key) => {
        const item = items.find((i) => i.pk === key.pk && i.sk === key.sk);
        if (!item) return [];
        const copy = structuredClone(item);
        const projected = names.filter((n) => n in copy).map((n) => [n, copy[n]]);
        return [names.length ? Object.fromEntries(projected) : copy];
      });
    }
    return { Responses: responses };
  });
  doc.on(ScanCommand).rejects(new Error('Scan is not allowed'));
  doc.on(QueryCommand).callsFake((input) => {
    const names = input.ExpressionAttributeNames as Record<string, string>;
    const values = input.ExpressionAttributeValues as Record<string, string>;
    const pkName = names['#pk']!;
    const skName = names['#sk'] ?? names['#lsk'] ?? (pkName === 'pk' ? 'sk' : 'listSk');
    const condition = String(input.KeyConditionExpression);
    let found = items
      .filter((item) => item[pkName] === values[':pk'])
      .filter((item) => {
        const sk = String(item[skName] ?? '');
        if (condition.includes('begins_with')) return sk.startsWith(values[':skPrefix']!);
        if (condition.includes('BETWEEN')) {
          const from = values[':from'] ?? values[':skFrom']!;
          return sk >= from && sk <= (values[':to'] ?? values[':skTo']!);
        }
        return true;
      })
      .sort((a, b) => (String(a[skName]) < String(b[skName]) ? -1 : 1));
    const start = input.ExclusiveStartKey as Item | undefined;
    if (start) found = found.filter((item) => String(item[skName]) > String(start[skName]));
    const limit = input.Limit ?? found.length;
    const evaluated = found.slice(0, limit);
    const more = found.length > limit;
    const filters = [...String(input.FilterExpression ?? '').matchAll(/(#\w+) = (:\w+)/g)];
    const present = [
      ...String(input.FilterExpression ?? '').matchAll(/attribute_exists\((#\w+)\)/g),
    ];
    const passed = evaluated.filter(
      (item) =>
        filters.every(([, name, value]) => item[names[name!]!] === values[value!]) &&
        present.every(([, name]) => item[names[name!]!] !== undefined),
    );
    const last = evaluated[evaluated.length - 1];
    return {
      Items: passed.map((item) => structuredClone(item)),
      ...(more && last
        ? {
            LastEvaluatedKey: Object.fromEntries(
              ['pk', 'sk', pkName, skName].map((name) => [name, last[name]]),
            ),
          }
        : {}),
    };
  });
  return { doc, db: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'cn-north-1' })) };
};
