import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Store } from './activities.js';
import { toQueryParams, type KeyQuery } from './keys.js';

/**
 * Every item of one key query, page by page; strongly consistent on the table (an index reads
 * eventually consistent, as DynamoDB allows no other).
 */
export const queryAll = async <T>(
  { db, tableName }: Store,
  query: KeyQuery,
  consistent = true,
): Promise<T[]> => {
  const items: T[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: tableName,
        ...toQueryParams(query),
        ...(consistent && !query.indexName ? { ConsistentRead: true } : {}),
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...((page.Items ?? []) as T[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
};
