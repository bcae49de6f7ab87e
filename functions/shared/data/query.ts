import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Store } from './activities.js';
import { toQueryParams, type KeyQuery, type PrimaryKey } from './keys.js';

/**
 * The reads every store shares: one item by its key, and the pages of one key query. A store
 * names what it reads (its keys and item type); how DynamoDB is asked is written here once.
 */

/** One item by its key, or undefined; strongly consistent unless `consistent` is false. */
export const getItem = async <T>(
  { db, tableName }: Store,
  key: PrimaryKey,
  consistent = true,
): Promise<T | undefined> => {
  const { Item } = await db.send(
    new GetCommand({
      TableName: tableName,
      Key: key,
      ...(consistent ? { ConsistentRead: true } : {}),
    }),
  );
  return Item as T | undefined;
};

/**
 * The pages of one key query in key order (`extra`: a filter or `Select` of the caller's);
 * strongly consistent on the table (an index reads eventually consistent, as DynamoDB allows no
 * other). A caller that stops iterating reads no further page.
 */
export async function* queryPages(
  { db, tableName }: Store,
  query: KeyQuery,
  { consistent = true, extra = {} }: { consistent?: boolean; extra?: QueryExtra } = {},
) {
  const params = toQueryParams(query);
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: tableName,
        ...params,
        ...extra,
        ExpressionAttributeNames: {
          ...params.ExpressionAttributeNames,
          ...extra.ExpressionAttributeNames,
        },
        ...(consistent && !query.indexName ? { ConsistentRead: true } : {}),
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    yield page;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}

/** What a caller may add to a key query: a filter on the items read, or a count only. */
export interface QueryExtra {
  FilterExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  Select?: 'COUNT';
}

/** Every item of one key query, page by page (see {@link queryPages}). */
export const queryAll = async <T>(
  store: Store,
  query: KeyQuery,
  consistent = true,
): Promise<T[]> => {
  const items: T[] = [];
  for await (const page of queryPages(store, query, { consistent })) {
    items.push(...((page.Items ?? []) as T[]));
  }
  return items;
};
