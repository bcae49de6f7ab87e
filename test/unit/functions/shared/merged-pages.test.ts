import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { readMergedPage, type SortedSource } from '../../../../functions/shared/data/merged-pages';

const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const ddb = mockClient(db);

/** Forty sources, as GET /referrals merges two per committee; only the first holds items. */
const SOURCES: SortedSource[] = Array.from({ length: 40 }, (_, index) => ({
  id: `committee-${String(index).padStart(2, '0')}:OPEN`,
  query: {
    indexName: 'listing',
    partitionKeyName: 'listPk',
    partitionKey: `REFERRALS#committee-${index}`,
    sortKeyName: 'listSk',
    sortKeyPrefix: 'OPEN#',
  },
  startAfter: (sortKey: string) => ({ pk: sortKey, sk: 'REFERRAL', listPk: 'x', listSk: sortKey }),
}));
const ITEMS = ['OPEN#2026-01-01#a', 'OPEN#2026-02-01#b', 'OPEN#2026-03-01#c'].map((listSk) => ({
  listSk,
}));

const read = (positions: Record<string, string | true>) =>
  readMergedPage<{ listSk: string }>(
    { db, tableName: 'table' },
    { sources: SOURCES, positions, limit: 2, orderOf: (item) => item.listSk, maxQueries: 100 },
  );

describe('a page merged from many sorted sources', () => {
  beforeEach(() => {
    ddb.reset();
    ddb.on(QueryCommand).callsFake((input: { KeyConditionExpression?: string } & object) => {
      const values = (input as { ExpressionAttributeValues?: Record<string, unknown> })
        .ExpressionAttributeValues;
      if (!Object.values(values ?? {}).includes('REFERRALS#committee-0')) return { Items: [] };
      const after = (input as { ExclusiveStartKey?: { listSk: string } }).ExclusiveStartKey?.listSk;
      const rest = ITEMS.filter((item) => !after || item.listSk > after);
      return { Items: rest };
    });
  });

  it('keeps in its cursor only the sources that gave it something, so the cursor stays small', async () => {
    const first = await read({});
    expect(first.items.map((item) => item.listSk)).toEqual(ITEMS.slice(0, 2).map((i) => i.listSk));
    expect(first.more).toBe(true);
    // The 39 empty sources are read to their end and left out: read again, they give nothing.
    expect(first.positions).toEqual({ 'committee-00:OPEN': 'OPEN#2026-02-01#b' });

    const second = await read(first.positions);
    expect(second.items.map((item) => item.listSk)).toEqual(['OPEN#2026-03-01#c']);
    expect(second.more).toBe(false);
    expect(second.positions).toEqual({ 'committee-00:OPEN': true });
  });
});
