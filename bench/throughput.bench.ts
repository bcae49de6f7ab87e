// Throughput of the local cloud (issue 7): the time it takes to be ready, 20 activities run
// concurrently end to end, and 500 concurrent check-ins by 250 invited deputies (each deputy
// twice: half are duplicates, which must be refused with 409 and counted once).
//
//   npx tsx bench/throughput.bench.ts            (all; `npm start` timing included)
//   npx tsx bench/throughput.bench.ts --no-npm-start
//
// The stage throttling the template sets (50 requests/s, burst 100) is enforced locally as on
// API Gateway, so the check-in burst is run three ways: as configured with no client retry (what
// the throttle refuses), as configured with clients retrying 429 (full jitter, as the SDKs do),
// and with the throttle off (what the engines themselves sustain).
import { spawn } from 'node:child_process';
import { paginateQuery } from '@aws-sdk/lib-dynamodb';
import { keys } from '../functions/shared/data/keys';
import { freePort } from '../infra/local/ports';
import {
  deputyIds,
  divertOutput,
  machine,
  percentile,
  startBenchCloud,
  table,
  type ApiResult,
  type BenchCloud,
} from './support/metered-cloud';
import { synthLocal } from '../infra/local/synth';
import { openCheckIn, driveActivity, schedule, type ActivityDriver } from './support/activity-run';

const fmt = (n: number, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : '—';

// --- 20 activities at once -------------------------------------------------------------------

interface ActivityRun {
  ms: number;
  error?: string;
  requests: number;
  throttled: number;
}

/** One small activity (5 deputies, 5 findings, 3 departments) to COMPLETED and referrals SENT. */
async function oneActivity(bench: BenchCloud, n: number): Promise<ActivityRun> {
  const started = performance.now();
  const results: ApiResult[] = [];
  const check = (what: string, res: ApiResult, status: number) => {
    results.push(res);
    if (res.status !== status) throw new Error(`${what}: ${res.status} ${res.text.slice(0, 160)}`);
  };
  try {
    const driver: ActivityDriver = {
      bench,
      organiser: bench.client({ role: 'organiser', sub: 'org-bench-throughput' }),
      expect: check,
    };
    // Disjoint deputies per activity, as different streets' activities would invite.
    const invited = deputyIds(200).slice(n * 5, n * 5 + 5);
    const categories = ['EDUCATION', 'DRAINAGE', 'TRANSPORT'];
    const { referrals } = await driveActivity(driver, `并发活动 ${n} ${Date.now().toString(36)}`, {
      invited,
      findings: invited.map((by, i) => ({
        by,
        fields: { category: categories[i % 3], description: `并发问题 ${n}-${i}`, place: '文冲村' },
      })),
      // The answers one after another, then the check-ins and the findings all at once.
      inFlight: (step) => (step === 'accept' ? 1 : invited.length),
    });
    if (referrals.length !== 3) throw new Error(`expected 3 referrals, got ${referrals.length}`);
    return summary();
  } catch (error) {
    return { ...summary(), error: (error as Error).message };
  }
  function summary(): ActivityRun {
    return {
      ms: performance.now() - started,
      requests: results.length,
      throttled: results.reduce((a, r) => a + r.throttled, 0),
    };
  }
}

// --- 500 check-ins at once ---------------------------------------------------------------------

interface BurstResult {
  mode: string;
  wallMs: number;
  latencies: number[];
  byStatus: Record<string, number>;
  throttledRetries: number;
  storedCheckIns: number;
  auditRecords: number;
}

async function checkInBurst(
  bench: BenchCloud,
  mode: string,
  retryThrottled: boolean,
  invited: string[],
): Promise<BurstResult> {
  const driver: ActivityDriver = {
    bench,
    organiser: bench.client({ role: 'organiser', sub: 'org-bench-throughput' }),
    expect: (what, res, status) => {
      if (res.status !== status) throw new Error(`${what}: ${res.status} ${res.text}`);
    },
    waitMs: 300_000,
  };
  const id = await schedule(driver, `签到压测 ${mode} ${Date.now().toString(36)}`, invited);
  await openCheckIn(driver, id);
  const clients = invited.map((who) => bench.client({ role: 'deputy', sub: who }, retryThrottled));
  // Sign everyone in before the clock starts: the burst measures check-ins, not token minting.
  await Promise.all(clients.map((c) => c.ready()));

  // Each deputy twice, interleaved: every second request is a duplicate.
  const requests = [...clients, ...clients].map(
    (client) => () => client.call('POST', `/activities/${id}/check-ins`),
  );
  const started = performance.now();
  const results = await Promise.all(
    requests.map(async (go) => {
      const t = performance.now();
      const res = await go().catch(
        (error: unknown) => ({ status: 0, text: String(error), throttled: 0 }) as ApiResult,
      );
      return { res, ms: performance.now() - t };
    }),
  );
  const wallMs = performance.now() - started;
  const byStatus: Record<string, number> = {};
  for (const { res } of results) byStatus[res.status] = (byStatus[res.status] ?? 0) + 1;

  const countItems = async (prefix: string) => {
    let count = 0;
    const pages = paginateQuery(
      { client: bench.doc },
      {
        TableName: bench.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': keys.activity(id).pk, ':p': prefix },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) {
      count += (page.Items ?? []).filter((i) => prefix !== 'INVITATION#' || i.checkedInAt).length;
    }
    return count;
  };
  return {
    mode,
    wallMs,
    latencies: results.map((r) => r.ms),
    byStatus,
    throttledRetries: results.reduce((a, r) => a + (r.res.throttled ?? 0), 0),
    storedCheckIns: await countItems('INVITATION#'),
    auditRecords: await countItems('AUDIT_CHECKIN#'),
  };
}

// --- npm start -----------------------------------------------------------------------------------

/** Spawns `npm start -- --reset` on free ports; milliseconds until its ready line, then stops it. */
async function npmStart(): Promise<{ ms: number; line: string }> {
  const env = { ...process.env };
  for (const name of [
    'LIANDONG_API_PORT',
    'LIANDONG_SES_PORT',
    'LIANDONG_DYNAMODB_PORT',
    'LIANDONG_SFN_PORT',
    'LIANDONG_SECRETS_PORT',
  ]) {
    env[name] = String(await freePort('127.0.0.1'));
  }
  const started = performance.now();
  const child = spawn('npm', ['start', '--', '--reset'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  try {
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`npm start: no ready line in 300 s:\n${output}`)),
        300_000,
      );
      const onData = (d: Buffer) => {
        output += d.toString();
        const line = /Liandong local cloud ready in [^\n]*/.exec(output)?.[0];
        if (line) {
          clearTimeout(timer);
          resolve({ ms: performance.now() - started, line });
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`npm start exited (${code}) before ready:\n${output}`));
      });
    });
  } finally {
    // Ctrl-C, as a person stops it: the whole group this benchmark started (npm, tsx, Java).
    if (child.exitCode === null && child.pid) {
      const exited = new Promise((r) => child.once('exit', r));
      process.kill(-child.pid, 'SIGINT');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
    }
  }
}

// --- the unthrottled burst, in a child process ----------------------------------------------------

const CHILD_FLAG = '--child-unthrottled';

async function unthrottledBurst(): Promise<{ startMs: number; burst: BurstResult }> {
  const child = spawn('npx', ['tsx', 'bench/throughput.bench.ts', CHILD_FLAG], {
    env: { ...process.env, LIANDONG_SKIP_SYNTH: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  const line = out.split('\n').find((l) => l.startsWith('{"startMs"'));
  if (code !== 0 || !line) throw new Error(`unthrottled burst failed (${code}):\n${out}`);
  return JSON.parse(line) as { startMs: number; burst: BurstResult };
}

async function childMain(): Promise<void> {
  const output = divertOutput('.local/bench/throughput-unthrottled.log');
  const bench = await startBenchCloud({ extraDeputies: 0, throttle: false });
  try {
    const burst = await checkInBurst(bench, 'throttle off', false, deputyIds(250));
    output.print(JSON.stringify({ startMs: bench.startMs, burst }));
  } finally {
    await bench.stop();
  }
}

// --- main -----------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const output = divertOutput('.local/bench/throughput.log');
  const print = output.print;
  print(`throughput — ${new Date().toISOString()} — ${machine()}`);
  await synthLocal();

  // Ready: from the startLocalCloud() call to its promise (the template already synthesized).
  const bench = await startBenchCloud({ extraDeputies: 0 });
  const readyMs = bench.startMs;
  let activities: ActivityRun[];
  let activitiesWall: number;
  const bursts: BurstResult[] = [];
  try {
    const t = performance.now();
    activities = await Promise.all(Array.from({ length: 20 }, (_, n) => oneActivity(bench, n)));
    activitiesWall = performance.now() - t;

    const invited = deputyIds(250);
    bursts.push(await checkInBurst(bench, 'throttle on, no retry', false, invited));
    bursts.push(await checkInBurst(bench, 'throttle on, clients retry 429', true, invited));
  } finally {
    await bench.stop();
  }
  // The engines with the stage throttle off: a second cloud, in a process of its own (the
  // functions' modules, and their SDK clients, are loaded once per process).
  const child = await unthrottledBurst();
  bursts.push(child.burst);

  print('\nReady');
  const rows: (string | number)[][] = [
    ['', 'ms'],
    ['startLocalCloud() to ready (in memory, template synthesized)', fmt(readyMs)],
    ['the same, throttle off (in a second process)', fmt(child.startMs)],
  ];
  if (!process.argv.includes('--no-npm-start')) {
    const npm = await npmStart();
    rows.push([`npm start -- --reset to its ready line ("${npm.line}")`, fmt(npm.ms)]);
  }
  print(table(rows));

  const ok = activities.filter((a) => !a.error);
  print(
    '\n20 activities at once (5 deputies, 5 findings, 3 departments each; to COMPLETED and referrals SENT)',
  );
  print(
    table([
      ['', 'value'],
      ['wall time, s', fmt(activitiesWall / 1000, 1)],
      [
        'per activity p50, s',
        fmt(
          percentile(
            ok.map((a) => a.ms),
            50,
          ) / 1000,
          1,
        ),
      ],
      [
        'per activity p99, s',
        fmt(
          percentile(
            ok.map((a) => a.ms),
            99,
          ) / 1000,
          1,
        ),
      ],
      ['completed', ok.length],
      ['errors', activities.length - ok.length],
      ['API requests', activities.reduce((a, r) => a + r.requests, 0)],
      ['429s retried', activities.reduce((a, r) => a + r.throttled, 0)],
    ]),
  );
  for (const a of activities.filter((x) => x.error)) print(`  error: ${a.error}`);

  print('\n500 check-ins at once: 250 invited deputies, each twice');
  print(
    table([
      ['', ...bursts.map((b) => b.mode)],
      ['wall time, ms', ...bursts.map((b) => fmt(b.wallMs))],
      ['p50, ms', ...bursts.map((b) => fmt(percentile(b.latencies, 50)))],
      ['p99, ms', ...bursts.map((b) => fmt(percentile(b.latencies, 99)))],
      ['201 checked in', ...bursts.map((b) => b.byStatus['201'] ?? 0)],
      ['409 duplicate', ...bursts.map((b) => b.byStatus['409'] ?? 0)],
      ['429 throttled (final answer)', ...bursts.map((b) => b.byStatus['429'] ?? 0)],
      [
        'other (errors)',
        ...bursts.map(
          (b) => 500 - ['201', '409', '429'].reduce((a, s) => a + (b.byStatus[s] ?? 0), 0),
        ),
      ],
      ['429s retried by clients', ...bursts.map((b) => b.throttledRetries)],
      ['stored check-ins', ...bursts.map((b) => b.storedCheckIns)],
      ['check-in audit records', ...bursts.map((b) => b.auditRecords)],
    ]),
  );
  const exact = bursts.every(
    (b) =>
      b.storedCheckIns === (b.byStatus['201'] ?? 0) &&
      b.auditRecords === b.storedCheckIns &&
      (b.mode === 'throttle on, no retry' ||
        (b.byStatus['201'] === 250 && b.byStatus['409'] === 250)),
  );
  print(
    `\ncounts exact (stored = 201s = audit records; 250 + 250 where nothing is left throttled): ${exact}`,
  );
  if (!exact || ok.length !== activities.length) process.exitCode = 1;
}

if (process.argv.includes(CHILD_FLAG)) await childMain();
else await main();
