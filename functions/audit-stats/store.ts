import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGetByKey } from '../shared/data/batch-get.js';
import { keys, toQueryParams, type KeyQuery, type PrimaryKey } from '../shared/data/keys.js';
import { chinaYearBounds } from '../shared/domain/deadlines.js';
import {
  aggregateStatistics,
  buildDutyRecord,
  monthsBetween,
  type DutyActivity,
  type DutyFinding,
  type DutyRecord,
  type DutyReferral,
  type PeriodStatistics,
} from './domain.js';
import {
  referralFactsOf,
  type ActivityStatsItem,
  type ReferralFactsSource,
  type ReferralStatsItem,
} from './items.js';

/**
 * Reads of the audit statistics and duty records: Query on key partitions (`STATS#<month>`,
 * the ownership index of a deputy) and GetItem by key. Never a Scan.
 */
export interface ReadDeps {
  db: DynamoDBDocumentClient;
  tableName: string;
}

const queryAll = async <T>(deps: ReadDeps, query: KeyQuery): Promise<T[]> => {
  const items: T[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await deps.db.send(
      new QueryCommand({
        TableName: deps.tableName,
        ...toQueryParams(query),
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

/**
 * Statistics of the activities that started within `from`..`to` (China dates), optionally of
 * one street: one Query per month partition; the facts of a referral not yet closed are read
 * from the referral itself (GetItem), as they stand now.
 */
export const readStatistics = async (
  deps: ReadDeps,
  period: { from: string; to: string; street?: string; type?: string },
): Promise<PeriodStatistics> => {
  const inPeriod = (item: { date: string; street: string }) =>
    item.date >= period.from &&
    item.date <= period.to &&
    (period.street === undefined || item.street === period.street);
  const months = monthsBetween(period.from, period.to);
  const parts = await mapLimit(months, 6, (month) =>
    queryAll<ActivityStatsItem | ReferralStatsItem>(deps, keys.statsOfMonth(month)),
  );
  const items = parts.flat().filter(inPeriod);
  const activities = items.filter(
    (item): item is ActivityStatsItem =>
      item.entity === 'STATS_ACTIVITY' && (period.type === undefined || item.type === period.type),
  );
  // A referral's item lies in the month partition of its activity's start, so the activities
  // just read are all the referrals of the period can belong to.
  const activityIds = new Set(activities.map((activity) => activity.activityId));
  const referralItems = items.filter(
    (item): item is ReferralStatsItem =>
      item.entity === 'STATS_REFERRAL' &&
      (period.type === undefined || activityIds.has(item.activityId)),
  );
  const open = referralItems.filter((item) => !item.closed);
  const live = await batchGetByKey<ReferralFactsSource>(
    deps,
    open.map((item) => [item.referralId, keys.referral(item.referralId)] as const),
    { attributes: REFERRAL_FACT_ATTRIBUTES },
  );
  const referrals = referralItems.map((item) => {
    const current = item.closed ? undefined : live.get(item.referralId);
    return current ? referralFactsOf(current) : item;
  });
  return aggregateStatistics({
    period: {
      from: period.from,
      to: period.to,
      street: period.street ?? null,
      type: period.type ?? null,
    },
    activities,
    referrals,
  });
};

interface InvitationRow {
  activityId: string;
  checkedInAt?: string;
  checkInMethod?: string;
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
    queryAll<InvitationRow>(deps, keys.invitationsOfDeputyBetween(deputyId, yearBounds)),
    queryAll<FindingRow>(deps, keys.findingsOfDeputyBetween(deputyId, yearBounds)),
  ]);
  const attended = invitations.filter((invitation) => invitation.checkedInAt);
  const activityIds = [
    ...new Set([...attended.map((i) => i.activityId), ...findingRows.map((f) => f.activityId)]),
  ];
  // One BatchGetItem per 100 activities: a busy deputy's year is a few round trips, not one
  // GetItem per activity (bench/audit-latency.bench.ts).
  const activityRows = await batchGetByKey<ActivityRow>(
    deps,
    activityIds.map((id) => [id, keys.activity(id)] as const),
    { attributes: ['id', 'title', 'type', 'street', 'startsAt'] },
  );
  const activitiesById = new Map(
    [...activityRows.values()]
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
