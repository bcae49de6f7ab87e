/**
 * The Step Functions operations over the execution store: each method takes and returns the
 * JSON shapes of the AWS API (dates in epoch seconds), so the HTTP layer only routes.
 */
import { randomUUID } from 'node:crypto';
import { redirectExecutionContextPaths, type Json, type MachineDef } from './asl';
import type { Clock } from './clock';
import {
  ExecutionAlreadyExistsError,
  ExecutionDoesNotExistError,
  ExecutionNotRedrivableError,
  InvalidArnError,
  InvalidExecutionInputError,
  InvalidNameError,
  InvalidOutputError,
  StateMachineDoesNotExistError,
  StatesError,
  TaskDoesNotExistError,
  TaskTimedOutError,
  ValidationError,
} from './errors';
import { runExecution, type ExecutionEnv } from './interpreter';
import type { ResourceDeps } from './resources';
import type {
  Checkpoint,
  ExecutionRecord,
  ExecutionStatus,
  ExecutionStore,
  HistoryEvent,
} from './store';
import { executionOfToken, TokenRegistry, type PendingTask } from './tokens';

/** `detail` of AWS's "Step Functions Execution Status Change" event (dates in epoch ms). */
export interface ExecutionStatusChange {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: number;
  stopDate: number | null;
  input: string;
  output: string | null;
  inputDetails: { included: boolean };
  outputDetails: { included: boolean } | null;
  error: string | null;
  cause: string | null;
  redriveCount: number;
  redriveDate?: number;
  redriveStatus: 'REDRIVABLE' | 'NOT_REDRIVABLE';
  redriveStatusReason?: string;
}

export interface RegisteredStateMachine {
  arn: string;
  name: string;
  definition: object;
  roleArn: string;
  type: 'STANDARD';
}

type Request = Record<string, unknown>;
type Response = Record<string, unknown>;

/** Why a running execution's AbortController fired. */
class StopReason {
  constructor(readonly kind: 'stopped' | 'timed-out' | 'shutdown') {}
}

interface Running {
  controller: AbortController;
  done: Promise<void>;
  parked: number;
  threads: number;
}

// AWS rejects whitespace, brackets, wildcards, these punctuation marks and control characters.
// eslint-disable-next-line no-control-regex
const EXECUTION_NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/u;
const STATE_MACHINE_ARN = /^arn:aws[\w-]*:states:([^:]+):(\d+):stateMachine:([^:]+)$/;
const EXECUTION_ARN = /^arn:aws[\w-]*:states:[^:]+:\d+:execution:[^:]+:[^:]+$/;
const DEFAULT_PAGE = 100;
/** AWS: an unsuccessful execution may be redriven for 14 days after it stopped, 1,000 times. */
const REDRIVE_PERIOD_MS = 14 * 24 * 3600 * 1000;
const MAX_REDRIVES = 1000;
const MAX_PAGE = 1000;

const seconds = (ms: number | undefined): number | undefined =>
  ms === undefined ? undefined : ms / 1000;

export class StepFunctionsService {
  private readonly machines = new Map<string, RegisteredStateMachine & { asl: MachineDef }>();
  private readonly running = new Map<string, Running>();
  private readonly tokens: TokenRegistry;
  private readonly createdAt: number;
  private changeListeners: (() => void)[] = [];
  private readonly statusListeners: ((detail: ExecutionStatusChange) => void)[] = [];

  constructor(
    stateMachines: RegisteredStateMachine[],
    private readonly store: ExecutionStore,
    private readonly clock: Clock,
    private readonly deps: ResourceDeps,
    private readonly defaultRegion: string,
  ) {
    this.tokens = new TokenRegistry(() => clock.now());
    this.createdAt = clock.now();
    for (const machine of stateMachines) {
      const asl = redirectExecutionContextPaths(machine.definition) as MachineDef;
      this.machines.set(machine.arn, { ...machine, asl });
    }
  }

  /**
   * Called on every status change of an execution (started, redriven, ended) with the detail of
   * the "Step Functions Execution Status Change" event AWS sends to EventBridge.
   */
  onStatusChange(listener: (detail: ExecutionStatusChange) => void): void {
    this.statusListeners.push(listener);
  }

  private statusChanged(record: ExecutionRecord): void {
    const detail: ExecutionStatusChange = {
      executionArn: record.executionArn,
      stateMachineArn: record.stateMachineArn,
      name: record.name,
      status: record.status,
      startDate: record.startDate,
      stopDate: record.stopDate ?? null,
      input: record.input,
      output: record.output ?? null,
      inputDetails: { included: true },
      outputDetails: record.output === undefined ? null : { included: true },
      error: record.error ?? null,
      cause: record.cause ?? null,
      redriveCount: record.redriveCount ?? 0,
      ...(record.redriveDate === undefined ? {} : { redriveDate: record.redriveDate }),
      ...this.redriveStatus(record),
    };
    for (const listener of this.statusListeners) {
      try {
        listener(detail);
      } catch (error) {
        console.error('[local sfn] status listener failed:', error);
      }
    }
  }

  /** Picks up the RUNNING executions a previous instance left, each at its checkpoint. */
  resumeAll(): void {
    for (const record of this.store.load()) {
      if (record.status !== 'RUNNING') continue;
      const token = record.checkpoint?.pendingTask?.token;
      // Opened before any request is served, so a callback cannot arrive before its waiter.
      if (token) this.tokens.openTask(token);
      this.launch(record, record.checkpoint);
    }
  }

  // ---- state machines -------------------------------------------------------------------

  listStateMachines(req: Request): Response {
    const all = [...this.machines.values()].map((m) => ({
      stateMachineArn: m.arn,
      name: m.name,
      type: m.type,
      creationDate: seconds(this.createdAt),
    }));
    const { items, nextToken } = page(all, req);
    return { stateMachines: items, nextToken };
  }

  describeStateMachine(req: Request): Response {
    const machine = this.machine(req.stateMachineArn);
    return {
      stateMachineArn: machine.arn,
      name: machine.name,
      status: 'ACTIVE',
      definition: JSON.stringify(machine.definition),
      roleArn: machine.roleArn,
      type: machine.type,
      creationDate: seconds(this.createdAt),
      loggingConfiguration: { level: 'OFF', includeExecutionData: false },
      tracingConfiguration: { enabled: false },
    };
  }

  // ---- executions -----------------------------------------------------------------------

  startExecution(req: Request): Response {
    const machine = this.machine(req.stateMachineArn);
    const name = req.name === undefined ? randomUUID() : String(req.name);
    if (!EXECUTION_NAME.test(name)) throw new InvalidNameError(name);
    const input = req.input === undefined ? '{}' : String(req.input);
    let parsed: Json;
    try {
      parsed = JSON.parse(input) as Json;
    } catch (error) {
      throw new InvalidExecutionInputError((error as Error).message);
    }
    const [, region, account] = STATE_MACHINE_ARN.exec(machine.arn) ?? [];
    const executionArn = `arn:aws:states:${region ?? this.defaultRegion}:${account ?? '000000000000'}:execution:${machine.name}:${name}`;
    const existing = this.store.get(executionArn);
    if (existing) {
      // AWS: the same name and input while running is the same request again; anything else
      // reuses a name, which stays taken after the execution ends.
      if (existing.status === 'RUNNING' && existing.input === input) {
        return { executionArn, startDate: seconds(existing.startDate) };
      }
      throw new ExecutionAlreadyExistsError(executionArn);
    }
    const record: ExecutionRecord = {
      executionArn,
      stateMachineArn: machine.arn,
      name,
      status: 'RUNNING',
      input,
      startDate: this.clock.now(),
      events: [],
    };
    this.store.add(record);
    this.appendEvent(record, 'ExecutionStarted', 0, [
      'executionStartedEventDetails',
      { input, inputDetails: { truncated: false }, roleArn: machine.roleArn },
    ]);
    this.launch(record, undefined, parsed);
    this.statusChanged(record);
    return { executionArn, startDate: seconds(record.startDate) };
  }

  describeExecution(req: Request): Response {
    const record = this.execution(req.executionArn);
    return {
      executionArn: record.executionArn,
      stateMachineArn: record.stateMachineArn,
      name: record.name,
      status: record.status,
      startDate: seconds(record.startDate),
      stopDate: seconds(record.stopDate),
      input: record.input,
      inputDetails: { included: true },
      output: record.output,
      outputDetails: record.output === undefined ? undefined : { included: true },
      error: record.error,
      cause: record.cause,
      redriveCount: record.redriveCount ?? 0,
      redriveDate: seconds(record.redriveDate),
      ...this.redriveStatus(record),
    };
  }

  listExecutions(req: Request): Response {
    const machine = this.machine(req.stateMachineArn);
    const status = req.statusFilter as ExecutionStatus | undefined;
    const records = this.store
      .list(machine.arn)
      .filter((r) => status === undefined || r.status === status)
      .map((r) => ({
        executionArn: r.executionArn,
        stateMachineArn: r.stateMachineArn,
        name: r.name,
        status: r.status,
        startDate: seconds(r.startDate),
        stopDate: seconds(r.stopDate),
        redriveCount: r.redriveCount ?? 0,
        redriveDate: seconds(r.redriveDate),
      }));
    const { items, nextToken } = page(records, req);
    return { executions: items, nextToken };
  }

  getExecutionHistory(req: Request): Response {
    const record = this.execution(req.executionArn);
    const includeData = req.includeExecutionData !== false;
    const ordered = req.reverseOrder === true ? [...record.events].reverse() : record.events;
    const events = ordered.map((e) => toWireEvent(e, includeData));
    const { items, nextToken } = page(events, req);
    return { events: items, nextToken };
  }

  stopExecution(req: Request): Response {
    const record = this.execution(req.executionArn);
    if (record.status === 'RUNNING') {
      const error = typeof req.error === 'string' ? req.error : undefined;
      const cause = typeof req.cause === 'string' ? req.cause : undefined;
      // Recorded before the run unwinds, so the answer and every later read agree.
      this.finish(record, 'ABORTED', { error, cause }, 'ExecutionAborted', [
        'executionAbortedEventDetails',
        { error, cause },
      ]);
      this.running.get(record.executionArn)?.controller.abort(new StopReason('stopped'));
    }
    return { stopDate: seconds(record.stopDate) };
  }

  /**
   * Runs a failed, timed-out or aborted execution again from the state where it stopped, with
   * that state's input (AWS: same ARN, history kept, successful states not rerun). An execution
   * that ended in a Fail state stops there again, as on AWS.
   */
  redriveExecution(req: Request): Response {
    const record = this.execution(req.executionArn);
    const { redriveStatus, redriveStatusReason } = this.redriveStatus(record);
    if (redriveStatus !== 'REDRIVABLE' || !record.redrivePoint) {
      throw new ExecutionNotRedrivableError(record.executionArn, redriveStatusReason ?? 'unknown');
    }
    const point = record.redrivePoint;
    const redriveCount = (record.redriveCount ?? 0) + 1;
    Object.assign(record, { status: 'RUNNING', redriveCount, redriveDate: this.clock.now() });
    for (const key of ['stopDate', 'output', 'error', 'cause', 'redrivePoint'] as const) {
      delete record[key];
    }
    this.appendEvent(record, 'ExecutionRedriven', record.events.length, [
      'executionRedrivenEventDetails',
      { redriveCount },
    ]);
    this.launch(record, undefined, undefined, point);
    this.statusChanged(record);
    return { redriveDate: seconds(record.redriveDate) };
  }

  private redriveStatus(record: ExecutionRecord): {
    redriveStatus: 'REDRIVABLE' | 'NOT_REDRIVABLE';
    redriveStatusReason?: string;
  } {
    const notRedrivable = (reason: string) => ({
      redriveStatus: 'NOT_REDRIVABLE' as const,
      redriveStatusReason: reason,
    });
    if (record.status === 'RUNNING' || record.status === 'SUCCEEDED') {
      return notRedrivable(`Execution is ${record.status} and cannot be redriven`);
    }
    if (this.clock.now() - (record.stopDate ?? 0) > REDRIVE_PERIOD_MS) {
      return notRedrivable('Execution stopped more than 14 days ago');
    }
    if ((record.redriveCount ?? 0) >= MAX_REDRIVES) {
      return notRedrivable(`Execution was redriven ${MAX_REDRIVES} times`);
    }
    if (!record.redrivePoint) return notRedrivable('Execution stopped before its first state');
    return { redriveStatus: 'REDRIVABLE' };
  }

  // ---- task tokens ----------------------------------------------------------------------

  sendTaskSuccess(req: Request): Response {
    const output = req.output;
    if (typeof output !== 'string') throw new ValidationError("'output' is required");
    let parsed: Json;
    try {
      parsed = JSON.parse(output) as Json;
    } catch (error) {
      throw new InvalidOutputError((error as Error).message);
    }
    this.openTask(req.taskToken, true).complete({ kind: 'success', output: parsed });
    return {};
  }

  sendTaskFailure(req: Request): Response {
    const error = typeof req.error === 'string' ? req.error : '';
    const cause = typeof req.cause === 'string' ? req.cause : '';
    this.openTask(req.taskToken, true).complete({ kind: 'failure', error, cause });
    return {};
  }

  sendTaskHeartbeat(req: Request): Response {
    const task = this.openTask(req.taskToken, false);
    task.lastHeartbeat = this.clock.now();
    task.onHeartbeat();
    return {};
  }

  /**
   * The open task of a token. A malformed token is InvalidToken; a token of a task that has
   * closed (answered, timed out, execution ended) is TaskTimedOut, as the AWS API documents; a
   * well-formed token of an execution this service never ran is TaskDoesNotExist.
   */
  private openTask(token: unknown, answer: boolean): PendingTask {
    if (typeof token !== 'string' || token === '')
      throw new ValidationError("'taskToken' is required");
    const executionArn = executionOfToken(token);
    const record = this.store.get(executionArn);
    if (!record) throw new TaskDoesNotExistError();
    const task = this.tokens.get(token);
    if (!task || record.status !== 'RUNNING') throw new TaskTimedOutError();
    // A token answers once: closed now, so a second answer sees TaskTimedOut.
    if (answer) this.tokens.close(token);
    return task;
  }

  // ---- lifecycle ------------------------------------------------------------------------

  /** Resolves when every execution has ended or waits on a token, a Wait state or a delay. */
  async idle(): Promise<void> {
    for (;;) {
      if (this.quiescent()) {
        await new Promise((resolve) => setImmediate(resolve));
        if (this.quiescent()) return;
        continue;
      }
      await new Promise<void>((resolve) => this.changeListeners.push(resolve));
    }
  }

  /** Leaves running executions as they are on disk, to be resumed by the next instance. */
  async shutdown(): Promise<void> {
    this.store.close();
    const runs = [...this.running.values()];
    for (const run of runs) run.controller.abort(new StopReason('shutdown'));
    await Promise.all(runs.map((r) => r.done));
  }

  private quiescent(): boolean {
    return [...this.running.values()].every((r) => r.parked >= r.threads);
  }

  private changed(): void {
    const listeners = this.changeListeners;
    this.changeListeners = [];
    for (const notify of listeners) notify();
  }

  // ---- running --------------------------------------------------------------------------

  private launch(
    record: ExecutionRecord,
    resume: Checkpoint | undefined,
    input?: Json,
    redriveFrom?: { stateName: string; input: Json },
  ): void {
    const machine = this.machines.get(record.stateMachineArn);
    if (!machine) return; // its state machine is gone from the template: leave it as it was
    const controller = new AbortController();
    const run: Running = { controller, done: Promise.resolve(), parked: 0, threads: 1 };
    this.running.set(record.executionArn, run);
    const env = this.environment(record, machine, run, input ?? (JSON.parse(record.input) as Json));
    const timeout = this.executionTimeout(record, machine.asl, controller);
    run.done = runExecution(
      env,
      machine.asl,
      controller.signal,
      record.events.length,
      resume,
      redriveFrom,
    )
      .then(
        (output) => {
          const text = JSON.stringify(output);
          this.finish(record, 'SUCCEEDED', { output: text }, 'ExecutionSucceeded', [
            'executionSucceededEventDetails',
            { output: text, outputDetails: { truncated: false } },
          ]);
        },
        (thrown: unknown) => this.onRunError(record, controller.signal, thrown),
      )
      .finally(() => {
        timeout.abort();
        this.running.delete(record.executionArn);
        this.changed();
      });
  }

  private onRunError(record: ExecutionRecord, signal: AbortSignal, thrown: unknown): void {
    const reason: unknown = signal.aborted ? signal.reason : undefined;
    if (reason instanceof StopReason) {
      if (reason.kind === 'timed-out') {
        const details = {
          error: 'States.Timeout',
          cause: 'The execution ran longer than its TimeoutSeconds',
        };
        this.finish(record, 'TIMED_OUT', details, 'ExecutionTimedOut', [
          'executionTimedOutEventDetails',
          details,
        ]);
      }
      return; // stopped: already recorded; shutdown: resumed by the next instance
    }
    const error =
      thrown instanceof StatesError
        ? thrown
        : StatesError.runtime(thrown instanceof Error ? thrown.message : String(thrown));
    const details = { error: error.error, cause: error.errorCause };
    this.finish(record, 'FAILED', details, 'ExecutionFailed', [
      'executionFailedEventDetails',
      details,
    ]);
  }

  private executionTimeout(
    record: ExecutionRecord,
    asl: MachineDef,
    run: AbortController,
  ): AbortController {
    const cancel = new AbortController();
    if (typeof asl.TimeoutSeconds === 'number') {
      // AWS resets the machine-level timeout on a redrive.
      const deadline = (record.redriveDate ?? record.startDate) + asl.TimeoutSeconds * 1000;
      this.clock.sleepUntil(deadline, AbortSignal.any([cancel.signal, run.signal])).then(
        () => run.abort(new StopReason('timed-out')),
        () => undefined,
      );
    }
    return cancel;
  }

  private environment(
    record: ExecutionRecord,
    machine: RegisteredStateMachine,
    run: Running,
    input: Json,
  ): ExecutionEnv {
    const [, region] = STATE_MACHINE_ARN.exec(machine.arn) ?? [];
    return {
      executionArn: record.executionArn,
      executionName: record.name,
      stateMachineArn: machine.arn,
      stateMachineName: machine.name,
      roleArn: machine.roleArn,
      region: region ?? this.defaultRegion,
      input,
      startTime: new Date(record.startDate).toISOString(),
      redriveCount: record.redriveCount ?? 0,
      clock: this.clock,
      deps: this.deps,
      tokens: this.tokens,
      emit: (type, previousEventId, details) => {
        if (record.status !== 'RUNNING' || run.controller.signal.aborted) return previousEventId;
        return this.appendEvent(record, type, previousEventId, details);
      },
      checkpoint: (checkpoint) => {
        if (record.status !== 'RUNNING' || run.controller.signal.aborted) return;
        record.checkpoint = checkpoint;
        this.store.save(record);
      },
      parked: (delta) => {
        run.parked += delta;
        this.changed();
      },
      threads: (delta) => {
        run.threads += delta;
        this.changed();
      },
    };
  }

  private appendEvent(
    record: ExecutionRecord,
    type: string,
    previousEventId: number,
    details?: [string, Record<string, unknown>],
  ): number {
    const event: HistoryEvent = {
      id: record.events.length + 1,
      previousEventId,
      timestamp: this.clock.now(),
      type,
    };
    if (details) event[details[0]] = withoutUndefined(details[1]);
    record.events.push(event);
    this.store.save(record);
    this.changed();
    return event.id;
  }

  private finish(
    record: ExecutionRecord,
    status: ExecutionStatus,
    result: { output?: string; error?: string; cause?: string },
    eventType: string,
    details: [string, Record<string, unknown>],
  ): void {
    if (record.status !== 'RUNNING') return;
    this.appendEvent(record, eventType, record.events.length, details);
    Object.assign(record, withoutUndefined(result), { status, stopDate: this.clock.now() });
    if (status !== 'SUCCEEDED' && record.checkpoint) {
      record.redrivePoint = {
        stateName: record.checkpoint.stateName,
        input: record.checkpoint.input,
      };
    }
    delete record.checkpoint;
    this.store.save(record);
    this.statusChanged(record);
  }

  private machine(arn: unknown): RegisteredStateMachine & { asl: MachineDef } {
    if (typeof arn !== 'string' || !STATE_MACHINE_ARN.test(arn)) throw new InvalidArnError(arn);
    const machine = this.machines.get(arn);
    if (!machine) throw new StateMachineDoesNotExistError(arn);
    return machine;
  }

  private execution(arn: unknown): ExecutionRecord {
    if (typeof arn !== 'string' || !EXECUTION_ARN.test(arn)) throw new InvalidArnError(arn);
    const record = this.store.get(arn);
    if (!record) throw new ExecutionDoesNotExistError(arn);
    return record;
  }
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function toWireEvent(event: HistoryEvent, includeData: boolean): Record<string, unknown> {
  const wire: Record<string, unknown> = { ...event, timestamp: event.timestamp / 1000 };
  if (!includeData) {
    for (const [key, value] of Object.entries(wire)) {
      if (key.endsWith('EventDetails') && value && typeof value === 'object') {
        const {
          input: _input,
          output: _output,
          parameters: _parameters,
          ...rest
        } = value as Record<string, unknown>;
        wire[key] = rest;
      }
    }
  }
  return wire;
}

/** nextToken = base64url of the offset; maxResults 0 or absent = the API's default page. */
function page<T>(all: T[], req: Request): { items: T[]; nextToken?: string } {
  const requested =
    typeof req.maxResults === 'number' && req.maxResults > 0 ? req.maxResults : DEFAULT_PAGE;
  if (requested > MAX_PAGE) throw new ValidationError(`maxResults must be at most ${MAX_PAGE}`);
  let offset = 0;
  if (req.nextToken !== undefined) {
    const decoded = Number(Buffer.from(String(req.nextToken), 'base64url').toString('utf8'));
    if (!Number.isInteger(decoded) || decoded < 0) {
      throw new SfnInvalidTokenError();
    }
    offset = decoded;
  }
  const items = all.slice(offset, offset + requested);
  const end = offset + items.length;
  return {
    items,
    nextToken: end < all.length ? Buffer.from(String(end)).toString('base64url') : undefined,
  };
}

class SfnInvalidTokenError extends ValidationError {
  constructor() {
    super('Invalid nextToken');
  }
}
