// The chaos suites' own local cloud: each file starts one (they kill and restart engines, so they
// cannot share the integration run's cloud), with fault proxies in front of DynamoDB Local and
// local SES for the functions, while the tests read the engines directly.
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ListExecutionsCommand, type ExecutionListItem } from '@aws-sdk/client-sfn';
import { demoSeedItems } from '../../functions/shared/demo/seed';
import { startLocalCloud, type LocalCloud, type LocalCloudPorts } from '../../infra/local/cloud';
import { localCode } from '../../infra/local/code';
import {
  startDynamoDbFaultProxy,
  startSesFaultProxy,
  type DynamoDbFaults,
  type FaultProxy,
  type SesFaults,
} from '../../infra/local/faults';
import { freePort } from '../../infra/local/ports';
import type { ApiClient, ApiResponse } from '../integration/support/api';
import { ddbDoc, sfnClient } from '../integration/support/aws';
import { sleep } from '../integration/support/activity';
import { stateMachineArn, tableName, useLocalCloud } from '../integration/support/cloud';

export interface ChaosCloud {
  cloud: LocalCloud;
  /** In front of DynamoDB Local for every function. */
  dynamodbFaults: FaultProxy<DynamoDbFaults>;
  /** In front of local SES for every function. */
  sesFaults: FaultProxy<SesFaults>;
  /** Stops the cloud and starts it again on the same ports and data (needs `persistent`). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts a cloud for one test file. `persistent`: data under a fresh folder in .local/chaos
 * (DynamoDB Local on disk, executions persisted), so engines can be killed and restarted.
 */
export async function startChaosCloud(options: { persistent?: boolean } = {}): Promise<ChaosCloud> {
  const host = '127.0.0.1';
  const ports: Required<LocalCloudPorts> = {
    api: await freePort(host),
    dynamodb: await freePort(host),
    ses: await freePort(host),
    stepfunctions: await freePort(host),
    secretsmanager: await freePort(host),
  };
  const dynamodbFaults = await startDynamoDbFaultProxy({
    target: `http://${host}:${ports.dynamodb}`,
  });
  const sesFaults = await startSesFaultProxy({ target: `http://${host}:${ports.ses}` });
  const dataDir = options.persistent ? resolve('.local', 'chaos', randomUUID()) : undefined;

  const start = async (): Promise<LocalCloud> => {
    const cloud = await startLocalCloud({
      ...(dataDir ? { dataDir } : { inMemory: true }),
      ports,
      quiet: true,
      allowTokenMinting: true,
      code: localCode(),
      // The functions (and the workflows' SDK integrations) reach the engines through the proxies.
      functionEnv: {
        AWS_ENDPOINT_URL_DYNAMODB: dynamodbFaults.url,
        AWS_ENDPOINT_URL_SES: sesFaults.url,
        AWS_ENDPOINT_URL_SESV2: sesFaults.url,
      },
    });
    await cloud.seedIfEmpty(demoSeedItems());
    useLocalCloud(cloud.endpoints);
    return cloud;
  };

  const chaos: ChaosCloud = {
    cloud: await start(),
    dynamodbFaults,
    sesFaults,
    restart: async () => {
      if (!dataDir) throw new Error('restart needs a persistent chaos cloud');
      await chaos.cloud.stop();
      chaos.cloud = await start();
    },
    stop: async () => {
      useLocalCloud(undefined);
      await chaos.cloud.stop();
      await dynamodbFaults.stop();
      await sesFaults.stop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return chaos;
}

// ---- clients that behave like real ones ---------------------------------------------------------

/**
 * Sends a request as a well-behaved client does: throttled (429) or told to come back (503),
 * it waits (exponential backoff with full jitter) and sends it again, at most `attempts` times.
 * Every answer is kept, so the figures count what the server said, not only the last word.
 */
export async function politely<T>(
  send: () => Promise<ApiResponse<T>>,
  options: { attempts?: number; retryOn?: number[]; baseMs?: number; maxMs?: number } = {},
): Promise<{ final: ApiResponse<T>; answers: number[]; ms: number }> {
  const retryOn = options.retryOn ?? [429, 503];
  const answers: number[] = [];
  const started = performance.now();
  for (let attempt = 0; ; attempt++) {
    const res = await send();
    answers.push(res.status);
    if (!retryOn.includes(res.status) || attempt + 1 >= (options.attempts ?? 30)) {
      return { final: res, answers, ms: performance.now() - started };
    }
    const ceiling = Math.min(options.maxMs ?? 2_000, (options.baseMs ?? 100) * 2 ** attempt);
    await sleep(Math.random() * ceiling);
  }
}

/** Runs `tasks` with at most `limit` in flight. */
export async function pool<T>(limit: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/** Tally of numbers or strings: `{201: 3, 409: 1}`. */
export function tally(values: (number | string)[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

// ---- reading the engines directly ---------------------------------------------------------------

/** Every item of the table that `filter` keeps (a full scan: the chaos tables are small). */
export async function scanItems(
  filter: (item: Record<string, unknown>) => boolean,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await ddbDoc().send(
      new ScanCommand({ TableName: tableName(), ExclusiveStartKey: startKey, ConsistentRead: true }),
    );
    items.push(...((out.Items ?? []) as Record<string, unknown>[]).filter(filter));
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** Every execution of the state machine whose logical id starts with `prefix`. */
export async function executionsOf(prefix: string): Promise<ExecutionListItem[]> {
  const all: ExecutionListItem[] = [];
  let nextToken: string | undefined;
  do {
    const out = await sfnClient().send(
      new ListExecutionsCommand({
        stateMachineArn: stateMachineArn(prefix),
        maxResults: 1000,
        nextToken,
      }),
    );
    all.push(...(out.executions ?? []));
    nextToken = out.nextToken;
  } while (nextToken);
  return all;
}

export type { ApiClient };
