// Cold start (issues 7 and 13): every function's bundle, built exactly as `cdk deploy` builds it,
// imported in a fresh Node 22 process, against a floor bundle that holds only
// `@aws-sdk/client-dynamodb`. The primary figure is instructions counted by valgrind's callgrind,
// which another process on the machine cannot change (wall and CPU time can: on a loaded machine
// the floor itself moved from 93 to 182 ms between pairs). Node's own start-up (the probe
// importing an empty module) is counted apart and taken off both sides, so the ratio compares
// what the imports themselves cost. Target: every function within 1.3× of the floor.
//
// Each function is bundled twice: as deployed (X-Ray active tracing; the Powertools Tracer and the
// X-Ray SDK left out of the bundle), and as `cdk deploy -c liandong:sdkTracing=true` builds it
// (the Tracer in the bundle and on, as the "SDK-traced" columns show); both are imported in
// every run, each next to a floor import. The target is judged on the bundles as deployed.
//
// `npm run bench -- cold-start`. LIANDONG_BENCH_COUNT_RUNS sets the callgrind runs per bundle
// (default 3, the median is taken); LIANDONG_BENCH_RUNS the timed runs per function (default 5); LIANDONG_BENCH_SKIP_SYNTH=1 reuses the bundles of the previous run;
// LIANDONG_BENCH_ONLY=audit/,referrals/ measures only the functions whose entry contains one of
// the comma-separated parts (the figures are then not written to docs/performance.md);
// LIANDONG_BENCH_SKIP_SDK_TRACED=1 leaves out the SDK-traced build (its second `cdk synth` is half
// of a run's time on a busy machine) and its columns (the section written says so).
// LIANDONG_BENCH_NO_WRITE=1 leaves docs/performance.md as it is (bench/support/figures.ts).
// LIANDONG_BENCH_COUNT_WORKERS sets how many callgrind counts run at once (default: one per core,
// `os.availableParallelism()`). A count is of instructions, which do not depend on what else the
// machine runs, so counting in parallel changes how long a run takes, not its figures
// (docs/performance.md "Cold start" compares the same bundles counted both ways). The timed runs
// stay one at a time: time does depend on load.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as z from 'zod';
import { ProjectFunction, SDK_TRACING_CONTEXT_KEY } from '../infra/constructs/project-function';
import { loadTemplate, templatePath, type CfnTemplate } from '../infra/local/template';
import { writeFigures } from './support/figures';
import { node22 } from './support/node';
import { benchDir, projectRoot } from './support/paths';
import { median, p90, ratio, round, shuffled } from './support/stats';
import { formatTable, type Column, type Table } from './support/table';

const TARGET = 1.3;
const RUNS = Number(process.env.LIANDONG_BENCH_RUNS ?? 5);
const COUNT_RUNS = Number(process.env.LIANDONG_BENCH_COUNT_RUNS ?? 3);
const COUNT_WORKERS = Number(process.env.LIANDONG_BENCH_COUNT_WORKERS ?? availableParallelism());
const WITH_SDK_TRACED = process.env.LIANDONG_BENCH_SKIP_SDK_TRACED !== '1';
const REGION = 'ap-east-1';
const workDir = join(benchDir, 'cold-start');
const stackOut = join(workDir, 'stack');
const tracedOut = join(workDir, 'stack-sdk-tracing');
const floorOut = join(workDir, 'floor');
const startupOut = join(workDir, 'node-start-up');

interface Subject {
  /** The handler entry (functions/...), or `floor`. */
  name: string;
  logicalId: string;
  bundle: string;
  env: Record<string, string>;
}

/** The deployable synth, as CI and `cdk deploy` run it: every function bundled by esbuild. */
function synthStack(outDir: string, context: string[] = []): void {
  rmSync(outDir, { recursive: true, force: true });
  const args = ['cdk', 'synth', '--quiet', '-o', outDir, ...context.flatMap((c) => ['-c', c])];
  console.log(
    `bundling every function: npx ${args.join(' ').replace(outDir, relative(projectRoot, outDir))}`,
  );
  const out = spawnSync('npx', args, {
    cwd: projectRoot,
    encoding: 'utf8',
  });
  if (out.status !== 0)
    throw new Error(`cdk synth failed (${out.status}):\n${out.stdout}\n${out.stderr}`);
}

/** The floor handler, bundled by ProjectFunction itself: same esbuild options, same environment. */
function synthFloor(): void {
  rmSync(floorOut, { recursive: true, force: true });
  // The CLI turns asset metadata on for `cdk synth`; an app synthesized in-process asks for it.
  const app = new App({ outdir: floorOut, context: { 'aws:cdk:enable-asset-metadata': true } });
  const stack = new Stack(app, 'ColdStartFloor');
  new ProjectFunction(stack, 'Floor', {
    entry: 'bench/support/floor-handler.ts',
    description: 'cold-start floor: @aws-sdk/client-dynamodb only',
    envSchema: z.object({}),
    environment: {},
    logRetention: logs.RetentionDays.ONE_DAY,
  });
  app.synth();
}

/** The variables the Lambda runtime sets for every function, so Powertools sees a Lambda. */
function lambdaEnv(logicalId: string, taskRoot: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_LAMBDA_FUNCTION_NAME: logicalId,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
    LAMBDA_TASK_ROOT: taskRoot,
  };
}

/** Secrets resolved at deploy time stand in as a value of the length the schemas accept. */
const resolveDynamicReferences = (value: string): string =>
  value.replace(/\{\{resolve:secretsmanager:[^}]*\}\}/g, 'x'.repeat(48));

function subjects(outDir: string): Subject[] {
  // Placeholder URLs: the functions only parse them at import.
  const context = {
    cdkOut: outDir,
    region: REGION,
    issuerUrl: 'http://127.0.0.1:9/_local/issuer',
    apiUrl: 'http://127.0.0.1:9',
  };
  const template = loadTemplate(context);
  const functions = template.functions.map((fn) => {
    if (!fn.assetDir)
      throw new Error(`${fn.logicalId} was not bundled: synth without liandong:bundle=false`);
    const env = Object.fromEntries(
      Object.entries(fn.environment).map(([k, v]) => [k, resolveDynamicReferences(v)]),
    );
    return {
      // The entry is resolved against the cdk.out's parent: take it back relative to that.
      name: fn.entry ? relative(join(outDir, '..'), fn.entry) : fn.logicalId,
      logicalId: fn.logicalId,
      bundle: join(fn.assetDir, 'index.mjs'),
      env: { ...lambdaEnv(fn.logicalId, fn.assetDir), ...env },
    };
  });
  // Two functions on one entry would print as one name: tell them apart by logical id.
  for (const fn of functions) {
    if (functions.filter((other) => other.name === fn.name).length > 1)
      fn.name += ` (${fn.logicalId})`;
  }
  return functions.sort((a, b) => a.name.localeCompare(b.name));
}

function floorSubject(): Subject {
  const floorTemplate = JSON.parse(
    readFileSync(templatePath(floorOut, 'ColdStartFloor'), 'utf8'),
  ) as CfnTemplate;
  const [logicalId, resource] =
    Object.entries(floorTemplate.Resources ?? {}).find(
      ([, r]) => r.Type === 'AWS::Lambda::Function',
    ) ?? [];
  const assetPath = resource?.Metadata?.['aws:asset:path'];
  if (!logicalId || typeof assetPath !== 'string') throw new Error('the floor was not bundled');
  const assetDir = join(floorOut, assetPath);
  const variables = (resource?.Properties?.Environment as { Variables?: Record<string, string> })
    ?.Variables;
  return {
    name: 'floor',
    logicalId,
    bundle: join(assetDir, 'index.mjs'),
    env: { ...lambdaEnv(logicalId, assetDir), ...variables },
  };
}

/**
 * Node's own start-up and the probe around an import: the probe importing a module that holds
 * only a handler. Counted apart and taken off every count, so a ratio compares imports alone.
 */
function startupSubject(floor: Subject): Subject {
  rmSync(startupOut, { recursive: true, force: true });
  mkdirSync(startupOut, { recursive: true });
  const bundle = join(startupOut, 'index.mjs');
  writeFileSync(bundle, 'export const handler = async () => undefined;\n');
  return { name: 'node start-up', logicalId: floor.logicalId, bundle, env: floor.env };
}

const probeScript = join(projectRoot, 'bench', 'support', 'import-probe.mjs');

interface Sample {
  /** Wall-clock milliseconds around the import. */
  ms: number;
  /** CPU milliseconds (user + system) the process spent in it. */
  cpuMs: number;
}

interface ProbeOutput {
  status: number | null;
  stdout: string;
  stderr: string;
}

const probeCommand = (subject: Subject, wrapper: string[]): [string, string[]] => {
  const [command, ...args] = [...wrapper, node22(), probeScript, subject.bundle];
  return [command!, args];
};
const probeOptions = (subject: Subject) => ({ cwd: join(subject.bundle, '..'), env: subject.env });

/** The probe's report of one import, or the reason it failed. */
function probeResult(subject: Subject, out: ProbeOutput): Sample {
  const line = out.stdout.split('\n').findLast((l) => l.startsWith('@@probe '));
  const result = line
    ? (JSON.parse(line.slice('@@probe '.length)) as Partial<Sample> & { error?: string })
    : {};
  if (typeof result.ms !== 'number' || typeof result.cpuMs !== 'number') {
    throw new Error(
      `${subject.name}: import failed (exit ${out.status}): ${result.error ?? out.stderr.slice(0, 2000)}`,
    );
  }
  return { ms: result.ms, cpuMs: result.cpuMs };
}

/** One cold import in a fresh Node 22 process, with the function's template environment. */
function probe(subject: Subject): Sample {
  const [command, args] = probeCommand(subject, []);
  return probeResult(
    subject,
    spawnSync(command, args, { ...probeOptions(subject), encoding: 'utf8' }),
  );
}

/** The probe in a child process that does not block this one, so several can run at once. */
function probeAsync(subject: Subject, wrapper: string[]): Promise<ProbeOutput> {
  const [command, args] = probeCommand(subject, wrapper);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, probeOptions(subject));
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/**
 * Instructions the whole process executed (every thread), counted by callgrind: Node's start-up,
 * the probe and the import. The count does not depend on what else the machine runs.
 */
async function countInstructions(subject: Subject): Promise<number> {
  const out = await probeAsync(subject, [
    'valgrind',
    '--tool=callgrind',
    '--callgrind-out-file=/dev/null',
  ]);
  probeResult(subject, out);
  const collected = /Collected\s*:\s*(\d+)/.exec(out.stderr)?.[1];
  if (!collected) throw new Error(`${subject.name}: callgrind printed no count:\n${out.stderr}`);
  return Number(collected);
}

/**
 * COUNT_RUNS counts of every subject, COUNT_WORKERS at a time; the median count of each.
 * `onCount` reports progress.
 */
async function medianCounts(
  subjects: readonly Subject[],
  onCount: (done: number, total: number, subject: Subject) => void,
): Promise<Map<Subject, number>> {
  const jobs = subjects.flatMap((subject) => Array.from({ length: COUNT_RUNS }, () => subject));
  const counts = new Map<Subject, number[]>(subjects.map((subject) => [subject, []]));
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    for (let job = jobs[next++]; job; job = jobs[next++]) {
      counts.get(job)!.push(await countInstructions(job));
      onCount(++done, jobs.length, job);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, COUNT_WORKERS) }, worker));
  return new Map([...counts].map(([subject, list]) => [subject, median(list)]));
}

function valgrindVersion(): string {
  const out = spawnSync('valgrind', ['--version'], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error('valgrind is not installed (apt-get install valgrind)');
  return out.stdout.trim();
}

const kb = (path: string): number => statSync(path).size / 1024;
const millions = (count: number): string => round(count / 1e6, 0);

async function main(): Promise<void> {
  const valgrind = valgrindVersion();
  const reuse =
    process.env.LIANDONG_BENCH_SKIP_SYNTH === '1' &&
    existsSync(templatePath(stackOut)) &&
    (!WITH_SDK_TRACED || existsSync(templatePath(tracedOut)));
  if (!reuse) {
    synthStack(stackOut);
    if (WITH_SDK_TRACED) synthStack(tracedOut, [`${SDK_TRACING_CONTEXT_KEY}=true`]);
  }
  synthFloor();
  const floor = floorSubject();
  const startup = startupSubject(floor);
  const only = process.env.LIANDONG_BENCH_ONLY?.split(',').filter(Boolean);
  const functions = subjects(stackOut).filter(
    (fn) => !only || only.some((part) => fn.name.includes(part)),
  );
  const tracedBuilds = new Map(
    WITH_SDK_TRACED ? subjects(tracedOut).map((fn) => [fn.logicalId, fn]) : [],
  );
  const tracedOf = (fn: Subject): Subject => {
    const traced = tracedBuilds.get(fn.logicalId);
    if (!traced) throw new Error(`${fn.logicalId} is missing from the SDK-traced synth`);
    return traced;
  };

  // Primary: instructions (the bundles as deployed).
  console.log(
    `${functions.length} functions; ${COUNT_RUNS} callgrind runs per bundle (${valgrind}), ` +
      `${COUNT_WORKERS} at a time, then ${RUNS} timed runs each`,
  );
  const countsOf = await medianCounts([startup, floor, ...functions], (done, total, subject) =>
    process.stdout.write(`counted ${done}/${total} ${subject.name}\x1b[K\r`),
  );
  const startupCount = countsOf.get(startup)!;
  const floorCount = countsOf.get(floor)!;
  const floorImport = floorCount - startupCount;
  const counts = new Map(functions.map((fn) => [fn.name, countsOf.get(fn)!]));

  // Secondary: time. Warm-up first: the first read of a bundle from disk is not what a Lambda
  // cold start pays.
  probe(floor);
  for (const fn of functions) probe(fn);
  const samples = new Map<string, { fn: Sample[]; traced: Sample[]; floor: Sample[] }>(
    functions.map((fn) => [fn.name, { fn: [], traced: [], floor: [] }]),
  );
  for (let run = 1; run <= RUNS; run++) {
    process.stdout.write(`timed run ${run}/${RUNS}\x1b[K\r`);
    // Each function's imports sit next to floor imports taken moments before or after, in a
    // different order every run, so a burst of load on the shared machine hits both sides.
    for (const fn of shuffled(functions)) {
      const s = samples.get(fn.name)!;
      const imports = shuffled([
        () => s.floor.push(probe(floor)),
        () => s.fn.push(probe(fn)),
        ...(WITH_SDK_TRACED ? [() => s.traced.push(probe(tracedOf(fn)))] : []),
      ]);
      for (const run of imports) run();
    }
  }

  const wall = (list: Sample[]) => list.map((x) => x.ms);
  const cpu = (list: Sample[]) => list.map((x) => x.cpuMs);
  const allFloor = [...samples.values()].flatMap((s) => s.floor);
  const rows = functions.map((fn) => {
    const s = samples.get(fn.name)!;
    const total = counts.get(fn.name)!;
    const countRatio = (total - startupCount) / floorImport;
    const cpuRatio = median(cpu(s.fn)) / median(cpu(s.floor));
    const tracedRatio = WITH_SDK_TRACED ? median(cpu(s.traced)) / median(cpu(s.floor)) : 0;
    return {
      name: fn.name,
      countRatio,
      row: [
        fn.name,
        round(kb(fn.bundle), 0),
        millions(total),
        millions(total - startupCount),
        ratio(countRatio),
        countRatio <= TARGET ? 'pass' : 'MISS',
        round(median(wall(s.fn))),
        round(p90(wall(s.fn))),
        round(median(cpu(s.fn))),
        ratio(cpuRatio),
        WITH_SDK_TRACED ? round(kb(tracedOf(fn).bundle), 0) : '',
        WITH_SDK_TRACED ? ratio(tracedRatio) : '',
      ],
    };
  });
  // Without the SDK-traced build its two columns are left out, not left empty.
  const columnCount = WITH_SDK_TRACED ? 12 : 10;
  const columns: Column[] = [
    { title: 'function' },
    { title: 'bundle KB', align: 'right' },
    { title: 'process M instr', align: 'right' },
    { title: 'import M instr', align: 'right' },
    { title: 'ratio', align: 'right' },
    { title: `≤ ${TARGET}×` },
    { title: 'import ms', align: 'right' },
    { title: 'p90 ms', align: 'right' },
    { title: 'CPU ms', align: 'right' },
    { title: 'CPU ratio', align: 'right' },
    { title: 'SDK-traced bundle KB', align: 'right' },
    { title: 'SDK-traced CPU ratio', align: 'right' },
  ];
  const table: Table = {
    columns: columns.slice(0, columnCount),
    rows: [
      [
        'node start-up (empty module)',
        '',
        millions(startupCount),
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
      ],
      [
        'floor (client-dynamodb only)',
        round(kb(floor.bundle), 0),
        millions(floorCount),
        millions(floorImport),
        ratio(1),
        '',
        round(median(wall(allFloor))),
        round(p90(wall(allFloor))),
        round(median(cpu(allFloor))),
        ratio(1),
        '',
        '',
      ],
      ...rows.map((r) => r.row),
    ].map((row) => row.slice(0, columnCount)),
  };
  console.log(`\n${formatTable(table)}`);
  const misses = rows.filter((r) => r.countRatio > TARGET);
  const worst = rows.reduce((a, b) => (b.countRatio > a.countRatio ? b : a), rows[0]!);
  const verdicts = [
    misses.length === 0
      ? `Every function within ${TARGET}× of the floor in instructions (worst ${ratio(worst.countRatio)}, ${worst.name}).`
      : `${misses.length} of ${rows.length} functions above ${TARGET}× of the floor in instructions: ` +
        misses.map((r) => `${r.name} ${ratio(r.countRatio)}`).join(', ') +
        '.',
    `Node's own start-up: ${millions(startupCount)} M instructions; the floor's import ${millions(floorImport)} M.`,
  ];
  console.log(`\n${verdicts.join('\n')}`);

  // docs/performance.md holds the whole table, every function (a run of some only prints them);
  // the section names the variables the run was started with.
  if (only) return;
  const settings = [
    'LIANDONG_BENCH_COUNT_RUNS',
    'LIANDONG_BENCH_RUNS',
    'LIANDONG_BENCH_COUNT_WORKERS',
    'LIANDONG_BENCH_SKIP_SDK_TRACED',
    'LIANDONG_BENCH_SKIP_SYNTH',
  ].filter((name) => process.env[name] !== undefined);
  await writeFigures({
    bench: 'cold-start',
    title: 'Cold start',
    command: [
      ...settings.map((name) => `${name}=${process.env[name]}`),
      'npm run bench -- cold-start',
    ].join(' '),
    summary:
      "Each function bundled as `cdk deploy` bundles it (`npx cdk synth --quiet`, ProjectFunction's " +
      'esbuild options, the AWS SDK bundled in), then imported in a fresh Node 22 process with ' +
      'its template environment. The floor is a handler that imports only ' +
      '`@aws-sdk/client-dynamodb` and creates a client, bundled by ProjectFunction too. ' +
      `**Primary figure: instructions**, counted by valgrind's callgrind (${valgrind}, ` +
      '`valgrind --tool=callgrind` around the probe process, every thread; ' +
      (COUNT_RUNS === 1 ? 'one count per bundle' : `median of ${COUNT_RUNS} counts per bundle`) +
      `, ${COUNT_WORKERS} counted at a time), which does not move with the load other work puts ` +
      'on the machine, where time does. "node start-up" is the same probe importing an empty ' +
      'module: Node and the probe alone; it is taken off every count, so "import M instr" is ' +
      'what the bundle itself costs, and ratio = import instructions of the function / import ' +
      `instructions of the floor. Target: ≤ ${TARGET}×. Secondary, in time (${RUNS === 1 ? 'one run' : `${RUNS} runs`} after a ` +
      'warm-up, each import paired with a floor import in random order): the median wall-clock ' +
      "milliseconds of the import, its p90, the process's CPU time and its ratio to the paired " +
      'floor imports' +
      (WITH_SDK_TRACED
        ? '; and the CPU ratio of the bundle `cdk deploy ' +
          `-c ${SDK_TRACING_CONTEXT_KEY}=true\` builds (Powertools Tracer bundled and on: "SDK-traced"). `
        : '. The bundle `cdk deploy ' +
          `-c ${SDK_TRACING_CONTEXT_KEY}=true\` builds ("SDK-traced") was not measured in this run ` +
          '(`LIANDONG_BENCH_SKIP_SDK_TRACED=1`), so its columns are left out. ') +
      'Bundle KB is index.mjs without its source map.',
    tables: [{ table }],
    notes: verdicts,
  });
}

await main();
