import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TransientError } from '../errors.js';
import type { PrimaryKey } from './keys.js';
import { chunk } from './transact.js';

/** BatchGetItem takes at most 100 keys a call. */
export const BATCH_GET_LIMIT = 100;
const MAX_ATTEMPTS = 5;

/** Projection of `attributes` (undefined: whole items). */
const projectionOf = (attributes: readonly string[] | undefined) =>
  attributes
    ? {
        ProjectionExpression: attributes.map((_, i) => `#a${i}`).join(', '),
        ExpressionAttributeNames: Object.fromEntries(attributes.map((name, i) => [`#a${i}`, name])),
      }
    : {};

/**
 * The items found for `keys` (distinct), 100 keys a call instead of one GetItem each: a page
 * that needs twenty items costs one round trip, not twenty. Unprocessed keys are retried with
 * backoff (a TransientError when they stay unprocessed).
 */
const batchGetItems = async (
  deps: { db: DynamoDBDocumentClient; tableName: string },
  keys: readonly PrimaryKey[],
  options: { attributes?: readonly string[] | undefined; consistentRead?: boolean | undefined },
): Promise<Record<string, unknown>[]> => {
  const projection = projectionOf(options.attributes);
  const items: Record<string, unknown>[] = [];
  for (const batch of chunk(keys, BATCH_GET_LIMIT)) {
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
      items.push(...(out.Responses?.[deps.tableName] ?? []));
      requestKeys = out.UnprocessedKeys?.[deps.tableName]?.Keys ?? [];
    }
  }
  return items;
};

/**
 * Items by primary key ({@link batchGetItems}). Each requested key carries a name of the
 * caller's (e.g. the referral id); the result maps those names to the items found, missing ones
 * absent. `attributes` narrows what is read (ProjectionExpression; the key attributes are
 * always read, to match items to their names).
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
  const found = new Map<string, T>();
  for (const item of await batchGetItems(deps, unique, { ...options, attributes })) {
    const name = names.get(slot(item as { pk: unknown; sk: unknown }));
    if (name !== undefined) found.set(name, item as T);
  }
  return found;
};

/**
 * Items of one entity by id (`keyOf` gives each id's key; each item holds its own `id`), mapped
 * by id; unknown ids are absent. `attributes` narrows what is read and must name `id`.
 */
export const batchGetByIds = async <T extends { id: string }>(
  deps: { db: DynamoDBDocumentClient; tableName: string },
  ids: readonly string[],
  keyOf: (id: string) => PrimaryKey,
  options: { attributes?: readonly string[]; consistentRead?: boolean } = {},
): Promise<Map<string, T>> => {
  const items = await batchGetItems(deps, [...new Set(ids)].map(keyOf), options);
  return new Map(items.map((item) => [(item as T).id, item as T]));
};
