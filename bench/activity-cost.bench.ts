// The cost of one activity, measured on the local cloud (issue 7): one activity per size run
// end to end through the HTTP API as users run it (schedule; the invitations go out; every
// deputy accepts and checks in; findings; the organiser closes attendance and findings; the
// chairmen's meeting sets committee and due date on each drafted referral and approves; the
// workflow dispatches and completes; each referral's workflow emails its department, SENT).
// Counted per activity: state transitions (activity and referral executions), Lambda
// invocations (workflow steps apart from API handlers), DynamoDB read and write units, emails,
// and dollars at list prices. A department answering is not part of the count.
//
//   npx tsx bench/activity-cost.bench.ts                       (sizes 10/10, 200/150, 1000/1000, + 10 departments)
//   npx tsx bench/activity-cost.bench.ts --sizes 10x10,200x150 (a subset; NxM = N deputies, M findings)
import type { FunctionTally } from '../infra/local/meter';
import { driveActivity, type ActivityDriver } from './support/activity-run';
import {
  activityExecution,
  deputyIds,
  divertOutput,
  history,
  machine,
  mailCount,
  mailSince,
  referralExecution,
  startBenchCloud,
  table,
  transitions,
  type ApiResult,
  type BenchCloud,
} from './support/metered-cloud';
import { PRICES, dollars } from './support/prices';
import { synthLocal } from '../infra/local/synth';

/** Findings over three departments at every size, so growth with deputies or findings shows. */
const THREE = ['EDUCATION', 'DRAINAGE', 'TRANSPORT'] as const;
/** Ten categories routed to ten different departments: growth with departments. */
const TEN = [
  'EDUCATION',
  'DRAINAGE',
  'TRANSPORT',
  'HEALTH',
  'ELDERLY_CARE',
  'MARKET_REGULATION',
  'LEGAL_AID',
  'LABOUR_DISPUTE',
  'ANCIENT_TREES',
  'HOUSING',
] as const;

interface Size {
  label: string;
  deputies: number;
  findings: number;
  categories: readonly string[];
}

const DEFAULT_SIZES: Size[] = [
  { label: '10 / 10', deputies: 10, findings: 10, categories: THREE },
  { label: '200 / 150', deputies: 200, findings: 150, categories: THREE },
  { label: '1000 / 1000', deputies: 1000, findings: 1000, categories: THREE },
  { label: '10 / 10, 10 depts', deputies: 10, findings: 10, categories: TEN },
];

function sizesFromArgs(): Size[] {
  const i = process.argv.indexOf('--sizes');
  if (i < 0) return DEFAULT_SIZES;
  return (process.argv[i + 1] ?? '').split(',').map((spec) => {
    const m = /^(\d+)x(\d+)(?:d(\d+))?$/.exec(spec.trim());
    if (!m)
      throw new Error(
        `--sizes: "${spec}" is not NxM or NxMdK (deputies x findings, K departments)`,
      );
    const departments = Number(m[3] ?? 3);
    return {
      label: `${m[1]} / ${m[2]}${departments === 3 ? '' : `, ${departments} depts`}`,
      deputies: Number(m[1]),
      findings: Number(m[2]),
      categories: departments === 3 ? THREE : TEN.slice(0, departments),
    };
  });
}

interface Measured {
  size: Size;
  wallMs: number;
  departments: number;
  activityTransitions: number;
  activityEvents: number;
  referralTransitions: number;
  referralEvents: number;
  retries: number;
  workflowInvocations: number;
  apiInvocations: number;
  otherInvocations: number;
  workflowByFunction: Record<string, number>;
  gbSeconds: number;
  workflowGbSeconds: number;
  lambdaErrors: number;
  readUnits: number;
  writeUnits: number;
  transactReported: number;
  transactComputed: number;
  estimatedUnits: number;
  ddbCalls: number;
  ddbErrors: number;
  emails: Record<string, number>;
  emailTotal: number;
  apiRequests: number;
  apiThrottled: number;
  apiFailures: string[];
  /** operation → [calls, errors, read units, write units] */
  ddbByOperation: Record<string, [number, number, number, number]>;
  /** Bytes of function log output (JSON logs, EMF metrics) during the run. */
  logBytes: number;
}

/** Function logical ids whose ARN `json` names. */
const functionsNamedIn = (bench: BenchCloud, json: string): Set<string> =>
  new Set(
    Object.entries(bench.cloud.endpoints.functions)
      .filter(([, arn]) => json.includes(arn))
      .map(([id]) => id),
  );

/** Function logical ids the state machines call (the rest serve the API or mail events). */
const workflowFunctions = (bench: BenchCloud) =>
  functionsNamedIn(
    bench,
    JSON.stringify(bench.cloud.template.stateMachines.map((m) => m.definition)),
  );

const routeFunctions = (bench: BenchCloud) =>
  functionsNamedIn(bench, JSON.stringify(bench.cloud.template.httpApis.map((a) => a.routes)));

async function runActivity(bench: BenchCloud, size: Size): Promise<Measured> {
  const meter = bench.cloud.meter!;
  const mailBefore = await mailCount(bench);
  meter.reset();
  const started = performance.now();
  const results: ApiResult[] = [];
  const failures: string[] = [];
  const expect = (what: string, res: ApiResult, status: number) => {
    results.push(res);
    if (res.status !== status) failures.push(`${what}: ${res.status} ${res.text.slice(0, 200)}`);
    return res;
  };
  const organiser = bench.client({ role: 'organiser', sub: 'org-bench-cost' });
  const deputies = deputyIds(size.deputies);
  const concurrency = 16;

  const driver: ActivityDriver = { bench, organiser, expect, waitMs: 600_000 };
  const { id, referrals } = await driveActivity(
    driver,
    `成本基准 ${size.label} ${Date.now().toString(36)}`,
    {
      invited: deputies,
      findings: Array.from({ length: size.findings }, (_, n) => {
        const category = size.categories[n % size.categories.length]!;
        return {
          by: deputies[n % deputies.length]!,
          fields: { category, description: `基准问题 ${n + 1}：${category}`, place: '文冲村' },
        };
      }),
      inFlight: () => concurrency,
    },
  );
  await bench.cloud.stepFunctionsIdle();
  const wallMs = performance.now() - started;

  const snap = meter.snapshot();
  const activityHistory = transitions(await history(bench, activityExecution(bench, id)));
  const referralHistories = await Promise.all(
    referrals.map(async (r) => transitions(await history(bench, referralExecution(bench, r)))),
  );
  const mail = await mailSince(bench, mailBefore);

  const workflowIds = workflowFunctions(bench);
  const routeIds = routeFunctions(bench);
  const sum = (pick: (id: string, t: FunctionTally) => number) =>
    Object.entries(snap.lambda).reduce((acc, [fid, t]) => acc + pick(fid, t), 0);
  const gbs = (t: FunctionTally) => (t.memoryMb / 1024) * (t.billedMs / 1000);
  const tx = snap.dynamodb.operations.TransactWriteItems ?? {};
  const estimated = Object.values(snap.dynamodb.operations)
    .flatMap((byTable) => Object.values(byTable))
    .reduce((acc, t) => acc + (t.estimatedUnits ?? 0), 0);

  return {
    size,
    wallMs,
    departments: referrals.length,
    activityTransitions: activityHistory.transitions,
    activityEvents: activityHistory.events,
    referralTransitions: referralHistories.reduce((a, h) => a + h.transitions, 0),
    referralEvents: referralHistories.reduce((a, h) => a + h.events, 0),
    retries: activityHistory.retries + referralHistories.reduce((a, h) => a + h.retries, 0),
    workflowInvocations: sum((fid, t) => (workflowIds.has(fid) ? t.invocations : 0)),
    apiInvocations: sum((fid, t) =>
      routeIds.has(fid) && !workflowIds.has(fid) ? t.invocations : 0,
    ),
    otherInvocations: sum((fid, t) =>
      !routeIds.has(fid) && !workflowIds.has(fid) ? t.invocations : 0,
    ),
    workflowByFunction: Object.fromEntries(
      Object.entries(snap.lambda)
        .filter(([fid]) => workflowIds.has(fid))
        .map(([fid, t]) => [fid, t.invocations]),
    ),
    gbSeconds: sum((_, t) => gbs(t)),
    workflowGbSeconds: sum((fid, t) => (workflowIds.has(fid) ? gbs(t) : 0)),
    lambdaErrors: sum((_, t) => t.errors),
    readUnits: snap.dynamodb.totals.readUnits,
    writeUnits: snap.dynamodb.totals.writeUnits,
    transactReported: Object.values(tx).reduce((a, t) => a + (t.reportedUnits ?? 0), 0),
    transactComputed: Object.values(tx).reduce((a, t) => a + t.writeUnits, 0),
    estimatedUnits: estimated,
    ddbCalls: snap.dynamodb.totals.calls,
    ddbErrors: snap.dynamodb.totals.errors,
    emails: mail.byKind,
    emailTotal: mail.total,
    apiRequests: results.length,
    apiThrottled: results.reduce((a, r) => a + r.throttled, 0),
    apiFailures: failures,
    logBytes: 0,
    ddbByOperation: Object.fromEntries(
      Object.entries(snap.dynamodb.operations).map(([op, byTable]) => {
        const all = Object.values(byTable);
        const add = (f: (t: (typeof all)[number]) => number) => all.reduce((a, t) => a + f(t), 0);
        return [
          op,
          [
            add((t) => t.calls),
            add((t) => t.errors),
            add((t) => t.readUnits),
            add((t) => t.writeUnits),
          ],
        ];
      }),
    ),
  };
}

const fmt = (n: number, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : '—';
const money = (n: number) => `$${n.toFixed(n < 0.01 ? 5 : 4)}`;
const ratio = (n: number, base: number) => (base > 0 ? `${(n / base).toFixed(2)}×` : '—');

async function main(): Promise<void> {
  const output = divertOutput('.local/bench/activity-cost.log');
  const print = output.print;
  const sizes = sizesFromArgs();
  const extra = Math.max(0, ...sizes.map((s) => s.deputies - 349));
  print(`activity cost — ${new Date().toISOString()} — ${machine()}`);
  print(`code: ${process.env.LIANDONG_LOCAL_CODE ?? 'entries'}; synthesizing…`);
  const synthStarted = performance.now();
  await synthLocal();
  print(`cdk synth: ${fmt((performance.now() - synthStarted) / 1000, 1)} s`);
  const bench = await startBenchCloud({ extraDeputies: extra });
  print(
    `local cloud ready in ${fmt(bench.startMs)} ms (metered); ${extra} deputies generated beyond the demo's 350\n`,
  );
  const measured: Measured[] = [];
  try {
    for (const size of sizes) {
      const logBefore = output.bytes();
      const m = await runActivity(bench, size);
      m.logBytes = output.bytes() - logBefore;
      print(
        `ran ${size.label} (${size.categories.length} categories): ${fmt(m.wallMs / 1000, 1)} s`,
      );
      if (m.apiFailures.length)
        print(`  unexpected answers:\n  ${m.apiFailures.slice(0, 10).join('\n  ')}`);
      measured.push(m);
    }
  } finally {
    await bench.stop();
  }

  const base = measured[0]!;
  const header = ['', ...measured.map((m) => m.size.label)];
  const row = (label: string, f: (m: Measured) => string | number) => [label, ...measured.map(f)];
  const kinds = [...new Set(measured.flatMap((m) => Object.keys(m.emails)))].sort();
  const cost = (m: Measured) =>
    dollars({
      transitions: m.activityTransitions + m.referralTransitions,
      lambdaRequests: m.workflowInvocations + m.apiInvocations + m.otherInvocations,
      lambdaGbSeconds: m.gbSeconds,
      readUnits: m.readUnits,
      writeUnits: m.writeUnits,
      emails: m.emailTotal,
      apiRequests: m.apiRequests,
      logBytes: m.logBytes,
    });

  print('\nPer activity (deputies / findings), measured');
  print(
    table([
      header,
      row('wall time, s', (m) => fmt(m.wallMs / 1000, 1)),
      row('departments (referrals)', (m) => m.departments),
      row('transitions: activity execution', (m) => m.activityTransitions),
      row('transitions: referral executions', (m) => m.referralTransitions),
      row('  of which task retries', (m) => m.retries),
      row('history events: activity', (m) => m.activityEvents),
      row('Lambda: workflow invocations', (m) => m.workflowInvocations),
      row('Lambda: API invocations', (m) => m.apiInvocations),
      row('Lambda: other', (m) => m.otherInvocations),
      row('Lambda: failed invocations', (m) => m.lambdaErrors),
      row('Lambda GB-s (all, local durations)', (m) => fmt(m.gbSeconds, 2)),
      row('Lambda GB-s (workflow)', (m) => fmt(m.workflowGbSeconds, 2)),
      row('DynamoDB calls', (m) => m.ddbCalls),
      row('DynamoDB read units', (m) => fmt(m.readUnits, 1)),
      row('DynamoDB write units', (m) => fmt(m.writeUnits, 0)),
      row(
        '  transactions: computed / Local said',
        (m) => `${m.transactComputed} / ${m.transactReported}`,
      ),
      row('  estimated (failed conditions)', (m) => m.estimatedUnits),
      ...kinds.map((k) => row(`emails: ${k}`, (m) => m.emails[k] ?? 0)),
      row('emails: total', (m) => m.emailTotal),
      row('API requests (billed)', (m) => m.apiRequests),
      row('API 429s retried (stage throttle)', (m) => m.apiThrottled),
      row('function log output, KB', (m) => fmt(m.logBytes / 1024, 0)),
    ]),
  );

  print('\nRatios to the first size (the target: workflow rows stay 1.00× at 3 departments)');
  print(
    table([
      header,
      row('transitions (all executions)', (m) =>
        ratio(
          m.activityTransitions + m.referralTransitions,
          base.activityTransitions + base.referralTransitions,
        ),
      ),
      row('workflow invocations', (m) => ratio(m.workflowInvocations, base.workflowInvocations)),
      row('referral emails', (m) =>
        ratio(m.emails['转办'] ?? m.departments, base.emails['转办'] ?? base.departments),
      ),
      row('API invocations', (m) => ratio(m.apiInvocations, base.apiInvocations)),
      row('write units', (m) => ratio(m.writeUnits, base.writeUnits)),
      row('read units', (m) => ratio(m.readUnits, base.readUnits)),
      row('$ total', (m) => ratio(cost(m).total, cost(base).total)),
    ]),
  );

  print(`\nDollars per activity at list prices (${PRICES.region}, ${PRICES.asOf})`);
  print(
    table([
      header,
      row('Step Functions', (m) => money(cost(m).stepFunctions!)),
      row('Lambda (requests + GB-s, Arm)', (m) => money(cost(m).lambda!)),
      row('DynamoDB on-demand', (m) => money(cost(m).dynamodb!)),
      row('SES', (m) => money(cost(m).ses!)),
      row('API Gateway HTTP API', (m) => money(cost(m).apiGateway!)),
      row('CloudWatch Logs ingestion', (m) => money(cost(m).logs!)),
      row('total', (m) => money(cost(m).total)),
    ]),
  );

  print('\nWorkflow invocations by function');
  const fns = [...new Set(measured.flatMap((m) => Object.keys(m.workflowByFunction)))].sort();
  print(table([header, ...fns.map((f) => row(f, (m) => m.workflowByFunction[f] ?? 0))]));
  print('\nDynamoDB by operation: calls / failed / read units / write units');
  const ops = [...new Set(measured.flatMap((m) => Object.keys(m.ddbByOperation)))].sort();
  print(
    table([
      header,
      ...ops.map((op) =>
        row(op, (m) => {
          const [calls, errors, ru, wu] = m.ddbByOperation[op] ?? [0, 0, 0, 0];
          return `${calls} / ${errors} / ${fmt(ru, 1)} / ${fmt(wu, 0)}`;
        }),
      ),
    ]),
  );
  const failed = measured.some((m) => m.apiFailures.length > 0);
  if (failed) process.exitCode = 1;
}

await main();
