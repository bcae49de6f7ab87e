import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { decodeCursor, encodeCursor, invalidCursor } from '../data/cursor.js';
import {
  checkPositions,
  readMergedPage,
  type Positions,
  type ResidualFilter,
  type SortedSource,
} from '../data/merged-pages.js';
import '../zod-locale.js'; // English zod messages: zod/mini loads no locale

/** What a list reads for one query: its sorted sources, their filter, what its cursor binds. */
export interface ListPlan {
  /** The query and scope a cursor is signed for: another query or scope cannot use it. */
  binding: Record<string, unknown>;
  sources: readonly SortedSource[];
  filter?: ResidualFilter | undefined;
}

/**
 * One page of a list merged from several sorted sources. The caller's cursor says where each
 * source stopped (checked against this query's sources: 400 otherwise); the answer's cursor,
 * when there is more, where the next page starts.
 */
export const readListPage = async <T extends Record<string, unknown>>(
  deps: { db: DynamoDBDocumentClient; tableName: string },
  plan: ListPlan,
  page: { cursor?: string | undefined; limit: number },
  read: {
    orderOf: (item: T) => string;
    /** How long a source's id may be in a cursor. */
    sourceIdLength: number;
    maxQueries?: number;
  },
): Promise<{ items: T[]; nextCursor?: string }> => {
  let positions: Positions = {};
  if (page.cursor) {
    const parsed = z
      .record(
        z.string().check(z.maxLength(read.sourceIdLength)),
        z.union([z.string(), z.literal(true)]),
      )
      .safeParse(decodeCursor(page.cursor, plan.binding));
    if (!parsed.success) throw invalidCursor('not a cursor of this query');
    positions = parsed.data;
    // Sources are deactivated, never deleted: every position still names a source. One added
    // since the first page has no position and is read from its start.
    checkPositions(plan.sources, positions);
  }
  const merged = await readMergedPage<T>(deps, {
    sources: plan.sources,
    positions,
    limit: page.limit,
    ...(plan.filter ? { filter: plan.filter } : {}),
    orderOf: read.orderOf,
    ...(read.maxQueries === undefined ? {} : { maxQueries: read.maxQueries }),
  });
  return {
    items: merged.items,
    ...(merged.more ? { nextCursor: encodeCursor(plan.binding, merged.positions) } : {}),
  };
};

/**
 * A list's residual filter, built condition by condition: every attribute and value goes in
 * as a placeholder (`#f_…`, `:f_…`), never into the expression itself.
 */
export const residualFilter = () => {
  const conditions: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  return {
    names,
    values,
    /** `attribute` equals `value`. */
    equals: (attribute: string, value: string) => {
      names[`#f_${attribute}`] = attribute;
      values[`:f_${attribute}`] = value;
      conditions.push(`#f_${attribute} = :f_${attribute}`);
    },
    /** Another condition, over the placeholders it set in `names` and `values`. */
    add: (condition: string) => {
      conditions.push(condition);
    },
    /** The filter of all conditions, none when there are none. */
    done: (): { filter?: ResidualFilter } =>
      conditions.length ? { filter: { expression: conditions.join(' AND '), names, values } } : {},
  };
};
