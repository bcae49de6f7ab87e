import {
  BatchGetCommand,
  BatchWriteCommand,
  GetCommand,
  QueryCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type {
  DepartmentKind,
  DepartmentLevel,
  FindingCategory,
  Street,
} from '../domain/reference.js';
import type { ANY_STREET } from '../domain/routing.js';
import { TransientError } from '../errors.js';
import type { DeputyItem } from './items.js';
import { keys, toQueryParams, type KeyQuery, type ListingKey, type PrimaryKey } from './keys.js';
import { queryAll } from './query.js';
import { chunk } from './transact.js';
import { decodeCursor, encodeCursor, invalidCursor } from './cursor.js';
import type { ResidualFilter } from './merged-pages.js';

/**
 * Reference data (issue 3): deputies, departments, committees (督办工委) and routing rules.
 *
 * Audit: every reference item is the head of its own hash-chained audit stream (`auditSeq`,
 * `auditHash` on the item, events under `keys.auditStreamOf…`), not one stream per kind. Writes
 * to different deputies never contend on one head item, an auditor reads one deputy's or one
 * department's history with one Query, and a tampered event breaks only that item's chain.
 * Items seeded as demo data start with an empty stream (`auditSeq: 0`, genesis hash): their
 * first change appends event 1.
 */

export interface Store {
  db: DynamoDBDocumentClient;
  tableName: string;
}

/** What every audited reference item carries besides its own fields. */
export interface AuditedHead {
  auditSeq: number;
  auditHash: string;
  /** The time the stream's last event carries (see data/audit.ts). */
  auditAt?: string;
  createdAt: string;
  updatedAt: string;
}

export type ReferenceDeputyItem = DeputyItem & AuditedHead;

export interface DepartmentItem extends PrimaryKey, ListingKey, AuditedHead {
  entity: 'DEPARTMENT';
  id: string;
  name: string;
  /** Where referrals are emailed (institutional addresses, not personal data). */
  emails: string[];
  categories: FindingCategory[];
  /** Missing on departments stored before kinds: `LOCAL`. */
  kind?: DepartmentKind;
  /** Missing on departments stored before levels: `DISTRICT` (DEFAULT_DEPARTMENT_LEVEL). */
  level?: DepartmentLevel;
  active: boolean;
}

export interface CommitteeItem extends PrimaryKey, ListingKey, AuditedHead {
  entity: 'COMMITTEE';
  id: string;
  name: string;
  emails: string[];
  active: boolean;
}

export interface RoutingRuleItem extends PrimaryKey, AuditedHead {
  entity: 'ROUTING_RULE';
  /** `<category>:<street or *>`, e.g. `DRAINAGE:*`, `ANCIENT_TREES:<street code>`. */
  id: string;
  category: FindingCategory;
  street: Street | typeof ANY_STREET;
  departmentId: string;
  active: boolean;
}

/** Makes deputy emails unique: one claim item per (lower-case) address. */
export interface DeputyEmailClaimItem extends PrimaryKey {
  entity: 'DEPUTY_EMAIL';
  deputyId: string;
}

export const routingRuleId = (category: string, street: string): string => `${category}:${street}`;

export const getItem = async <T>(
  { db, tableName }: Store,
  key: PrimaryKey,
): Promise<T | undefined> => {
  const { Item } = await db.send(
    new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
  );
  return Item as T | undefined;
};

// --- pages with an opaque cursor ---

export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` for the next page; absent on the last page. */
  nextCursor?: string;
}

const KEY_NAMES = new Set(['pk', 'sk', 'listPk', 'listSk']);

/**
 * The start key a cursor stands for. A cursor is bound (shared/data/cursor.ts) to the query and
 * to the scope of the caller it was made for, and its key must lie in the partition it came
 * from: a cursor of another list, filter or scope, or an edited one, is a 400 rather than a
 * DynamoDB error or another scope's page.
 */
export const decodeListCursor = (
  cursor: string,
  query: KeyQuery,
  binding: Record<string, unknown>,
): Record<string, string> => {
  const value = decodeCursor(cursor, binding);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidCursor('not a cursor of this query');
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.some(([name, member]) => !KEY_NAMES.has(name) || typeof member !== 'string')) {
    throw invalidCursor('not a cursor of this query');
  }
  const key = Object.fromEntries(entries) as Record<string, string>;
  const prefix = query.sortKeyPrefix ?? '';
  if (
    key[query.partitionKeyName] !== query.partitionKey ||
    !(key[query.sortKeyName] ?? '').startsWith(prefix) ||
    !key.pk ||
    !key.sk
  ) {
    throw invalidCursor('not a cursor of this query');
  }
  return key;
};

/**
 * One page of a key query, optionally only active (or only inactive) items. With a filter a
 * page may hold fewer than `limit` items while more follow: clients go on while there is a
 * `nextCursor`.
 */
export const queryPage = async <T>(
  { db, tableName }: Store,
  query: KeyQuery,
  options: {
    limit: number;
    cursor?: string | undefined;
    active?: boolean | undefined;
    /** Who reads (their scope): the cursor is bound to it, with the query and the filter. */
    scope: string;
    /** More conditions on what is read (never a key attribute), e.g. a deputy's street. */
    filter?: ResidualFilter | undefined;
  },
): Promise<Page<T>> => {
  const binding = {
    partition: query.partitionKey,
    prefix: query.sortKeyPrefix ?? null,
    active: options.active ?? null,
    scope: options.scope,
    ...(options.filter
      ? { filter: { expression: options.filter.expression, values: options.filter.values } }
      : {}),
  };
  const params = toQueryParams(query);
  const conditions = [
    ...(options.active === undefined ? [] : ['#active = :active']),
    // Joined with AND as it is: DynamoDB refuses redundant parentheses, so a filter with a
    // top-level OR brings its own.
    ...(options.filter ? [options.filter.expression] : []),
  ];
  const filter =
    conditions.length === 0
      ? {}
      : {
          FilterExpression: conditions.join(' AND '),
          ExpressionAttributeNames: {
            ...params.ExpressionAttributeNames,
            ...(options.active === undefined ? {} : { '#active': 'active' }),
            ...options.filter?.names,
          },
          ExpressionAttributeValues: {
            ...params.ExpressionAttributeValues,
            ...(options.active === undefined ? {} : { ':active': options.active }),
            ...options.filter?.values,
          },
        };
  const result = await db.send(
    new QueryCommand({
      TableName: tableName,
      ...params,
      ...filter,
      Limit: options.limit,
      ...(options.cursor
        ? { ExclusiveStartKey: decodeListCursor(options.cursor, query, binding) }
        : {}),
    }),
  );
  return {
    items: (result.Items ?? []) as T[],
    ...(result.LastEvaluatedKey
      ? { nextCursor: encodeCursor(binding, result.LastEvaluatedKey) }
      : {}),
  };
};

/** Every routing rule (one small partition, strongly consistent): what triage routes with. */
export const listRoutingRules = (store: Store): Promise<RoutingRuleItem[]> =>
  queryAll<RoutingRuleItem>(store, keys.routingRules());

const BATCH_GET_LIMIT = 100;
const BATCH_WRITE_LIMIT = 25;
const MAX_ATTEMPTS = 6;

const backoff = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));

/** Which of `emails` (lower-cased) are claimed already, and by which deputy. */
export const getEmailClaims = async (
  { db, tableName }: Store,
  emails: readonly string[],
): Promise<Map<string, string>> => {
  const claims = new Map<string, string>();
  const unique = [...new Set(emails.map((email) => email.trim().toLowerCase()))];
  for (const batch of chunk(unique, BATCH_GET_LIMIT)) {
    let requestKeys: Record<string, unknown>[] = batch.map((email) => ({
      ...keys.deputyEmail(email),
    }));
    for (let attempt = 1; requestKeys.length > 0; attempt++) {
      if (attempt > MAX_ATTEMPTS) {
        throw new TransientError('DynamoDB left email checks unprocessed after retries');
      }
      if (attempt > 1) await backoff(attempt);
      const result = await db.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName]: {
              Keys: requestKeys,
              ProjectionExpression: '#pk, #deputyId',
              ExpressionAttributeNames: { '#pk': 'pk', '#deputyId': 'deputyId' },
              ConsistentRead: true,
            },
          },
        }),
      );
      for (const item of result.Responses?.[tableName] ?? []) {
        const { pk, deputyId } = item as { pk: string; deputyId: string };
        claims.set(pk.slice(pk.indexOf('#') + 1), deputyId);
      }
      requestKeys = result.UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
  }
  return claims;
};

/**
 * Puts items with BatchWriteItem, 25 a call, unprocessed items retried with backoff. Callers
 * pass groups that must travel together (e.g. a deputy, its first audit event and its email
 * claim): a group never straddles two calls.
 */
export const batchPutGroups = async (
  { db, tableName }: Store,
  groups: readonly Record<string, unknown>[][],
): Promise<void> => {
  const batches: Record<string, unknown>[][] = [];
  let current: Record<string, unknown>[] = [];
  for (const group of groups) {
    if (group.length > BATCH_WRITE_LIMIT) throw new Error('A group exceeds one BatchWrite call');
    if (current.length + group.length > BATCH_WRITE_LIMIT) {
      batches.push(current);
      current = [];
    }
    current.push(...group);
  }
  if (current.length > 0) batches.push(current);

  for (const batch of batches) {
    let requests = batch.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 1; requests.length > 0; attempt++) {
      if (attempt > MAX_ATTEMPTS) {
        throw new TransientError('DynamoDB left reference writes unprocessed after retries');
      }
      if (attempt > 1) await backoff(attempt);
      const result = await db.send(
        new BatchWriteCommand({ RequestItems: { [tableName]: requests } }),
      );
      requests = (result.UnprocessedItems?.[tableName] ?? []) as typeof requests;
    }
  }
};
