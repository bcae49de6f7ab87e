/**
 * Shared harness of the conformance tests of the local Step Functions service: a real service on
 * a free port, a real `@aws-sdk/client-sfn` client, and in-process fake Lambda handlers. The only
 * stand-in is the clock, injected where a test needs days to pass in milliseconds.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SFNClient,
  StartExecutionCommand,
  type DescribeExecutionCommandOutput,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { afterEach } from 'vitest';
import {
  startLocalStepFunctions,
  type Clock,
  type LocalStepFunctions,
  type LocalStepFunctionsOptions,
} from '../../infra/local/stepfunctions';
import { localClientConfig } from '../support/local-clients';

export const REGION = 'eu-west-1';
export const ACCOUNT = '000000000000';
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/StateMachineRole`;

export function machineArn(name: string): string {
  return `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${name}`;
}

export function functionArn(name: string): string {
  return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
}

/** A named error as the project's handlers throw them (Retry/Catch match on `name`). */
export class NamedError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

export type Handler = (payload: unknown) => unknown;

/** Fake Lambda functions by name, with a log of every invocation. */
export class FakeLambdas {
  readonly calls: { functionName: string; payload: unknown }[] = [];
  private readonly handlers = new Map<string, Handler>();

  on(name: string, handler: Handler): this {
    this.handlers.set(name, handler);
    return this;
  }

  callsOf(name: string): unknown[] {
    return this.calls.filter((c) => c.functionName === name).map((c) => c.payload);
  }

  readonly invoke = async (functionArnOrName: string, payload: unknown): Promise<unknown> => {
    // The Task may name the function by ARN, ARN with version/alias, or bare name.
    const name = functionArnOrName.split(':function:').pop()?.split(':')[0] ?? functionArnOrName;
    this.calls.push({ functionName: name, payload });
    const handler = this.handlers.get(name);
    if (!handler) throw new NamedError('ResourceNotFoundException', `No function ${name}`);
    return handler(payload);
  };
}

/** A clock that only moves when told to: `advance` fires every sleep that has come due. */
export class ManualClock implements Clock {
  private sleepers: { wakeAt: number; resolve: () => void }[] = [];

  constructor(private current = Date.parse('2030-01-01T00:00:00.000Z')) {}

  now(): number {
    return this.current;
  }

  sleepUntil(wakeAt: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (wakeAt <= this.current) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const sleeper = { wakeAt, resolve };
      this.sleepers.push(sleeper);
      signal?.addEventListener(
        'abort',
        () => {
          this.sleepers = this.sleepers.filter((s) => s !== sleeper);
          reject(signal.reason);
        },
        { once: true },
      );
    });
  }

  advance(ms: number): void {
    this.current += ms;
    const due = this.sleepers.filter((s) => s.wakeAt <= this.current);
    this.sleepers = this.sleepers.filter((s) => s.wakeAt > this.current);
    for (const sleeper of due) sleeper.resolve();
  }
}

export const DAY_MS = 24 * 60 * 60 * 1000;

export interface Harness {
  sfn: LocalStepFunctions;
  client: SFNClient;
  lambdas: FakeLambdas;
}

const started: LocalStepFunctions[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
});

export async function startHarness(
  machines: Record<string, object>,
  options: Partial<LocalStepFunctionsOptions> & { lambdas?: FakeLambdas } = {},
): Promise<Harness> {
  const lambdas = options.lambdas ?? new FakeLambdas();
  const sfn = await startLocalStepFunctions({
    stateMachines: Object.entries(machines).map(([name, definition]) => ({
      arn: machineArn(name),
      name,
      definition,
      roleArn: ROLE_ARN,
      type: 'STANDARD' as const,
    })),
    invokeLambda: lambdas.invoke,
    port: 0,
    ...options,
  });
  started.push(sfn);
  return { sfn, client: sfnClient(sfn.url), lambdas };
}

/**
 * A harness with the one machine `name`, which starts at the first of its `states` (so a test
 * writes its states once, not the StartAt that repeats the first one's name).
 */
export function startMachine(
  name: string,
  states: Record<string, object>,
  options: Parameters<typeof startHarness>[1] = {},
): Promise<Harness> {
  return startHarness({ [name]: { StartAt: Object.keys(states)[0], States: states } }, options);
}

export function sfnClient(endpoint: string): SFNClient {
  return new SFNClient(localClientConfig(endpoint, REGION));
}

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'local-sfn-'));
}

export async function start(
  h: Harness,
  machine: string,
  input: unknown = {},
  name?: string,
): Promise<string> {
  const out = await h.client.send(
    new StartExecutionCommand({
      stateMachineArn: machineArn(machine),
      input: JSON.stringify(input),
      name,
    }),
  );
  return out.executionArn!;
}

export async function describe_(
  h: Harness,
  executionArn: string,
): Promise<DescribeExecutionCommandOutput> {
  return h.client.send(new DescribeExecutionCommand({ executionArn }));
}

/** Runs until the execution has settled (ended, or waits on a token or the clock). */
export async function settle(
  h: Harness,
  executionArn: string,
): Promise<DescribeExecutionCommandOutput> {
  await h.sfn.idle();
  return describe_(h, executionArn);
}

export async function history(h: Harness, executionArn: string): Promise<HistoryEvent[]> {
  const out = await h.client.send(
    new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }),
  );
  return out.events ?? [];
}

/** Resolves with a value some handler hands over (e.g. the task token it was given). */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Polls the history until `until` holds: for executions busy in a handler, which idle() waits out. */
export async function historyUntil(
  h: Harness,
  executionArn: string,
  until: (events: HistoryEvent[]) => boolean,
): Promise<HistoryEvent[]> {
  for (let i = 0; i < 400; i++) {
    const events = await history(h, executionArn);
    if (until(events)) return events;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('the history never reached the expected point');
}
