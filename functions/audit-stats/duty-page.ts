import { keys } from '../shared/data/keys.js';
import { chinaYearBounds } from '../shared/domain/deadlines.js';
import { decodeCursor, encodeCursor, invalidCursor } from '../shared/data/cursor.js';
import type { DutyRecord } from './domain.js';
import type { DutyQuery } from './schemas.js';
import { readDutyPage, readDutySummary, type ReadDeps } from './store.js';

/**
 * The JSON duty record: the year's summary (the whole year, of the caller's street for a
 * street's organiser) and one page of its lists; `nextCursor` (opaque) fetches the next page,
 * absent on the last.
 */
export type DutyRecordPage = DutyRecord & { nextCursor?: string };

/**
 * The position a cursor holds must be a duty entry key of this deputy's year: with the
 * fingerprint (deputy, year, street scope, page size) that keeps an edited cursor inside what
 * this caller may read.
 */
const startKeyOf = (position: unknown, deputyId: string, year: number): Record<string, unknown> => {
  const { pk, sk } = (position ?? {}) as { pk?: unknown; sk?: unknown };
  const range = keys.dutyEntriesOfDeputyBetween(deputyId, chinaYearBounds(year)).sortKeyRange!;
  if (
    pk !== keys.dutySummary(deputyId, year).pk ||
    typeof sk !== 'string' ||
    sk < range.from ||
    sk > range.to
  ) {
    throw invalidCursor('not a position of this record');
  }
  return { pk, sk };
};

/**
 * `GET /audit/deputies/{id}/duty-record`: a summary GetItem, one page Query and one BatchGetItem
 * of that page's referrals, whatever the size of the deputy's year.
 */
export const readDutyRecordPage = async (
  deps: ReadDeps,
  deputyId: string,
  query: Pick<DutyQuery, 'year' | 'limit' | 'cursor'>,
  street: string | undefined,
): Promise<DutyRecordPage> => {
  const binding = { query: 'duty-record', deputyId, year: query.year, street: street ?? null };
  const start =
    query.cursor === undefined
      ? undefined
      : startKeyOf(decodeCursor(query.cursor, binding), deputyId, query.year);
  const [summary, page] = await Promise.all([
    readDutySummary(deps, { deputyId, year: query.year, street }),
    readDutyPage(deps, deputyId, query.year, {
      ...(street !== undefined ? { street } : {}),
      limit: query.limit,
      ...(start ? { start } : {}),
    }),
  ]);
  return {
    deputyId,
    year: query.year,
    summary,
    activities: page.activities,
    findings: page.findings,
    referrals: page.referrals,
    ...(page.next
      ? { nextCursor: encodeCursor(binding, { pk: page.next.pk, sk: page.next.sk }) }
      : {}),
  };
};
