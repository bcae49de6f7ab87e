import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TransientError } from '../errors.js';
import { chunk } from './transact.js';
import { keys } from './keys.js';
import type { DeputyItem } from './items.js';
import type { Language } from '../domain/reference.js';

/**
 * What an email to a deputy reads of the deputy: whom to greet, where to send, whether the
 * deputy is still active, and in which language to write.
 */
export const DEPUTY_EMAIL_FIELDS = ['name', 'email', 'active', 'language'] as const;

/** A deputy as an email to the deputy reads it (`DEPUTY_EMAIL_FIELDS`). */
export type DeputyRecipient = Pick<DeputyItem, 'id' | (typeof DEPUTY_EMAIL_FIELDS)[number]>;

/**
 * The language of a deputy's emails and calendar events: the deputy's own (an English-preferring
 * guest reads English), Chinese when the record names none, whatever the activity's language.
 */
export const deputyLanguageOf = (deputy: Pick<DeputyItem, 'language'>): Language =>
  deputy.language ?? 'zh';

const BATCH_GET_LIMIT = 100;
const MAX_ATTEMPTS = 5;

/**
 * Reads deputies by id (BatchGetItem, 100 a call, unprocessed keys retried with backoff).
 * `attributes` narrows what is read, so callers that only check existence never load
 * personal data. Returns a map by id; unknown ids are absent.
 */
export const getDeputies = async <K extends keyof DeputyItem>(
  { db, tableName }: { db: DynamoDBDocumentClient; tableName: string },
  ids: readonly string[],
  attributes: readonly K[],
): Promise<Map<string, Pick<DeputyItem, K | 'id'>>> => {
  const found = new Map<string, Pick<DeputyItem, K | 'id'>>();
  const projection = [...new Set<string>(['id', ...attributes])];
  const names = Object.fromEntries(projection.map((name, index) => [`#p${index}`, name]));

  for (const batch of chunk([...new Set(ids)], BATCH_GET_LIMIT)) {
    let requestKeys: Record<string, unknown>[] = batch.map((id) => ({ ...keys.deputy(id) }));
    for (let attempt = 1; requestKeys.length > 0; attempt++) {
      if (attempt > MAX_ATTEMPTS) {
        throw new TransientError('DynamoDB left deputy reads unprocessed after retries');
      }
      if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      const result = await db.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName]: {
              Keys: requestKeys,
              ProjectionExpression: Object.keys(names).join(', '),
              ExpressionAttributeNames: names,
            },
          },
        }),
      );
      for (const item of result.Responses?.[tableName] ?? []) {
        const deputy = item as Pick<DeputyItem, K | 'id'>;
        found.set(deputy.id, deputy);
      }
      requestKeys = result.UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
  }
  return found;
};
