import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TransientError } from '../errors.js';
import type { PrimaryKey } from './keys.js';
import { chunk } from './transact.js';

/** BatchGetItem takes at most 100 keys a call. */
export const BATCH_GET_LIMIT = 100;
const MAX_ATTEMPTS = 5;

/**
 * Items by primary key, 100 keys a call instead of one GetItem each: a page that needs twenty
 * items costs one round trip, not twenty. Each requested key carries a name of the caller's
 * (e.g. the referral id); the result maps those names to the items found, missing ones absent.
 * Unprocessed keys are retried with backoff (a TransientError when they stay unprocessed).
 * `attributes` narrows what is read (ProjectionExpression; the key attributes are always read,
 * to match items to their names).
 */
export const batchGetByKey = async <T = Record<string, unknown>>(
  deps: { db: DynamoDBDocumentClient; tableName: string },
  requested: readonly (readonly [name: string, key: PrimaryKey])[],
  options: { attributes?: readonly string[]; consistentRead?: boolean } = {},
): Promise<Map<string, T>> => {
  const slot = (key: { pk: unknown; sk: unknown }) => `${String(key.pk)}\u0000${String(key.sk)}`;
  const names = new Map(requested.map(([name, key]) => [slot(key), name]));
  const unique = [...new Map(requested.map(([, key]) => [slot(key), key])).values()];
  const attributes = options.attributes
    ? [...new Set(['pk', 'sk', ...options.attributes])]
    : undefined;
  const projection = attributes
    ? {
        ProjectionExpression: attributes.map((_, i) => `#a${i}`).join(', '),
        ExpressionAttributeNames: Object.fromEntries(attributes.map((name, i) => [`#a${i}`, name])),
      }
    : {};
  const found = new Map<string, T>();
  for (const batch of chunk(unique, BATCH_GET_LIMIT)) {
    let requestKeys: Record<string, unknown>[] = batch.map((key) => ({ pk: key.pk, sk: key.sk }));
    for (let attempt = 1; requestKeys.length > 0; attempt++) {
      if (attempt > MAX_ATTEMPTS) {
        throw new TransientError('DynamoDB left reads unprocessed after retries');
      }
      if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
      const out = await deps.db.send(
        new BatchGetCommand({
          RequestItems: {
            [deps.tableName]: {
              Keys: requestKeys,
              ...projection,
              ...(options.consistentRead ? { ConsistentRead: true } : {}),
            },
          },
        }),
      );
      for (const item of out.Responses?.[deps.tableName] ?? []) {
        const name = names.get(slot(item as { pk: unknown; sk: unknown }));
        if (name !== undefined) found.set(name, item as T);
      }
      requestKeys = out.UnprocessedKeys?.[deps.tableName]?.Keys ?? [];
    }
  }
  return found;
};
