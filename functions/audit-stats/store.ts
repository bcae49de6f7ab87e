import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGetByKey } from '../shared/data/batch-get.js';
import { keys, toQueryParams, type KeyQuery, type PrimaryKey } from '../shared/data/keys.js';
import { chinaYearBounds } from '../shared/domain/deadlines.js';
import {
  buildDutyRecord,
  monthsBetween,
  type DutyActivity,
  type DutyFinding,
  type DutyRecord,
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

const queryAll = async <T>(
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

/** `fn` over `items`, at most `limit` at a time, results in input order. */
const mapLimit = async <T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> => {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
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
  period: { from: string; to: string; street?: string; type?: string },
): Promise<PeriodStatistics> => {
  const scope = {
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
        (period.type === undefined || item.type === period.type),
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

interface InvitationRow {
  activityId: string;
  checkedInAt?: string;
  checkInMethod?: string;
  activity?: { title: string; type: string; street: string; startsAt: string };
}

interface ActivityRow {
  id: string;
  title: string;
  type: string;
  street: string;
  startsAt: string;
}

interface FindingRow {
  id: string;
  activityId: string;
  kind: string;
  category: string;
  recordedAt: string;
  needsReferral: boolean;
  decision?: { type: string };
  referralId?: string;
}

export interface DeputyProfile {
  id: string;
  name?: string;
  seats?: { level: string }[];
}

export const getDeputyProfile = (deps: ReadDeps, deputyId: string) =>
  getItem<DeputyProfile>(deps, keys.deputy(deputyId), ['id', 'name', 'seats']);

/**
 * A deputy's duty record for a year (in China time): the activities they checked in at (their invitations on
 * the ownership index, each activity by key), the findings they raised (the ownership index),
 * and the referrals those led to (by key). `street` narrows it to one street's activities
 * (an organiser scoped to a street sees only those).
 */
export const readDutyRecord = async (
  deps: ReadDeps,
  deputyId: string,
  year: number,
  street?: string,
): Promise<DutyRecord> => {
  const yearBounds = chinaYearBounds(year);
  const [invitations, findingRows] = await Promise.all([
    // Only what the record uses: a finding's description and place, an invitation's email
    // bookkeeping, are most of their bytes.
    queryAll<InvitationRow>(deps, keys.invitationsOfDeputyBetween(deputyId, yearBounds), [
      'activityId',
      'checkedInAt',
      'checkInMethod',
      'activity',
    ]),
    queryAll<FindingRow>(deps, keys.findingsOfDeputyBetween(deputyId, yearBounds), [
      'id',
      'activityId',
      'kind',
      'category',
      'recordedAt',
      'needsReferral',
      'decision',
      'referralId',
    ]),
  ]);
  const attended = invitations.filter((invitation) => invitation.checkedInAt);
  // The activities' fields come with the invitations (copied at scheduling); only the
  // activities of invitations older than that copy, and of findings at activities the deputy
  // was not invited to, are read (BatchGetItem, 100 keys a call).
  const copied = new Map<string, ActivityRow>(
    invitations.flatMap((i) =>
      i.activity ? [[i.activityId, { id: i.activityId, ...i.activity }]] : [],
    ),
  );
  const missing = [
    ...new Set([...attended.map((i) => i.activityId), ...findingRows.map((f) => f.activityId)]),
  ].filter((id) => !copied.has(id));
  const activityRows = await batchGetByKey<ActivityRow>(
    deps,
    missing.map((id) => [id, keys.activity(id)] as const),
    { attributes: ['id', 'title', 'type', 'street', 'startsAt'] },
  );
  const activitiesById = new Map(
    [...copied.values(), ...activityRows.values()]
      .filter((row) => street === undefined || row.street === street)
      .map((row) => [row.id, row]),
  );

  const activities: DutyActivity[] = attended.flatMap((invitation) => {
    const activity = activitiesById.get(invitation.activityId);
    if (!activity) return [];
    return [
      {
        activityId: activity.id,
        title: activity.title,
        type: activity.type,
        street: activity.street,
        startsAt: activity.startsAt,
        checkedInAt: invitation.checkedInAt!,
        checkInMethod: invitation.checkInMethod ?? null,
      },
    ];
  });
  const findings: DutyFinding[] = findingRows
    .filter((finding) => activitiesById.has(finding.activityId))
    .map((finding) => ({
      findingId: finding.id,
      activityId: finding.activityId,
      kind: finding.kind,
      category: finding.category,
      recordedAt: finding.recordedAt,
      needsReferral: finding.needsReferral,
      decision: finding.decision?.type ?? null,
      referralId: finding.referralId ?? null,
    }));
  const referralIds = [...new Set(findings.flatMap((f) => (f.referralId ? [f.referralId] : [])))];
  const referralsById = await batchGetByKey<ReferralFactsSource>(
    deps,
    referralIds.map((id) => [id, keys.referral(id)] as const),
    { attributes: REFERRAL_FACT_ATTRIBUTES },
  );
  // In the order the findings name them, as before.
  const referrals: DutyReferral[] = referralIds
    .flatMap((id) => {
      const row = referralsById.get(id);
      return row ? [row] : [];
    })
    // A draft the review dropped never left the chairmen's meeting: not an outcome.
    .filter((row) => row.status !== 'DRAFT')
    .map((row) => {
      const facts = referralFactsOf(row);
      return {
        referralId: row.id,
        departmentId: row.departmentId,
        status: row.status,
        result: facts.result,
        answeredAt: facts.answeredAt,
        answeredOnTime: row.outcome?.answeredOnTime ?? null,
      };
    });
  const known = new Set(referrals.map((r) => r.referralId));
  return buildDutyRecord({
    deputyId,
    year,
    activities,
    findings: findings.map((f) =>
      f.referralId && !known.has(f.referralId) ? { ...f, referralId: null } : f,
    ),
    referrals,
  });
};
