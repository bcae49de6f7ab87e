import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGetByIds } from './batch-get.js';
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
  return batchGetByIds<Pick<DeputyItem, K | 'id'>>({ db, tableName }, ids, keys.deputy, {
    attributes: ['id', ...attributes],
  });
};
