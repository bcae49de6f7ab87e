// Integration test on the local cloud (DynamoDB Local, the HTTP API): a month of statistics items
// as tables held them before the rollups existed (no rollups, open referrals not listed, no type
// on referral items), then scripts/backfill-stats-rollups.ts, then the statistics query: whole
// month, street, type, both, some days; a referral still open read live; a second run and
// `check` find nothing to do; a rollup altered by hand is found by `check` and repaired.
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { aggregateStatistics, type PeriodStatistics } from '../../functions/audit-stats/domain';
import {
  activityStatsItem,
  referralFactsOf,
  type ActivityStatsItem,
  type ReferralFacts,
  type ReferralFactsSource,
} from '../../functions/audit-stats/items';
import { keys } from '../../functions/shared/data/keys';
import { backfillStatsRollups } from '../../scripts/backfill-stats-rollups';
import { rawItem } from './support/activity';
import { api } from './support/api';
import { ddbDoc } from './support/aws';
import { tableName } from './support/cloud';

const RUN = Date.now().toString(36);
// A month of its own, decades ahead: no other suite writes statistics there.
const YEAR = 2060 + Math.floor(Math.random() * 39);
const MONTH = `${YEAR}-${String(1 + Math.floor(Math.random() * 12)).padStart(2, '0')}`;
const LAST_DAY = new Date(Date.UTC(YEAR, Number(MONTH.slice(5)), 0)).getUTCDate();
const WATER = `dept-bf-water-${RUN}`;
const ROADS = `dept-bf-roads-${RUN}`;
const auditor = api({ role: 'auditor', sub: `aud-bf-${RUN}` });

/** 10:00 in China on day `d` of the month. */
const at = (d: number, hours = 0) =>
  new Date(
    Date.parse(`${MONTH}-${String(d).padStart(2, '0')}T10:00:00+08:00`) + hours * 3_600_000,
  ).toISOString();

const activity = (
  n: number,
  day: number,
  street: string,
  type: string,
  options: { referralIds: string[]; stations?: string[]; consultations?: number },
): ActivityStatsItem =>
  activityStatsItem({
    activity: {
      id: `act-bf-${RUN}-${n}`,
      type,
      street,
      startsAt: at(day),
      ...(options.stations ? { details: { liaisonStations: options.stations } } : {}),
      ...(options.consultations !== undefined
        ? {
            communityCounts: { consultationsAnswered: options.consultations, residentsReceived: n },
          }
        : {}),
    },
    report: {
      personTimes: { byLevel: { DISTRICT: n + 1, TOWN: n }, total: n + 1 },
      findings: {
        total: 2,
        byKind: { PROBLEM: 1, SUGGESTION: 1 },
        byCategory: { TRANSPORT: 1, OTHER: 1 },
        referred: options.referralIds.length,
      },
      referrals: { byDepartment: options.referralIds.map((referralId) => ({ referralId })) },
    },
    completedAt: at(day, 72),
  });

const activities = [
  activity(1, 3, 'HONGSHAN', 'RECEPTION_DAY', {
    referralIds: [`ref-bf-${RUN}-1`],
    stations: ['红山人大代表联络站', '新龙人大代表联络站'],
  }),
  activity(2, 3, 'HONGSHAN', 'COMMUNITY_VISIT', {
    referralIds: [`ref-bf-${RUN}-2`],
    consultations: 12,
  }),
  activity(3, 17, 'XIAGANG', 'RECEPTION_DAY', {
    referralIds: [`ref-bf-${RUN}-3`],
    stations: ['新龙人大代表联络站'],
  }),
];

const referral = (
  n: number,
  act: ActivityStatsItem,
  departmentId: string,
  fields: Partial<ReferralFactsSource>,
): ReferralFactsSource => ({
  id: `ref-bf-${RUN}-${n}`,
  activityId: act.activityId,
  departmentId,
  status: 'DISPATCHED',
  dispatchedAt: act.completedAt,
  sent: { at: act.completedAt },
  ...fields,
});

// 1: closed, resolved and rated; 3: closed after WATER returned it to ROADS; 2: still open.
const closedOne = referral(1, activities[0]!, WATER, {
  status: 'CLOSED',
  acknowledgedAt: at(5),
  repliedAt: at(9, 6),
  outcome: {
    result: 'RESOLVED',
    answeredAt: at(9, 6),
    answeredOnTime: true,
    ratings: { SATISFIED: 1 },
  },
  closedAt: at(12),
});
const closedThree = referral(3, activities[2]!, ROADS, {
  status: 'CLOSED',
  routing: [{ departmentId: WATER }, { departmentId: ROADS }],
  outcome: {
    result: 'EXPLAINED',
    answeredAt: at(28),
    answeredOnTime: false,
    ratings: { NOT_SATISFIED: 1 },
  },
  closedAt: at(28, 1),
});
const openTwo = referral(2, activities[1]!, WATER, {});
// What the referral itself says now: acknowledged since its statistics item was written.
const openTwoNow: ReferralFactsSource = {
  ...openTwo,
  status: 'ACKNOWLEDGED',
  acknowledgedAt: at(6),
};

/** A referral's statistics item as CompleteActivity / CloseReferral wrote it before rollups. */
const oldReferralItem = (act: ActivityStatsItem, source: ReferralFactsSource) => ({
  ...keys.statsOfReferral(MONTH, source.id),
  entity: 'STATS_REFERRAL',
  street: act.street,
  date: act.date,
  ...referralFactsOf(source),
});

const expected = (
  period: PeriodStatistics['period'],
  keep: (a: ActivityStatsItem) => boolean,
): PeriodStatistics => {
  const kept = activities.filter(keep);
  const facts: ReferralFacts[] = [
    [activities[0]!, closedOne],
    [activities[1]!, openTwoNow],
    [activities[2]!, closedThree],
  ]
    .filter(([a]) => keep(a as ActivityStatsItem))
    .map(([, r]) => referralFactsOf(r as ReferralFactsSource));
  return aggregateStatistics({ period, activities: kept, referrals: facts });
};

const statistics = async (query: string) => {
  const res = await auditor.get<{ statistics: PeriodStatistics }>(`/audit/statistics?${query}`);
  expect(res.status, res.text).toBe(200);
  return res.json.statistics;
};

const deps = () => ({ db: ddbDoc(), tableName: tableName() });
const range = { from: MONTH, to: MONTH };
const FIRST = `${MONTH}-01`;
const LAST = `${MONTH}-${LAST_DAY}`;

describe('backfill of the statistics rollups', () => {
  beforeAll(async () => {
    const db = ddbDoc();
    const items = [
      ...activities,
      oldReferralItem(activities[0]!, closedOne),
      oldReferralItem(activities[1]!, openTwo),
      oldReferralItem(activities[2]!, closedThree),
      { ...keys.referral(openTwoNow.id), entity: 'REFERRAL', ...openTwoNow },
    ];
    for (const Item of items) await db.send(new PutCommand({ TableName: tableName(), Item }));
  });

  it('before: the query reads rollups only, and there are none', async () => {
    const stats = await statistics(`from=${FIRST}&to=${LAST}`);
    expect(stats.activities.completed).toBe(0);
    const check = await backfillStatsRollups(deps(), range, { check: true });
    expect(check[0]!.differing.length).toBeGreaterThan(0);
    // `check` wrote nothing.
    expect(await rawItem(keys.statsRollup({}, MONTH))).toBeUndefined();
  });

  it('after: every filter answers what the items add up to; the open referral is read live', async () => {
    const [result] = await backfillStatsRollups(deps(), range);
    expect(result).toMatchObject({ month: MONTH, activities: 3, referrals: 3, openReferrals: 1 });
    // 8 scopes (all; 2 streets; 2 types; 3 street × type pairs), each a month rollup, and a
    // day rollup per day it has an activity on: all and RECEPTION_DAY 2 days, the others 1.
    expect(result!.rollups).toBe(8 + (2 + 1 + 1 + 2 + 1 + 1 + 1 + 1));
    expect(result!.differing).toHaveLength(result!.rollups);

    const whole = { from: FIRST, to: LAST, street: null, type: null };
    const stats = await statistics(`from=${FIRST}&to=${LAST}`);
    expect(stats).toEqual(expected(whole, () => true));
    expect(stats.activities).toEqual({
      completed: 3,
      byType: { COMMUNITY_VISIT: 1, RECEPTION_DAY: 2 },
      // 新龙 at two reception days is one station.
      liaisonStations: 2,
    });
    expect(stats.referrals.totals).toMatchObject({
      sent: 3,
      acknowledged: 2,
      answered: 2,
      returned: 1,
    });
    expect(stats.referrals.byDepartment.find((d) => d.departmentId === WATER)).toMatchObject({
      sent: 2,
      returned: 1,
      resolved: 1,
    });

    const street = { ...whole, street: 'HONGSHAN' };
    expect(await statistics(`from=${FIRST}&to=${LAST}&street=HONGSHAN`)).toEqual(
      expected(street, (a) => a.street === 'HONGSHAN'),
    );
    const type = { ...whole, type: 'RECEPTION_DAY' };
    expect(await statistics(`from=${FIRST}&to=${LAST}&type=RECEPTION_DAY`)).toEqual(
      expected(type, (a) => a.type === 'RECEPTION_DAY'),
    );
    const both = { ...whole, street: 'HONGSHAN', type: 'COMMUNITY_VISIT' };
    const bothStats = await statistics(
      `from=${FIRST}&to=${LAST}&street=HONGSHAN&type=COMMUNITY_VISIT`,
    );
    expect(bothStats).toEqual(
      expected(both, (a) => a.street === 'HONGSHAN' && a.type === 'COMMUNITY_VISIT'),
    );
    // The open referral, read live: acknowledged since its item was written.
    expect(bothStats.referrals.totals).toMatchObject({ sent: 1, acknowledged: 1 });
    expect(bothStats.community).toEqual({
      consultationsAnswered: 12,
      residentsReceived: 2,
      peopleServed: 0,
    });

    // Some days (day rollups): the 3rd to the 10th holds the first two activities only.
    const days = { from: `${MONTH}-03`, to: `${MONTH}-10`, street: null, type: null };
    const daysStats = await statistics(`from=${days.from}&to=${days.to}`);
    expect(daysStats).toEqual(expected(days, (a) => a.date <= days.to));
    expect(daysStats.activities.completed).toBe(2);
    // The open referral is now listed for the query to find by its day.
    expect(await rawItem(keys.statsOfReferral(MONTH, openTwo.id))).toMatchObject({
      ...keys.openReferralStatsListing(activities[1]!.date, openTwo.id),
      type: 'COMMUNITY_VISIT',
    });
  });

  it('a second run and a check find nothing to do; a rollup altered by hand is found and repaired', async () => {
    const [again] = await backfillStatsRollups(deps(), range);
    expect(again!.differing).toEqual([]);
    const [check] = await backfillStatsRollups(deps(), range, { check: true });
    expect(check!.differing).toEqual([]);

    const key = keys.statsRollup({ street: 'XIAGANG' }, MONTH);
    await ddbDoc().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key,
        UpdateExpression: 'ADD #n :one',
        ExpressionAttributeNames: { '#n': 'n#activities' },
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );
    const [drift] = await backfillStatsRollups(deps(), range, { check: true });
    expect(drift!.differing).toEqual([`${key.pk} ${key.sk}`]);
    await backfillStatsRollups(deps(), range);
    const [repaired] = await backfillStatsRollups(deps(), range, { check: true });
    expect(repaired!.differing).toEqual([]);
    expect((await statistics(`from=${FIRST}&to=${LAST}&street=XIAGANG`)).activities.completed).toBe(
      1,
    );
  });

  it('refuses a range that is not months', async () => {
    await expect(backfillStatsRollups(deps(), { from: '2024-13', to: '2025-01' })).rejects.toThrow(
      /Invalid month range/,
    );
  });
});
