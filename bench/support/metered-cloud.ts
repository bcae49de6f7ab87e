// Shared by the cost and throughput benchmarks: synthesize, start the local cloud in this
// process (metered), seed the demo reference data plus generated deputies, and drive the HTTP
// API as users do. Reads that only tell the benchmark where the workflow stands go straight to
// DynamoDB Local and Step Functions, past the meter and the API, so they are not counted.
import { randomUUID } from 'node:crypto';
import { mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { cpus, totalmem } from 'node:os';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetExecutionHistoryCommand, SFNClient, type HistoryEvent } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { executionArnOf } from '../../functions/activities/view';
import { keys } from '../../functions/shared/data/keys';
import { demoDeputies, demoSeedItems, DEMO_DEPUTY_COUNT } from '../../infra/local/seed';
import type { MintOptions } from '../../infra/local/api/issuer';
import { startLocalCloud, type LocalCloud } from '../../infra/local/cloud';
import { localCode } from '../../infra/local/code';
import { LOCAL_CREDENTIALS } from '../../infra/local/dynamodb';
import { readSentMail, type SentMail } from '../../infra/local/ses';
import { percentile, pool } from '../../test/support/load';
import { eventually, sleep } from '../../test/support/poll';

export { percentile, pool, sleep };

/** Ids of generated deputies beyond the demo's 350: dep-0351 … */
export const extraDeputyId = (n: number): string =>
  `dep-${String(DEMO_DEPUTY_COUNT + n).padStart(4, '0')}`;

/**
 * `count` more active deputies in the demo items' exact shapes (profile, listing keys, email
 * lookup), each a copy of a demo deputy's seats and street under a new id and name.
 */
export function extraDeputyItems(count: number): Record<string, unknown>[] {
  const demo = demoDeputies().filter((d) => d.active);
  const head = demoSeedItems().find((item) => item.entity === 'DEPUTY') ?? {};
  const stream = {
    auditSeq: head.auditSeq,
    auditHash: head.auditHash,
    createdAt: head.createdAt,
    updatedAt: head.updatedAt,
  };
  return Array.from({ length: count }, (_, i) => {
    const model = demo[i % demo.length]!;
    const id = extraDeputyId(i + 1);
    const name = `${model.name}${i + 1}`;
    const email = `${id}@${model.email.split('@')[1]}`;
    return [
      {
        ...model,
        ...keys.deputy(id),
        ...keys.deputyListing(name, id),
        id,
        name,
        email,
        ...stream,
      },
      { ...keys.deputyEmail(email), entity: 'DEPUTY_EMAIL', deputyId: id },
    ];
  }).flat();
}

/** Active deputy ids, demo first, then generated ones. */
export function deputyIds(count: number): string[] {
  const demo = demoDeputies()
    .filter((d) => d.active)
    .map((d) => d.id);
  const extra = Array.from({ length: Math.max(0, count - demo.length) }, (_, i) =>
    extraDeputyId(i + 1),
  );
  return [...demo, ...extra].slice(0, count);
}

export interface BenchCloud {
  cloud: LocalCloud;
  /** Milliseconds from the startLocalCloud() call to its promise resolving. */
  startMs: number;
  doc: DynamoDBDocumentClient;
  sfn: SFNClient;
  table: string;
  client: ApiClientFactory;
  stop(): Promise<void>;
}

export async function startBenchCloud(
  options: { extraDeputies?: number; throttle?: boolean } = {},
): Promise<BenchCloud> {
  const started = performance.now();
  const cloud = await startLocalCloud({
    inMemory: true,
    quiet: true,
    allowTokenMinting: true,
    meter: true,
    code: localCode(),
    ...(options.throttle === false ? { throttle: false } : {}),
  });
  const startMs = performance.now() - started;
  await cloud.seedIfEmpty([...demoSeedItems(), ...extraDeputyItems(options.extraDeputies ?? 0)]);
  const { endpoints } = cloud;
  const aws = { region: endpoints.region, credentials: LOCAL_CREDENTIALS };
  const doc = DynamoDBDocumentClient.from(
    new DynamoDBClient({ ...aws, endpoint: endpoints.dynamodb }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  const sfn = new SFNClient({ ...aws, endpoint: endpoints.stepfunctions });
  const table = Object.values(endpoints.tables)[0]!;
  return {
    cloud,
    startMs,
    doc,
    sfn,
    table,
    client: apiClients(cloud),
    stop: async () => {
      doc.destroy();
      sfn.destroy();
      await cloud.stop();
    },
  };
}

// --- the HTTP API, as users call it --------------------------------------------------------

export interface ApiResult<T = Record<string, unknown>> {
  status: number;
  json: T;
  text: string;
  /** Milliseconds of the last attempt. */
  ms: number;
  /** 429 answers (stage throttling) before this one; each was retried after a pause. */
  throttled: number;
}

export interface ApiClient {
  /** Signs in (mints the token) without calling the API. */
  ready(): Promise<void>;
  call<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<ApiResult<T>>;
}

export type ApiClientFactory = (who: MintOptions, retryThrottled?: boolean) => ApiClient;

/** Clients that sign in once per identity and, unless told not to, retry 429 with backoff. */
function apiClients(cloud: LocalCloud): ApiClientFactory {
  const tokens = new Map<string, Promise<string>>();
  return (who, retryThrottled = true) => {
    const tokenKey = JSON.stringify(who);
    const token = (): Promise<string> => {
      let t = tokens.get(tokenKey);
      if (!t) tokens.set(tokenKey, (t = cloud.mintToken(who)));
      return t;
    };
    return {
      ready: async () => {
        await token();
      },
      call: async <T>(
        method: string,
        path: string,
        body?: unknown,
        headers: Record<string, string> = {},
      ) => {
        const auth = `Bearer ${await token()}`;
        for (let throttled = 0; ; throttled++) {
          const started = performance.now();
          const res = await fetch(`${cloud.endpoints.api}${path}`, {
            method,
            headers: {
              authorization: auth,
              ...(body === undefined ? {} : { 'content-type': 'application/json' }),
              ...headers,
            },
            ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          });
          const text = await res.text();
          const ms = performance.now() - started;
          if (res.status === 429 && retryThrottled && throttled < 50) {
            // Full jitter, as the SDKs back off.
            await sleep(Math.random() * Math.min(2000, 50 * 2 ** Math.min(throttled, 6)));
            continue;
          }
          let json: T;
          try {
            json = JSON.parse(text) as T;
          } catch {
            json = undefined as T;
          }
          return { status: res.status, json, text, ms, throttled };
        }
      },
    };
  };
}

export const idempotencyKey = (): Record<string, string> => ({ 'Idempotency-Key': randomUUID() });

// --- where the workflow stands (uncounted reads) ---------------------------------------------

/** Polls until `accept` holds (the kit's one polling helper, a benchmark's longer deadline). */
export const waitFor = <T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  what: string,
  timeoutMs = 120_000,
): Promise<T> => eventually(probe, accept, { timeoutMs, intervalMs: 100, what });

export const readItem = async (
  bench: BenchCloud,
  key: { pk: string; sk: string },
): Promise<Record<string, unknown> | undefined> =>
  (await bench.doc.send(new GetCommand({ TableName: bench.table, Key: key, ConsistentRead: true })))
    .Item;

export const activityItem = async (
  bench: BenchCloud,
  id: string,
): Promise<{ status?: string; pendingTask?: { phase?: string } }> =>
  (await readItem(bench, keys.activity(id))) ?? {};

export const waitForPhase = (bench: BenchCloud, id: string, phase: string, ms?: number) =>
  waitFor(
    () => activityItem(bench, id),
    (a) => a.pendingTask?.phase === phase,
    `activity ${id} waiting on ${phase}`,
    ms,
  );

export const waitForStatus = (bench: BenchCloud, id: string, status: string, ms?: number) =>
  waitFor(
    () => activityItem(bench, id),
    (a) => a.status === status,
    `activity ${id} ${status}`,
    ms,
  );

/** A state machine's ARN by the start of its logical id (CDK appends a hash). */
export function stateMachineArn(bench: BenchCloud, prefix: string): string {
  const found = Object.entries(bench.cloud.endpoints.stateMachines).find(([id]) =>
    id.startsWith(prefix),
  );
  if (!found) throw new Error(`no state machine ${prefix}* in the template`);
  return found[1];
}

export const activityExecution = (bench: BenchCloud, activityId: string): string =>
  executionArnOf(stateMachineArn(bench, 'ActivityWorkflow'), activityId);

export const referralExecution = (bench: BenchCloud, referralId: string): string =>
  executionArnOf(stateMachineArn(bench, 'ReferralWorkflow'), referralId);

export async function history(bench: BenchCloud, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const out = await bench.sfn.send(
      new GetExecutionHistoryCommand({
        executionArn,
        maxResults: 1000,
        nextToken,
        includeExecutionData: false,
      }),
    );
    events.push(...(out.events ?? []));
    nextToken = out.nextToken;
  } while (nextToken);
  return events;
}

/**
 * State transitions as Standard workflows are billed: one per state entered, and one more for
 * each retry of a task (a task scheduled again within the same state).
 */
export function transitions(events: HistoryEvent[]): {
  transitions: number;
  retries: number;
  events: number;
} {
  const entered = events.filter((e) => e.type?.endsWith('StateEntered')).length;
  const scheduled = events.filter((e) => e.type?.endsWith('Scheduled')).length;
  const taskStates = events.filter((e) => e.type === 'TaskStateEntered').length;
  const retries = Math.max(0, scheduled - taskStates);
  return { transitions: entered + retries, retries, events: events.length };
}

/** Emails sent since `count` emails were in the store, by kind (the subject's words before ：). */
export async function mailSince(
  bench: BenchCloud,
  count: number,
): Promise<{ total: number; byKind: Record<string, number>; all: SentMail[] }> {
  const all = await readSentMail(bench.cloud.endpoints.sesStore);
  const fresh = all.slice(count);
  const byKind: Record<string, number> = {};
  for (const mail of fresh) {
    const kind =
      mail.subject
        .replace(/^【[^】]*】/, '')
        .split(/[：:]/)[0]!
        .trim() || 'other';
    byKind[kind] = (byKind[kind] ?? 0) + 1;
  }
  return { total: fresh.length, byKind, all };
}

export const mailCount = async (bench: BenchCloud): Promise<number> =>
  (await readSentMail(bench.cloud.endpoints.sesStore)).length;

// --- output ------------------------------------------------------------------------------------

export interface Diverted {
  /** Writes to the real standard output (the benchmark's report). */
  print(text?: string): void;
  /** Bytes the functions (and anything else) wrote since start. */
  bytes(): number;
}

/**
 * Sends everything written to stdout and stderr (the functions' JSON logs and EMF metrics, as
 * Lambda would ship to CloudWatch Logs) to `file`, so the report stays readable; the functions
 * still do all their logging work. `print` writes the report itself.
 */
export function divertOutput(file: string): Diverted {
  mkdirSync(dirname(file), { recursive: true });
  const fd = openSync(file, 'w');
  const realWrite = process.stdout.write.bind(process.stdout);
  let written = 0;
  const sink = (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk);
    written += buffer.length;
    writeSync(fd, buffer);
    const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  };
  process.stdout.write = sink as typeof process.stdout.write;
  process.stderr.write = sink as typeof process.stderr.write;
  return {
    print: (text = '') => {
      realWrite(`${text}\n`);
    },
    bytes: () => written,
  };
}

// --- figures -----------------------------------------------------------------------------------

export function machine(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, ${process.platform}`;
}

/** A plain-text table: the first row is the header. */
export function table(rows: (string | number)[][]): string {
  const cells = rows.map((row) => row.map((c) => String(c)));
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((r) => [...(r[i] ?? '')].length)));
  const line = (r: string[]) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [
    line(cells[0]!),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...cells.slice(1).map(line),
  ].join('\n');
}
