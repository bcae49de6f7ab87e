import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { invalidCursor } from './cursor.js';
import { toQueryParams, type KeyQuery } from './keys.js';

/**
 * One page of items read from several sorted partitions (index or table) at once, in one order
 * across them: a k-way merge. Each source is a {@link KeyQuery}; a page reads each source only
 * as far as the merge needs, so its cost follows the page size, not the size of the partitions.
 *
 * A position per source says how far it has been consumed (the sort key of the last item
 * returned or filtered out; `true` when read to its end; absent when not started), so the next
 * page starts each source right after it. The positions go into a signed cursor
 * (functions/shared/http/cursor.ts) and are checked against the query's own partitions and
 * ranges ({@link checkPositions}), so an edited cursor can never reach another partition.
 */

export interface SortedSource {
  /** Names the source in the positions (e.g. a status). */
  id: string;
  query: KeyQuery;
  /** The ExclusiveStartKey (table and index key) that resumes right after `sortKey`. */
  startAfter: (sortKey: string) => Record<string, string>;
}

/** The sort key of the last item consumed, or `true`: the source is read to its end. */
export type SourcePosition = string | true;
export type Positions = Record<string, SourcePosition>;

export interface ResidualFilter {
  expression: string;
  names: Record<string, string>;
  values: Record<string, unknown>;
}

export interface MergedPageRequest<T> {
  sources: readonly SortedSource[];
  positions: Positions;
  limit: number;
  /** Applied by DynamoDB to what each Query reads (it never names a key attribute). */
  filter?: ResidualFilter;
  /** The merge order: a string that sorts the same way in every source. */
  orderOf: (item: T) => string;
  /** At most this many Query calls for one page; a page may come short, with a cursor. */
  maxQueries?: number;
}

export interface MergedPage<T> {
  items: T[];
  positions: Positions;
  /** Whether some source has more to read (the caller then returns a cursor). */
  more: boolean;
}

const MAX_KEY_LENGTH = 400;

/** 400 unless every position names a source of this query and lies in that source's range. */
export const checkPositions = (sources: readonly SortedSource[], positions: Positions): void => {
  const byId = new Map(sources.map((source) => [source.id, source]));
  for (const [id, position] of Object.entries(positions)) {
    const source = byId.get(id);
    if (!source) throw invalidCursor('not a cursor of this query');
    if (position === true) continue;
    const { sortKeyPrefix, sortKeyRange } = source.query;
    const inRange =
      position.length > 0 &&
      position.length <= MAX_KEY_LENGTH &&
      (sortKeyPrefix === undefined || position.startsWith(sortKeyPrefix)) &&
      (sortKeyRange === undefined ||
        (position >= sortKeyRange.from && position <= sortKeyRange.to));
    if (!inRange) throw invalidCursor('not a cursor of this query');
    try {
      source.startAfter(position);
    } catch {
      throw invalidCursor('not a cursor of this query');
    }
  }
};

interface SourceState<T> {
  source: SortedSource;
  buffer: T[];
  /** Where the next Query starts (after this sort key). */
  scanFrom?: string;
  exhausted: boolean;
  consumed?: SourcePosition;
}

export const readMergedPage = async <T extends Record<string, unknown>>(
  deps: { db: DynamoDBDocumentClient; tableName: string },
  request: MergedPageRequest<T>,
): Promise<MergedPage<T>> => {
  const maxQueries = request.maxQueries ?? 25;
  const states: SourceState<T>[] = request.sources.map((source) => {
    const position = request.positions[source.id];
    return {
      source,
      buffer: [],
      exhausted: position === true,
      ...(position !== undefined ? { consumed: position } : {}),
      ...(typeof position === 'string' ? { scanFrom: position } : {}),
    };
  });
  const items: T[] = [];
  let queries = 0;

  const fetch = async (state: SourceState<T>) => {
    queries += 1;
    const params = toQueryParams(state.source.query);
    const room = request.limit - items.length;
    const filter = request.filter;
    const out = await deps.db.send(
      new QueryCommand({
        TableName: deps.tableName,
        ...params,
        ExpressionAttributeNames: { ...params.ExpressionAttributeNames, ...filter?.names },
        ExpressionAttributeValues: { ...params.ExpressionAttributeValues, ...filter?.values },
        ...(filter ? { FilterExpression: filter.expression } : {}),
        // With a filter some items read are dropped: read more per call, within reason.
        Limit: Math.max(1, Math.min(100, filter ? room * 4 : room)),
        ...(state.scanFrom ? { ExclusiveStartKey: state.source.startAfter(state.scanFrom) } : {}),
      }),
    );
    state.buffer.push(...((out.Items ?? []) as T[]));
    const last = out.LastEvaluatedKey?.[state.source.query.sortKeyName];
    if (typeof last === 'string') state.scanFrom = last;
    else state.exhausted = true;
  };

  while (items.length < request.limit) {
    const empty = states.filter((state) => !state.exhausted && state.buffer.length === 0);
    if (empty.length > 0) {
      if (queries + empty.length > maxQueries) break;
      await Promise.all(empty.map(fetch));
      continue;
    }
    let next: SourceState<T> | undefined;
    for (const state of states) {
      if (state.buffer.length === 0) continue;
      if (!next || request.orderOf(state.buffer[0]!) < request.orderOf(next.buffer[0]!)) {
        next = state;
      }
    }
    if (!next) break;
    const item = next.buffer.shift()!;
    items.push(item);
    next.consumed = String(item[next.source.query.sortKeyName]);
  }

  const positions: Positions = {};
  for (const state of states) {
    // A source with items still buffered resumes after the last one returned; an emptied one
    // after the last key read (what lay between was filtered out).
    const position =
      state.buffer.length > 0
        ? state.consumed
        : state.exhausted
          ? true
          : (state.scanFrom ?? state.consumed);
    // A source read to its end without giving this query an item (most committees have no
    // referral in a period) is left out rather than marked done: read again from its start it
    // gives nothing again, and the cursor stays small however many sources the query merges.
    if (position === true && state.consumed === undefined) continue;
    if (position !== undefined) positions[state.source.id] = position;
  }
  const more = states.some((state) => state.buffer.length > 0 || !state.exhausted);
  return { items, positions, more };
};
