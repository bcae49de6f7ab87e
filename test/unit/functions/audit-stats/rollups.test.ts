// Unit test, no AWS: the arithmetic of the statistics rollups. Random activities and referrals
// are added into day and month rollups through the very Update items the writers send (applied
// here as DynamoDB applies ADD), read back, and compared with the aggregation the statistics
// query did before rollups (kept below as the oracle); quantiles from a histogram against
// quantiles of the values; and what a repeated or split write does to a rollup.
import { describe, expect, it } from 'vitest';
import {
  aggregateStatistics,
  daysToAnswer,
  quantile,
  statisticsFromRollup,
  type PeriodStatistics,
} from '../../../../functions/audit-stats/domain';
import type { ReferralFacts } from '../../../../functions/audit-stats/items';
import {
  activityContribution,
  emptyRollup,
  histogramQuantile,
  mergeRollup,
  referralContribution,
  rollupAdds,
  rollupKeysOf,
  rollupOfItem,
  type ActivityContributionSource,
} from '../../../../functions/audit-stats/rollups';
import { keys } from '../../../../functions/shared/data/keys';
import { random } from '../../../support/random';
import { referralFacts } from './fixtures';

const pick = <T>(rnd: () => number, items: readonly T[]): T =>
  items[Math.floor(rnd() * items.length)]!;
const int = (rnd: () => number, max: number) => Math.floor(rnd() * (max + 1));

const TYPES = ['RECEPTION_DAY', 'COMMUNITY_VISIT', 'THEMATIC_RESEARCH'];
const STREETS = ['HONGSHAN', 'XIAGANG', 'WENCHONG'];
const LEVELS = ['NATIONAL', 'MUNICIPAL', 'DISTRICT', 'TOWN'];
const KINDS = ['PROBLEM', 'SUGGESTION'];
const CATEGORIES = ['ELDERLY_LIFTS', 'TRANSPORT', 'OTHER'];
const DEPARTMENTS = ['dept-water', 'dept-roads', 'dept-housing', 'dept-parks'];
const RECIPIENT_LEVELS = ['MUNICIPAL', 'DISTRICT', 'TOWN', 'EXTERNAL'] as const;
const STATIONS = ['文冲人大代表联络站', '新龙人大代表联络站', '夏港人大代表联络站'];

type Activity = ActivityContributionSource & { street: string; startsAt: string };

const randomActivity = (rnd: () => number): Activity => {
  const counts = (codes: readonly string[]) =>
    Object.fromEntries(codes.filter(() => rnd() < 0.6).map((code) => [code, int(rnd, 5)]));
  const byLevel = counts(LEVELS);
  const byKind = counts(KINDS);
  return {
    type: pick(rnd, TYPES),
    street: pick(rnd, STREETS),
    // July 2025 in China time.
    startsAt: new Date(Date.UTC(2025, 6, 1, 2) + int(rnd, 30) * 86_400_000).toISOString(),
    personTimesByLevel: byLevel,
    personTimesTotal: int(rnd, 8),
    findingsTotal: Object.values(byKind).reduce((a, b) => a + b, 0),
    findingsByKind: byKind,
    findingsByCategory: counts(CATEGORIES),
    findingsReferred: int(rnd, 3),
    ...(rnd() < 0.4
      ? { liaisonStations: STATIONS.filter(() => rnd() < 0.5) }
      : rnd() < 0.5
        ? { consultationsAnswered: int(rnd, 40), residentsReceived: int(rnd, 20) }
        : rnd() < 0.5
          ? { peopleServed: int(rnd, 300) }
          : {}),
    ...(rnd() < 0.2
      ? { guestPersonTimesByLevel: { DISTRICT: int(rnd, 5) }, guestPersonTimesTotal: int(rnd, 6) }
      : {}),
  };
};

const randomFacts = (rnd: () => number, i: number): ReferralFacts => {
  const sent = Date.UTC(2025, 6, 5) + int(rnd, 100_000) * 60_000;
  const answered = rnd() < 0.7;
  // A few equal answer times, so the histogram has counts above one.
  const answeredAt = answered
    ? new Date(sent + (rnd() < 0.3 ? 5 * 86_400_000 : int(rnd, 40 * 24 * 60) * 60_000))
    : null;
  const ratings: Record<string, number> =
    rnd() < 0.5
      ? {
          SATISFIED: int(rnd, 2),
          BASICALLY_SATISFIED: int(rnd, 1),
          NOT_SATISFIED: int(rnd, 1),
        }
      : {};
  return {
    referralId: `R${i}`,
    activityId: `A${i}`,
    departmentId: pick(rnd, DEPARTMENTS),
    status: 'CLOSED',
    sentAt: rnd() < 0.95 ? new Date(sent).toISOString() : null,
    acknowledged: rnd() < 0.8,
    answeredAt: answeredAt?.toISOString() ?? null,
    // A result without an answer date is not resolved: the stored facts can say so.
    result: answered || rnd() < 0.2 ? pick(rnd, ['RESOLVED', 'EXPLAINED', null]) : null,
    overdue: rnd() < 0.2,
    ...(rnd() < 0.8 ? { departmentLevel: pick(rnd, RECIPIENT_LEVELS) } : {}),
    ...(rnd() < 0.2
      ? { returnedBy: [pick(rnd, DEPARTMENTS)], returnedByLevels: [pick(rnd, RECIPIENT_LEVELS)] }
      : { returnedBy: [] }),
    ratings,
    closed: true,
  };
};

// --- the oracle: the statistics query's aggregation before rollups, verbatim in substance ---
const oracle = (input: {
  period: PeriodStatistics['period'];
  activities: readonly ActivityContributionSource[];
  referrals: readonly ReferralFacts[];
}): PeriodStatistics => {
  const sorted = (r: Record<string, number>) =>
    Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : 1)));
  const add = (into: Record<string, number>, from: Record<string, number> | undefined) => {
    for (const [k, n] of Object.entries(from ?? {})) into[k] = (into[k] ?? 0) + n;
  };
  const byType: Record<string, number> = {};
  const byLevel: Record<string, number> = {};
  const byKind: Record<string, number> = {};
  const byCategory: Record<string, number> = {};
  let personTimes = 0;
  let findings = 0;
  let referred = 0;
  const stations = new Set<string>();
  const community = { consultationsAnswered: 0, residentsReceived: 0, peopleServed: 0 };
  const guestsByLevel: Record<string, number> = {};
  let guests = 0;
  for (const a of input.activities) {
    byType[a.type] = (byType[a.type] ?? 0) + 1;
    add(byLevel, a.personTimesByLevel);
    add(byKind, a.findingsByKind);
    add(byCategory, a.findingsByCategory);
    personTimes += a.personTimesTotal;
    findings += a.findingsTotal;
    referred += a.findingsReferred ?? 0;
    for (const s of a.liaisonStations ?? []) stations.add(s);
    community.consultationsAnswered += a.consultationsAnswered ?? 0;
    community.residentsReceived += a.residentsReceived ?? 0;
    community.peopleServed += a.peopleServed ?? 0;
    add(guestsByLevel, a.guestPersonTimesByLevel);
    guests += a.guestPersonTimesTotal ?? 0;
  }
  type Tally = Record<
    'sent' | 'acknowledged' | 'answered' | 'resolved' | 'overdue' | 'returned',
    number
  > & { days: number[]; satisfied: number; rated: number };
  const empty = (): Tally => ({
    sent: 0,
    acknowledged: 0,
    answered: 0,
    resolved: 0,
    overdue: 0,
    returned: 0,
    days: [],
    satisfied: 0,
    rated: 0,
  });
  const rate = (p: number, w: number) => (w > 0 ? Math.round((p / w) * 10_000) / 10_000 : null);
  const finish = (t: Tally) => ({
    sent: t.sent,
    acknowledged: t.acknowledged,
    answered: t.answered,
    resolved: t.resolved,
    overdue: t.overdue,
    returned: t.returned,
    medianDaysToAnswer: quantile(t.days, 0.5),
    p90DaysToAnswer: quantile(t.days, 0.9),
    satisfactionRate: rate(t.satisfied, t.rated),
    resolutionRate: rate(t.resolved, t.answered),
  });
  const total = empty();
  const departments = new Map<string, Tally>();
  const tallyOf = (id: string) => {
    if (!departments.has(id)) departments.set(id, empty());
    return departments.get(id)!;
  };
  // Levels: what the referral was emailed at (missing: DISTRICT, as before levels).
  const levels = new Map<string, Tally>(RECIPIENT_LEVELS.map((level) => [level, empty()]));
  for (const f of input.referrals) {
    const days = daysToAnswer(f);
    const rated = Object.values(f.ratings).reduce((s, n) => s + n, 0);
    const satisfied = (f.ratings.SATISFIED ?? 0) + (f.ratings.BASICALLY_SATISFIED ?? 0);
    f.returnedBy.forEach((_, i) => levels.get(f.returnedByLevels?.[i] ?? 'DISTRICT')!.returned++);
    const level = levels.get(f.departmentLevel ?? 'DISTRICT')!;
    for (const t of [total, tallyOf(f.departmentId), level]) {
      if (f.sentAt) t.sent++;
      if (f.acknowledged) t.acknowledged++;
      if (f.answeredAt) t.answered++;
      if (f.answeredAt && f.result === 'RESOLVED') t.resolved++;
      if (f.overdue) t.overdue++;
      if (days !== null) t.days.push(days);
      t.rated += rated;
      t.satisfied += satisfied;
    }
    total.returned += f.returnedBy.length;
    for (const d of f.returnedBy) tallyOf(d).returned++;
  }
  return {
    period: input.period,
    activities: {
      completed: input.activities.length,
      byType: sorted(byType),
      liaisonStations: stations.size,
    },
    personTimes: {
      byLevel: sorted(byLevel),
      total: personTimes,
      guests: { byLevel: sorted(guestsByLevel), total: guests },
    },
    community,
    findings: { total: findings, byKind: sorted(byKind), byCategory: sorted(byCategory), referred },
    referrals: {
      totals: finish(total),
      byDepartment: [...departments.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([departmentId, t]) => ({ departmentId, ...finish(t) })),
      byDepartmentLevel: (['MUNICIPAL', 'DISTRICT', 'TOWN'] as const).map((level) => ({
        level,
        ...finish(levels.get(level)!),
      })),
      handedToOtherDistricts: finish(levels.get('EXTERNAL')!),
    },
  };
};

/** A table of stored items, and DynamoDB's `SET`/`ADD` as the rollup Updates use them. */
const table = () => {
  const items = new Map<string, Record<string, unknown>>();
  const apply = (update: ReturnType<typeof rollupAdds>[number]['Update']) => {
    const id = `${update.Key.pk}|${update.Key.sk}`;
    const item = items.get(id) ?? { ...update.Key };
    const names = update.ExpressionAttributeNames;
    const values: Record<string, unknown> = update.ExpressionAttributeValues;
    for (const [placeholder, name] of Object.entries(names)) {
      const value = values[`:${placeholder.slice(1)}`];
      if (value instanceof Set) {
        item[name] = new Set([...((item[name] as Set<string>) ?? []), ...value]);
      } else if (typeof value === 'number') {
        item[name] = ((item[name] as number | undefined) ?? 0) + value;
      } else {
        item[name] = value;
      }
    }
    items.set(id, item);
  };
  return {
    items,
    apply,
    get: (key: { pk: string; sk: string }) => items.get(`${key.pk}|${key.sk}`),
  };
};

const PERIOD = { from: '2025-07-01', to: '2025-07-31', street: null, type: null };

describe('statistics rollups', () => {
  // 200 generated periods: about 4 s alone, twice that on a loaded machine, so not the 5 s default.
  it('add up to what the items gave, for every scope, month and day (200 random periods)', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const rnd = random(seed);
      const activities = Array.from({ length: int(rnd, 12) }, () => randomActivity(rnd));
      const referrals = activities.flatMap((activity, i) =>
        Array.from({ length: int(rnd, 3) }, (_, j) => ({
          activity,
          facts: randomFacts(rnd, i * 10 + j),
        })),
      );
      const db = table();
      for (const activity of activities) {
        for (const { Update } of rollupAdds('T', activity, activityContribution(activity))) {
          db.apply(Update);
        }
      }
      for (const { activity, facts } of referrals) {
        for (const { Update } of rollupAdds('T', activity, referralContribution(facts))) {
          db.apply(Update);
        }
      }

      // The whole month, all streets and types.
      const month = db.get(keys.statsRollup({}, '2025-07'));
      const read = (items: (Record<string, unknown> | undefined)[]) =>
        items.reduce(
          (sum, item) => mergeRollup(sum, item ? rollupOfItem(item) : emptyRollup()),
          emptyRollup(),
        );
      expect(statisticsFromRollup(PERIOD, read([month])), `seed ${seed}`).toEqual(
        oracle({ period: PERIOD, activities, referrals: referrals.map((r) => r.facts) }),
      );

      // One street and type, over a few days (day rollups): the same filter on the items.
      const street = pick(rnd, STREETS);
      const type = pick(rnd, TYPES);
      const days = ['2025-07-03', '2025-07-04', '2025-07-05', '2025-07-06'];
      const period = { from: days[0]!, to: days.at(-1)!, street, type };
      const inScope = (a: Activity) =>
        a.street === street && a.type === type && days.some((d) => a.startsAt.startsWith(d));
      const dayItems = days.map((d) => db.get(keys.statsRollup({ street, type }, '2025-07', d)));
      expect(statisticsFromRollup(period, read(dayItems)), `seed ${seed}`).toEqual(
        oracle({
          period,
          activities: activities.filter(inScope),
          referrals: referrals.filter((r) => inScope(r.activity)).map((r) => r.facts),
        }),
      );
    }
  }, 30_000);

  it('aggregateStatistics is the oracle on the same input', () => {
    const rnd = random(7);
    const activities = Array.from({ length: 40 }, () => randomActivity(rnd));
    const referrals = Array.from({ length: 60 }, (_, i) => randomFacts(rnd, i));
    expect(aggregateStatistics({ period: PERIOD, activities, referrals })).toEqual(
      oracle({ period: PERIOD, activities, referrals }),
    );
  });

  it('quantiles from a histogram are the quantiles of the values', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const rnd = random(seed);
      const values = Array.from({ length: 1 + int(rnd, 30) }, () => int(rnd, 2_000) / 100);
      const histogram = new Map<number, number>();
      for (const v of values) histogram.set(v, (histogram.get(v) ?? 0) + 1);
      for (const q of [0, 0.1, 0.5, 0.9, 1]) {
        expect(histogramQuantile(histogram, q), `seed ${seed} q ${q}`).toBe(quantile(values, q));
      }
    }
    expect(histogramQuantile(new Map(), 0.5)).toBeNull();
    expect(histogramQuantile(new Map([[3.25, 0]]), 0.5)).toBeNull();
    // 1, 2, 2, 2, 10: median 2; p90 at rank 3.6 = 2 + 0.6 × 8.
    const skewed = new Map([
      [1, 1],
      [2, 3],
      [10, 1],
    ]);
    expect(histogramQuantile(skewed, 0.5)).toBe(2);
    expect(histogramQuantile(skewed, 0.9)).toBe(6.8);
  });

  it('a repeated write adds twice: exactly once is the transaction’s job, and the stations are a set', () => {
    const activity: Activity = {
      type: 'RECEPTION_DAY',
      street: 'WENCHONG',
      startsAt: '2025-07-08T01:00:00.000Z',
      personTimesByLevel: { DISTRICT: 2 },
      personTimesTotal: 2,
      findingsTotal: 0,
      findingsByKind: {},
      findingsByCategory: {},
      liaisonStations: ['文冲人大代表联络站'],
    };
    const db = table();
    const writes = rollupAdds('T', activity, activityContribution(activity));
    // Every rollup of its day and month, for the four scopes, once each.
    expect(writes.map((w) => `${w.Update.Key.pk} ${w.Update.Key.sk}`).sort()).toEqual(
      rollupKeysOf(activity)
        .map((k) => `${k.pk} ${k.sk}`)
        .sort(),
    );
    expect(new Set(writes.map((w) => `${w.Update.Key.pk} ${w.Update.Key.sk}`)).size).toBe(8);
    for (const { Update } of writes) db.apply(Update);
    for (const { Update } of writes) db.apply(Update);
    const month = rollupOfItem(db.get(keys.statsRollup({}, '2025-07'))!);
    // ADD is not idempotent by itself: the counters doubled, the set union did not.
    expect(month.counts['n#activities']).toBe(2);
    expect(month.stations).toEqual(new Set(['文冲人大代表联络站']));
    // Each Update only ADDs (and sets its entity): no condition that a retry could trip over
    // half-way, and nothing that reads the item.
    for (const { Update } of writes) {
      expect(Update.UpdateExpression).toMatch(/^SET #entity = :entity ADD /);
      expect(Update).not.toHaveProperty('ConditionExpression');
    }
  });

  it('a referral counts under its department, returned under each that returned it', () => {
    const facts = referralFacts({
      departmentId: 'dept-roads',
      sentAt: '2025-07-10T00:00:00.000Z',
      answeredAt: '2025-07-12T06:00:00.000Z',
      returnedBy: ['dept-water'],
      ratings: { SATISFIED: 1, NOT_SATISFIED: 1 },
    });
    const rollup = referralContribution(facts);
    expect(rollup.counts).toMatchObject({
      'dept#dept-roads#sent': 1,
      'dept#dept-roads#resolved': 1,
      'dept#dept-roads#returned': 0,
      'dept#dept-water#returned': 1,
      'dept#dept-roads#rated': 2,
      'dept#dept-roads#satisfied': 1,
      // 2.25 days, in hundredths.
      'days#dept-roads#225': 1,
    });
    const stats = statisticsFromRollup(PERIOD, rollup);
    expect(stats.referrals.totals).toMatchObject({
      sent: 1,
      returned: 1,
      medianDaysToAnswer: 2.25,
      satisfactionRate: 0.5,
    });
    expect(stats.referrals.byDepartment.map((d) => [d.departmentId, d.sent, d.returned])).toEqual([
      ['dept-roads', 1, 0],
      ['dept-water', 0, 1],
    ]);
    // Sent before levels: the referral and the return count as DISTRICT.
    expect(stats.referrals.byDepartmentLevel.map((l) => [l.level, l.sent, l.returned])).toEqual([
      ['MUNICIPAL', 0, 0],
      ['DISTRICT', 1, 1],
      ['TOWN', 0, 0],
    ]);
    expect(stats.referrals.handedToOtherDistricts.sent).toBe(0);
  });

  it('counts a referral under the level it was emailed at, a hand-over outside the district apart', () => {
    const base = referralFacts({
      departmentId: 'dept-town',
      sentAt: '2025-07-10T00:00:00.000Z',
      answeredAt: '2025-07-11T00:00:00.000Z',
      returnedBy: ['dept-city'],
      returnedByLevels: ['MUNICIPAL'],
      ratings: { SATISFIED: 1 },
      departmentLevel: 'TOWN',
    });
    const panyu: ReferralFacts = {
      ...base,
      referralId: 'R2',
      departmentId: 'dept-panyu-congress',
      departmentLevel: 'EXTERNAL',
      answeredAt: null,
      result: null,
      returnedBy: [],
      returnedByLevels: [],
      ratings: {},
    };
    const stats = statisticsFromRollup(
      PERIOD,
      mergeRollup(referralContribution(base), referralContribution(panyu)),
    );
    expect(stats.referrals.byDepartmentLevel).toEqual([
      expect.objectContaining({ level: 'MUNICIPAL', sent: 0, returned: 1 }),
      expect.objectContaining({ level: 'DISTRICT', sent: 0, returned: 0 }),
      expect.objectContaining({
        level: 'TOWN',
        sent: 1,
        answered: 1,
        resolved: 1,
        medianDaysToAnswer: 1,
        satisfactionRate: 1,
        resolutionRate: 1,
      }),
    ]);
    expect(stats.referrals.handedToOtherDistricts).toMatchObject({
      sent: 1,
      answered: 0,
      satisfactionRate: null,
      resolutionRate: null,
    });
    expect(stats.referrals.totals.sent).toBe(2);
  });

  it('reads rollups added up before levels as DISTRICT, beside leveled contributions', () => {
    const rnd = random(11);
    const legacy = Array.from({ length: 30 }, (_, i) => randomFacts(rnd, i));
    const leveled = Array.from({ length: 30 }, (_, i) => randomFacts(rnd, 100 + i));
    const withoutLevels = (rollup: ReturnType<typeof emptyRollup>) => ({
      ...rollup,
      counts: Object.fromEntries(
        Object.entries(rollup.counts).filter(([name]) => !name.startsWith('rlevel')),
      ),
    });
    const stored = emptyRollup();
    for (const f of legacy) mergeRollup(stored, withoutLevels(referralContribution(f)));
    for (const f of leveled) mergeRollup(stored, referralContribution(f));
    const asDistrict = legacy.map((f): ReferralFacts => {
      const { departmentLevel: _level, returnedByLevels: _returned, ...rest } = f;
      return rest;
    });
    expect(statisticsFromRollup(PERIOD, stored).referrals).toEqual(
      oracle({ period: PERIOD, activities: [], referrals: [...asDistrict, ...leveled] }).referrals,
    );
  });
});
