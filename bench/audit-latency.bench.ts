// Audit latency (issue 5): 200 and then 20,000 completed activities in DynamoDB Local, and the
// first-page latency of the main audit queries at both sizes, side by side, with their ratio.
// Target: a ratio of at most 1.5.
//
// `npm run bench -- audit-latency`. LIANDONG_BENCH_RUNS sets the timed runs per query and size
// (default 15, after 3 warm-up runs); LIANDONG_BENCH_SIZES overrides the sizes (e.g. `200,2000`).
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startLocalCloud, type LocalCloud } from '../infra/local/cloud';
import { rollupsOfMonthItems } from '../functions/audit-stats/backfill';
import {
  dutySummaryKeysOf,
  entryContribution,
  type DutyEntry,
} from '../functions/audit-stats/duty';
import type {
  ActivityStatsItem,
  ReferralFactsSource,
  ReferralStatsItem,
} from '../functions/audit-stats/items';
import { rollupItem } from '../functions/audit-stats/rollups';
import { demoDeputies, demoSeedItems } from '../infra/local/seed';
import {
  DEMO_STREET_NAMES as STREETS,
  type DemoStreet as Street,
} from '../infra/local/demo-jurisdiction';
import {
  benchOrganisers,
  completedActivity,
  type Dataset,
  type Item,
} from './support/completed-activities';
import { random } from '../test/support/random';
import { writeFigures } from './support/figures';
import { median, p90, ratio, round } from './support/stats';
import { formatTable, type Table } from './support/table';
import { synthLocal } from '../infra/local/synth';

const TARGET = 1.5;
const RUNS = Number(process.env.LIANDONG_BENCH_RUNS ?? 15);
const WARM_UP = 3;
const SIZES = (process.env.LIANDONG_BENCH_SIZES ?? '200,20000').split(',').map(Number);
const MONTHS = 24;
const WRITE_CONCURRENCY = 8;

/** DynamoDB Local (a JVM) may miss its start deadline on a busy machine: try again. */
async function startCloud(attempts = 3): Promise<LocalCloud> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startLocalCloud({
        inMemory: true,
        quiet: true,
        allowTokenMinting: true,
        // The functions run in this process: their INFO lines would bury the table. The same
        // at both sizes, so the ratios do not move.
        functionEnv: { POWERTOOLS_LOG_LEVEL: 'WARN' },
      });
    } catch (error) {
      if (attempt >= attempts) throw error;
      console.log(`local cloud did not start (${(error as Error).name}); again`);
    }
  }
}

async function batchWrite(cloud: LocalCloud, items: Item[]): Promise<void> {
  const table = Object.values(cloud.endpoints.tables)[0]!;
  const doc = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: cloud.endpoints.dynamodb,
      region: cloud.endpoints.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const chunk = items.slice(next, next + 25);
      next += 25;
      let requests: Record<string, { PutRequest: { Item: Item } }[]> = {
        [table]: chunk.map((Item) => ({ PutRequest: { Item } })),
      };
      for (let attempt = 0; Object.keys(requests).length > 0; attempt++) {
        if (attempt > 10) throw new Error('DynamoDB Local kept items unprocessed');
        const out = await doc.send(new BatchWriteCommand({ RequestItems: requests }));
        requests = (out.UnprocessedItems ?? {}) as typeof requests;
      }
    }
  };
  await Promise.all(Array.from({ length: WRITE_CONCURRENCY }, worker));
  doc.destroy();
}

interface Query {
  name: string;
  path: string;
  token: string;
  /** How many things the answer holds (rows of the page, activities of a record ...). */
  count: (body: unknown) => number;
}

const monthStart = (date: Date, plusMonths: number) =>
  new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + plusMonths, 1));
const day = (date: Date) => date.toISOString().slice(0, 10);

async function time(cloud: LocalCloud, query: Query): Promise<{ ms: number; count: number }> {
  const started = performance.now();
  const res = await fetch(`${cloud.endpoints.api}${query.path}`, {
    headers: { authorization: `Bearer ${query.token}` },
  });
  const text = await res.text();
  const ms = performance.now() - started;
  if (res.status !== 200) throw new Error(`${query.name}: ${res.status} ${text.slice(0, 500)}`);
  return { ms, count: query.count(JSON.parse(text)) };
}

async function main(): Promise<void> {
  // The functions run in this process and Powertools Metrics warns on every request that adds
  // no metric (through a console of its own): the table must stay readable.
  const write = process.stdout.write.bind(process.stdout) as (chunk: unknown) => boolean;
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) =>
    String(chunk).startsWith('No application metrics to publish')
      ? true
      : (write as (...args: unknown[]) => boolean)(chunk, ...rest)) as typeof process.stdout.write;
  console.log('synthesizing (no bundling), starting the local cloud in memory');
  await synthLocal({ code: 'entries' });
  const cloud = await startCloud();
  try {
    await cloud.seedIfEmpty(demoSeedItems());
    // The last MONTHS whole months before this one: the default audit period covers them.
    const now = new Date();
    const spanStart = monthStart(now, -MONTHS);
    const dataset: Dataset = {
      spanStart,
      months: MONTHS,
      organisers: benchOrganisers(),
      deputies: demoDeputies(),
    };
    const rnd = random(20_240_501);

    // What the queries ask for is fixed before any data exists, so both sizes answer the same
    // questions: the last twelve months, one street, one type, one organiser, one month, one
    // deputy's year, the trail of the first activity written.
    const organiser = dataset.organisers[0]!;
    const street: Street = organiser.street;
    const periodFrom = day(monthStart(now, -12));
    const periodTo = day(new Date(monthStart(now, 0).getTime() - 86_400_000));
    const statsMonth = monthStart(now, -3);
    const statsTo = new Date(monthStart(now, -2).getTime() - 86_400_000);
    const auditor = await cloud.mintToken({ role: 'auditor', sub: 'bench-auditor' });
    const organiserToken = await cloud.mintToken({
      role: 'organiser',
      sub: organiser.sub,
      street: STREETS[street].zh.replace(/街道$/, ''),
    });

    let written = 0;
    let firstActivity: Item | undefined;
    // Every statistics item so far: the rollups of each size are what all of them add up to.
    const statsItems: Item[] = [];
    const referrals = new Map<string, ReferralFactsSource>();
    const dutySummaries = new Map<string, Item>();
    const results = new Map<string, Map<number, { ms: number[]; count: number }>>();
    let queries: Query[] = [];
    for (const size of SIZES) {
      const started = performance.now();
      const items: Item[] = [];
      for (; written < size; written++) {
        const activityItems = completedActivity(dataset, rnd);
        firstActivity ??= activityItems[0];
        items.push(...activityItems);
      }
      // The statistics rollups CompleteActivity and CloseReferral add into, as the sums of the
      // statistics items (the backfill's arithmetic, functions/audit-stats/backfill.ts),
      // written with the rest rather than added one activity at a time.
      statsItems.push(...items.filter((item) => String(item.entity).startsWith('STATS_')));
      const rollups = rollupsOfMonthItems(
        statsItems as unknown as (ActivityStatsItem | ReferralStatsItem)[],
      );
      items.push(...[...rollups.values()].map(({ key, rollup }) => rollupItem(key, rollup)));
      // The deputies' duty summaries CompleteActivity adds into (functions/audit-stats/duty.ts),
      // summed over every entry so far the same way.
      for (const item of items) {
        if (item.entity === 'REFERRAL') referrals.set(String(item.id), item as never);
      }
      for (const entry of items.filter((item) => item.entity === 'DUTY_ENTRY')) {
        const { counts } = entryContribution(entry as unknown as DutyEntry, referrals);
        for (const key of dutySummaryKeysOf(entry as unknown as DutyEntry)) {
          const summary = dutySummaries.get(`${key.pk} ${key.sk}`) ?? {
            ...key,
            entity: 'DUTY_SUMMARY',
          };
          for (const [name, by] of Object.entries(counts)) {
            summary[name] = ((summary[name] as number | undefined) ?? 0) + by;
          }
          dutySummaries.set(`${key.pk} ${key.sk}`, summary);
        }
      }
      items.push(...dutySummaries.values());
      await batchWrite(cloud, items);
      console.log(
        `${size} completed activities (${items.length} items written in ${round((performance.now() - started) / 1000, 0)} s)`,
      );

      if (queries.length === 0) {
        const deputyId = firstInvitee(items);
        const year = Number(String(firstActivity!.startsAt).slice(0, 4));
        const activityId = String(firstActivity!.id);
        const type = String(firstActivity!.type);
        const rows = (body: unknown) => (body as { items: unknown[] }).items.length;
        queries = [
          {
            name: 'activities by period (auditor)',
            path: `/audit/activities?from=${periodFrom}&to=${periodTo}`,
            token: auditor,
            count: rows,
          },
          {
            name: 'activities by street (auditor)',
            path: `/audit/activities?from=${periodFrom}&to=${periodTo}&street=${street}`,
            token: auditor,
            count: rows,
          },
          {
            name: 'activities by type (auditor)',
            path: `/audit/activities?from=${periodFrom}&to=${periodTo}&type=${type}`,
            token: auditor,
            count: rows,
          },
          {
            name: 'activities by organiser (auditor)',
            path: `/audit/activities?from=${periodFrom}&to=${periodTo}&organiser=${organiser.sub}`,
            token: auditor,
            count: rows,
          },
          {
            name: 'activities by organiser (the organiser)',
            path: `/audit/activities?from=${periodFrom}&to=${periodTo}&organiser=${organiser.sub}`,
            token: organiserToken,
            count: rows,
          },
          {
            name: 'activities of the street (street organiser)',
            path: `/audit/activities?from=${periodFrom}&to=${periodTo}`,
            token: organiserToken,
            count: rows,
          },
          {
            name: 'statistics of a month (auditor)',
            path: `/audit/statistics?from=${day(statsMonth)}&to=${day(statsTo)}`,
            token: auditor,
            count: (b) =>
              (b as { statistics: { activities: { completed: number } } }).statistics.activities
                .completed,
          },
          {
            name: 'statistics of a month, one street',
            path: `/audit/statistics?from=${day(statsMonth)}&to=${day(statsTo)}&street=${street}`,
            token: auditor,
            count: (b) =>
              (b as { statistics: { activities: { completed: number } } }).statistics.activities
                .completed,
          },
          {
            name: "a deputy's duty record (year, first page)",
            path: `/audit/deputies/${deputyId}/duty-record?year=${year}`,
            token: auditor,
            count: (b) =>
              (b as { dutyRecord: { activities: unknown[] } }).dutyRecord.activities.length,
          },
          {
            name: "one activity's trail",
            path: `/audit/activities/${activityId}/trail`,
            token: auditor,
            count: (b) => (b as { events: unknown[] }).events.length,
          },
        ];
      }

      const samples = new Map(queries.map((q) => [q.name, { ms: [] as number[], count: 0 }]));
      for (let run = 0; run < WARM_UP + RUNS; run++) {
        // Round-robin over the queries: a slow moment of the machine spreads over all of them.
        for (const query of queries) {
          const { ms, count } = await time(cloud, query);
          if (run < WARM_UP) continue;
          const s = samples.get(query.name)!;
          s.ms.push(ms);
          s.count = count;
        }
      }
      for (const [name, s] of samples) {
        if (!results.has(name)) results.set(name, new Map());
        results.get(name)!.set(size, s);
      }
    }

    const [small, large] = [SIZES[0]!, SIZES[SIZES.length - 1]!];
    const fmt = (n: number) => n.toLocaleString('en-US');
    const rows = queries.map((q) => {
      const a = results.get(q.name)!.get(small)!;
      const b = results.get(q.name)!.get(large)!;
      const r = median(b.ms) / median(a.ms);
      return {
        r,
        row: [
          q.name,
          round(median(a.ms)),
          round(p90(a.ms)),
          String(a.count),
          round(median(b.ms)),
          round(p90(b.ms)),
          String(b.count),
          ratio(r),
          r <= TARGET ? 'pass' : 'MISS',
        ],
      };
    });
    const table: Table = {
      columns: [
        { title: 'query (first page, default size)' },
        { title: `${fmt(small)}: median ms`, align: 'right' },
        { title: 'p90 ms', align: 'right' },
        { title: 'rows', align: 'right' },
        { title: `${fmt(large)}: median ms`, align: 'right' },
        { title: 'p90 ms', align: 'right' },
        { title: 'rows', align: 'right' },
        { title: 'ratio', align: 'right' },
        { title: `≤ ${TARGET}×` },
      ],
      rows: rows.map((r) => r.row),
    };
    console.log(`\n${formatTable(table)}`);
    const misses = rows.filter((r) => r.r > TARGET).length;
    const verdict =
      misses === 0
        ? `every query within ${TARGET}× (worst ${ratio(Math.max(...rows.map((r) => r.r)))})`
        : `${misses} of ${rows.length} queries above ${TARGET}×`;
    console.log(`\n${verdict}`);

    await writeFigures({
      bench: 'audit-latency',
      title: 'Audit query latency',
      summary:
        `Completed activities written into DynamoDB Local (in memory) in the item shapes the ` +
        `workflow leaves (activity, 8 chained audit events, 6 invitations, 2 findings, a closed ` +
        `referral, the audit listing entries, the statistics items and the rollups they add up ` +
        `to, each participant's duty record entry and the duty summaries they add up to), spread over ${MONTHS} months, ` +
        `${Object.keys(STREETS).length} streets, 10 types and ${dataset.organisers.length} organisers; ` +
        `${fmt(small)} first, then ${fmt(large)} (the same ${fmt(small)} plus more). Each query goes ` +
        `through the local HTTP API with a real token (JWT checked as API Gateway checks it) to ` +
        `the handler run in-process: ${WARM_UP} warm-up rounds, then ${RUNS} timed rounds over all ` +
        `queries, median and p90 of the wall time of the request. Rows = what the answer holds ` +
        `(page rows; activities counted; record activities; trail events). Target: ratio ≤ ${TARGET}.`,
      tables: [{ table }],
      notes: [verdict],
    });
  } finally {
    await cloud.stop();
  }
}

/** A deputy who checked in at the first activity: their duty record has it at both sizes. */
function firstInvitee(items: Item[]): string {
  const invitation = items.find((item) => item.entity === 'INVITATION' && item.checkedInAt);
  if (!invitation) throw new Error('no checked-in invitation generated');
  return String(invitation.deputyId);
}

await main();
