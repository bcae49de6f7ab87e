import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGetByKey } from '../shared/data/batch-get.js';
import { mapLimit } from '../shared/map-limit.js';
import { keys, toQueryParams, type KeyQuery, type PrimaryKey } from '../shared/data/keys.js';
import { chinaYearBounds, dueDateOf } from '../shared/domain/deadlines.js';
import { OPEN_REFERRALS_ATTRIBUTE, outcomeCounts, referralIdsOf, type DutyEntry } from './duty.js';
import {
  buildDutyRecord,
  dutySummaryFromCounts,
  monthsBetween,
  type DutyActivity,
  type DutyFinding,
  type DutyRecord,
  type DutySummary,
  type DutyReferral,
  type PeriodStatistics,
  statisticsFromRollup,
} from './domain.js';
import { referralFactsOf, type ReferralFactsSource, type ReferralStatsItem } from './items.js';
import { emptyRollup, mergeRollup, referralContribution, rollupOfItem } from './rollups.js';

/**
 * Reads of the audit statistics and duty records: Query on key partitions (the statistics
 * rollups, the open referrals' listing, the ownership index of a deputy) and GetItem by key.
 * Never a Scan.
 */
export interface ReadDeps {
  db: DynamoDBDocumentClient;
  tableName: string;
}

/** `ProjectionExpression` of top-level attributes, merged into the query's names. */
const projectionOf = (params: ReturnType<typeof toQueryParams>, attributes: readonly string[]) => ({
  ...params,
  ProjectionExpression: attributes.map((_, i) => `#p${i}`).join(', '),
  ExpressionAttributeNames: {
    ...params.ExpressionAttributeNames,
    ...Object.fromEntries(attributes.map((name, i) => [`#p${i}`, name])),
  },
});

/** Every item of a key query, page by page (optionally only `attributes`). */
export const queryAll = async <T>(
  deps: ReadDeps,
  query: KeyQuery,
  attributes?: readonly string[],
): Promise<T[]> => {
  const items: T[] = [];
  let startKey: Record<string, unknown> | undefined;
  const params = attributes ? projectionOf(toQueryParams(query), attributes) : toQueryParams(query);
  do {
    const page = await deps.db.send(
      new QueryCommand({
        TableName: deps.tableName,
        ...params,
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...((page.Items ?? []) as T[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
};

const getItem = async <T>(
  deps: ReadDeps,
  key: PrimaryKey,
  attributes?: readonly string[],
): Promise<T | undefined> => {
  const projection = attributes
    ? {
        ProjectionExpression: attributes.map((_, i) => `#a${i}`).join(', '),
        ExpressionAttributeNames: Object.fromEntries(attributes.map((name, i) => [`#a${i}`, name])),
      }
    : {};
  const { Item } = await deps.db.send(
    new GetCommand({ TableName: deps.tableName, Key: key, ...projection }),
  );
  return Item as T | undefined;
};

const REFERRAL_FACT_ATTRIBUTES = [
  'id',
  'activityId',
  'departmentId',
  'status',
  'dispatchedAt',
  'sent',
  'emails',
  'acknowledgedAt',
  'overdueAt',
  'repliedAt',
  'reply',
  'returned',
  'routing',
  'outcome',
  'closedAt',
  'dueDate',
  'dueAt',
] as const;

/** The last day (`YYYY-MM-DD`) of a month `YYYY-MM`. */
const lastDayOf = (month: string): string => {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return `${month}-${String(new Date(Date.UTC(year, m, 0)).getUTCDate()).padStart(2, '0')}`;
};

/**
 * Statistics of the activities that started within `from`..`to` (China dates), optionally of
 * one street and one type, from the rollups of that scope: a month the period covers whole is
 * one GetItem of its month rollup, a month it covers in part one Query of its day rollups (at
 * most 31), so the cost depends on the period, not on how many activities it holds. The
 * referrals not yet closed are not in the rollups: they are listed by month (`STATS_OPEN#`) and
 * their facts read from the referrals themselves (BatchGetItem), as they stand now.
 */
export const readStatistics = async (
  deps: ReadDeps,
  period: { from: string; to: string; street?: string; type?: string; campaign?: string },
): Promise<PeriodStatistics> => {
  // A campaign's rollups hold every activity of the campaign: it is read alone, as a scope.
  const scope =
    period.campaign !== undefined
      ? { campaign: period.campaign }
      : {
          ...(period.street !== undefined ? { street: period.street } : {}),
          ...(period.type !== undefined ? { type: period.type } : {}),
        };
  const spans = monthsBetween(period.from, period.to).map((month) => {
    const first = `${month}-01`;
    const last = lastDayOf(month);
    return {
      month,
      from: period.from > first ? period.from : first,
      to: period.to < last ? period.to : last,
      whole: period.from <= first && period.to >= last,
    };
  });
  // The open referrals before the rollups: a referral that closes between the two reads is
  // then counted twice in this one answer (listed open, and in the rollup), never left out.
  const parts = await mapLimit(spans, 6, async (span) => {
    const open = await queryAll<ReferralStatsItem>(
      deps,
      keys.openReferralStatsOfDays(span.from, span.to),
    );
    const rollups = span.whole
      ? await getItem<Record<string, unknown>>(deps, keys.statsRollup(scope, span.month)).then(
          (item) => (item ? [item] : []),
        )
      : await queryAll<Record<string, unknown>>(
          deps,
          keys.statsRollupDays(scope, span.from, span.to),
        );
    return { rollups, open };
  });
  const rollup = emptyRollup();
  for (const item of parts.flatMap((part) => part.rollups)) mergeRollup(rollup, rollupOfItem(item));

  // A closed referral's listing may linger when the completion wrote after the close; its
  // facts are in the rollups already.
  const open = parts
    .flatMap((part) => part.open)
    .filter(
      (item) =>
        item.entity === 'STATS_REFERRAL' &&
        item.closed !== true &&
        (period.street === undefined || item.street === period.street) &&
        (period.type === undefined || item.type === period.type) &&
        (period.campaign === undefined || item.campaignId === period.campaign),
    );
  const live = await batchGetByKey<ReferralFactsSource>(
    deps,
    open.map((item) => [item.referralId, keys.referral(item.referralId)] as const),
    { attributes: REFERRAL_FACT_ATTRIBUTES },
  );
  for (const item of open) {
    const current = live.get(item.referralId);
    mergeRollup(rollup, referralContribution(current ? referralFactsOf(current) : item));
  }
  return statisticsFromRollup(
    {
      from: period.from,
      to: period.to,
      street: period.street ?? null,
      type: period.type ?? null,
    },
    rollup,
  );
};

/** One deputy's duty year (China calendar), all of it or what one street's organiser may read. */
export interface DutyYear {
  deputyId: string;
  year: number;
  street?: string | undefined;
}

export interface DeputyProfile {
  id: string;
  name?: string;
  seats?: { level: string }[];
}

export const getDeputyProfile = (deps: ReadDeps, deputyId: string) =>
  getItem<DeputyProfile>(deps, keys.deputy(deputyId), ['id', 'name', 'seats']);

/** One page of a deputy's duty entries: the activities they took part in, in start order. */
export interface DutyPage {
  activities: DutyActivity[];
  findings: DutyFinding[];
  referrals: DutyReferral[];
  /** Where the next page starts (a LastEvaluatedKey), absent on the last page. */
  next?: Record<string, unknown>;
}

/**
 * A page of a deputy's duty entries of a year (functions/audit-stats/duty.ts): one Query of at
 * most `limit` entries (fewer when `street` filters some out), and one BatchGetItem of the
 * referrals they led to, read live (their status moves on after the activity completed).
 */
export const readDutyPage = async (
  deps: ReadDeps,
  deputyId: string,
  year: number,
  options: { street?: string; limit: number; start?: Record<string, unknown> },
): Promise<DutyPage> => {
  const params = toQueryParams(keys.dutyEntriesOfDeputyBetween(deputyId, chinaYearBounds(year)));
  const page = await deps.db.send(
    new QueryCommand({
      TableName: deps.tableName,
      ...params,
      ...(options.street !== undefined
        ? {
            FilterExpression: '#street = :street',
            ExpressionAttributeNames: { ...params.ExpressionAttributeNames, '#street': 'street' },
            ExpressionAttributeValues: {
              ...params.ExpressionAttributeValues,
              ':street': options.street,
            },
          }
        : {}),
      // One more than the page: a full page that ends the year then says so (no cursor to an
      // empty page), where DynamoDB's LastEvaluatedKey would not know.
      Limit: options.limit + 1,
      ...(options.start ? { ExclusiveStartKey: options.start } : {}),
    }),
  );
  const items = (page.Items ?? []) as (DutyEntry & { pk: string; sk: string })[];
  const entries = items.slice(0, options.limit);
  const last = entries.at(-1);
  const next =
    items.length > options.limit && last ? { pk: last.pk, sk: last.sk } : page.LastEvaluatedKey;
  const referralIds = [...new Set(entries.flatMap(referralIdsOf))];
  const referralsById = await batchGetByKey<ReferralFactsSource>(
    deps,
    referralIds.map((id) => [id, keys.referral(id)] as const),
    { attributes: REFERRAL_FACT_ATTRIBUTES },
  );
  return {
    activities: entries.flatMap((entry) =>
      entry.attended && entry.checkedInAt
        ? [
            {
              activityId: entry.activityId,
              title: entry.title,
              type: entry.type,
              street: entry.street,
              startsAt: entry.startsAt,
              checkedInAt: entry.checkedInAt,
              checkInMethod: entry.checkInMethod,
            },
          ]
        : [],
    ),
    findings: entries.flatMap((entry) => entry.findings),
    referrals: referralIds.flatMap((id) => {
      const row = referralsById.get(id);
      if (!row) return [];
      const facts = referralFactsOf(row);
      return [
        {
          referralId: row.id,
          departmentId: row.departmentId,
          status: row.status,
          result: facts.result,
          answeredAt: facts.answeredAt,
          answeredOnTime: row.outcome?.answeredOnTime ?? null,
          dueDate: row.dueDate || row.dueAt ? dueDateOf(row) : null,
        },
      ];
    }),
    ...(next ? { next } : {}),
  };
};

/**
 * The summary of a deputy's duty year (of one street for a street's organiser): one GetItem of
 * its counters, and the referrals whose outcome was not known at completion, read live.
 */
export const readDutySummary = async (
  deps: ReadDeps,
  { deputyId, year, street }: DutyYear,
): Promise<DutySummary> => {
  const item = await getItem<Record<string, unknown>>(
    deps,
    keys.dutySummary(deputyId, year, street),
  );
  const counts: Record<string, number> = {};
  for (const [name, value] of Object.entries(item ?? {})) {
    if (typeof value === 'number' && name.includes('#')) counts[name] = value;
  }
  const stored = item?.[OPEN_REFERRALS_ATTRIBUTE];
  const open =
    stored instanceof Set || Array.isArray(stored)
      ? [...(stored as Iterable<unknown>)].filter((id): id is string => typeof id === 'string')
      : [];
  const live = await batchGetByKey<ReferralFactsSource>(
    deps,
    open.map((id) => [id, keys.referral(id)] as const),
    { attributes: REFERRAL_FACT_ATTRIBUTES },
  );
  for (const referral of live.values()) {
    for (const [name, by] of Object.entries(outcomeCounts(referralFactsOf(referral)))) {
      counts[name] = (counts[name] ?? 0) + by;
    }
  }
  return dutySummaryFromCounts(counts);
};

/**
 * A deputy's whole duty year, for the exports (CSV, the draft duty report): every page of
 * entries, 100 at a time, summed up from the very lists it holds.
 */
export const readDutyRecord = async (
  deps: ReadDeps,
  { deputyId, year, street }: DutyYear,
): Promise<DutyRecord> => {
  const pages: DutyPage[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await readDutyPage(deps, deputyId, year, {
      ...(street !== undefined ? { street } : {}),
      limit: 100,
      ...(start ? { start } : {}),
    });
    pages.push(page);
    start = page.next;
  } while (start);
  return buildDutyRecord({
    deputyId,
    year,
    activities: pages.flatMap((page) => page.activities),
    findings: pages.flatMap((page) => page.findings),
    referrals: [
      ...new Map(
        pages.flatMap((page) => page.referrals).map((referral) => [referral.referralId, referral]),
      ).values(),
    ],
  });
};

/**
 * The names of departments by id, for exports people read (one BatchGetItem of at most a few
 * dozen items; a department no longer on file is left out and shows its id).
 */
export const departmentNamesOf = async (
  deps: ReadDeps,
  departmentIds: Iterable<string>,
): Promise<Map<string, string>> => {
  const ids = [...new Set(departmentIds)].filter((id) => id !== 'TOTAL');
  const found = await batchGetByKey<{ name?: unknown }>(
    deps,
    ids.map((id) => [id, keys.department(id)] as const),
    { attributes: ['name'] },
  );
  return new Map(
    [...found].flatMap(([id, item]) => (typeof item.name === 'string' ? [[id, item.name]] : [])),
  );
};
