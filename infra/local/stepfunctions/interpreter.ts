/**
 * Runs an execution state by state. Data handling (paths, templates, Choice rules) is the
 * library's (see asl.ts); control flow, time, task integrations, task tokens, Retry/Catch, history
 * events and checkpoints are done here, because the library does each of them in one go inside
 * `run()` with plain `setTimeout`s, with no way to observe, persist or resume a step.
 */
import {
  applyResultPath,
  evaluatePath,
  EXECUTION_CONTEXT_KEY,
  passThrough,
  processInput,
  processResult,
  runChoice,
  runPass,
  type Json,
  type MachineDef,
  type StateDef,
} from './asl';
import type { Clock } from './clock';
import { StatesError } from './errors';
import { parseResource, performResource, type Resource, type ResourceDeps } from './resources';
import type { Checkpoint } from './store';
import { mintToken, type PendingTask, type TokenRegistry } from './tokens';

export interface ExecutionEnv {
  executionArn: string;
  executionName: string;
  stateMachineArn: string;
  stateMachineName: string;
  roleArn: string;
  region: string;
  input: Json;
  startTime: string;
  /** `$$.Execution.RedriveCount` */
  redriveCount: number;
  clock: Clock;
  deps: ResourceDeps;
  tokens: TokenRegistry;
  /** Appends a history event and returns its id. */
  emit(type: string, previousEventId: number, details?: [string, Record<string, unknown>]): number;
  /** Records where the execution stands (top-level states only). */
  checkpoint(checkpoint: Checkpoint): void;
  /** Waiting on something outside (a token, the clock) rather than working: see idle(). */
  parked(delta: 1 | -1): void;
  /** More or fewer threads of work (Map iterations, Parallel branches). */
  threads(delta: number): void;
}

/** One line of work: the top level, or a Map iteration / Parallel branch. */
interface Thread {
  top: boolean;
  signal: AbortSignal;
  lastEventId: number;
}

interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
}

interface Catcher {
  ErrorEquals: string[];
  Next: string;
  ResultPath?: string | null;
}

interface StepOutcome {
  output: Json;
  /** undefined: the (sub)machine ends here */
  next: string | undefined;
}

const TIMEOUT_ERRORS = new Set(['States.Timeout', 'States.HeartbeatTimeout']);

export async function runExecution(
  env: ExecutionEnv,
  machine: MachineDef,
  signal: AbortSignal,
  lastEventId: number,
  resume?: Checkpoint,
  redriveFrom?: { stateName: string; input: Json },
): Promise<Json> {
  const thread: Thread = { top: true, signal, lastEventId };
  if (resume) return runStates(env, machine, thread, resume.stateName, resume.input, resume);
  // A redrive enters the unsuccessful state again, afresh (new attempt counts, new token).
  if (redriveFrom) return runStates(env, machine, thread, redriveFrom.stateName, redriveFrom.input);
  return runStates(env, machine, thread, machine.StartAt, env.input);
}

function emit(
  env: ExecutionEnv,
  thread: Thread,
  type: string,
  details?: [string, Record<string, unknown>],
): void {
  thread.lastEventId = env.emit(type, thread.lastEventId, details);
}

function contextObject(
  env: ExecutionEnv,
  stateName: string,
  enteredTime: string,
  retryCount = 0,
): Record<string, unknown> {
  const execution = {
    Id: env.executionArn,
    Input: env.input,
    Name: env.executionName,
    RoleArn: env.roleArn,
    StartTime: env.startTime,
    RedriveCount: env.redriveCount,
  };
  return {
    Execution: execution,
    [EXECUTION_CONTEXT_KEY]: execution,
    StateMachine: { Id: env.stateMachineArn, Name: env.stateMachineName },
    State: { Name: stateName, EnteredTime: enteredTime, RetryCount: retryCount },
  };
}

async function runStates(
  env: ExecutionEnv,
  machine: Pick<MachineDef, 'States'>,
  thread: Thread,
  startAt: string,
  firstInput: Json,
  resume?: Checkpoint,
): Promise<Json> {
  let name = startAt;
  let input = firstInput;
  let resumePoint = resume;
  for (;;) {
    thread.signal.throwIfAborted();
    const state = machine.States[name];
    if (!state) throw StatesError.runtime(`State '${name}' does not exist`);
    const enteredTime = resumePoint?.enteredTime ?? new Date(env.clock.now()).toISOString();
    if (!resumePoint) {
      emit(env, thread, `${state.Type}StateEntered`, [
        'stateEnteredEventDetails',
        { name, input: JSON.stringify(input), inputDetails: { truncated: false } },
      ]);
      if (thread.top) env.checkpoint({ stateName: name, input, enteredTime });
    }
    const step = await runState(env, thread, name, state, input, enteredTime, resumePoint);
    resumePoint = undefined;
    emit(env, thread, `${state.Type}StateExited`, [
      'stateExitedEventDetails',
      { name, output: JSON.stringify(step.output), outputDetails: { truncated: false } },
    ]);
    if (step.next === undefined) return step.output;
    name = step.next;
    input = step.output;
  }
}

function nextOf(state: StateDef): string | undefined {
  return state.End === true ? undefined : state.Next;
}

async function runState(
  env: ExecutionEnv,
  thread: Thread,
  name: string,
  state: StateDef,
  input: Json,
  enteredTime: string,
  resume: Checkpoint | undefined,
): Promise<StepOutcome> {
  const context = contextObject(env, name, enteredTime);
  const visit: StateVisit = { env, thread, name, state, rawInput: input, enteredTime, resume };
  switch (state.Type) {
    case 'Pass':
      return { output: await runPass(state, input, context), next: nextOf(state) };
    case 'Succeed':
      return { output: await passThrough(state, input, context), next: undefined };
    case 'Choice':
      return runChoice(state, input, context);
    case 'Fail':
      throw await failStateError(state, input, context);
    case 'Wait':
      return runWait(visit);
    case 'Task':
    case 'Map':
    case 'Parallel':
      return runWithRecovery(visit);
    default:
      throw StatesError.runtime(`State type '${state.Type}' is not supported`);
  }
}

async function failStateError(state: StateDef, input: Json, context: object): Promise<StatesError> {
  const read = async (value: unknown, path: unknown): Promise<string> => {
    if (typeof path === 'string') return String(await evaluatePath(path, input, context));
    return typeof value === 'string' ? value : '';
  };
  const error = await read(state.Error, state.ErrorPath);
  const cause = await read(state.Cause, state.CausePath);
  return new StatesError(error, cause);
}

async function park<T>(env: ExecutionEnv, waiting: Promise<T>): Promise<T> {
  env.parked(1);
  try {
    return await waiting;
  } finally {
    env.parked(-1);
  }
}

async function runWait(visit: StateVisit): Promise<StepOutcome> {
  const { env, thread, name, state, rawInput, enteredTime, resume } = visit;
  const context = contextObject(env, name, enteredTime);
  let wakeAt = resume?.wakeAt;
  if (wakeAt === undefined) {
    const input = await processInput({ Type: 'Wait', ...pickInputPath(state) }, rawInput, context);
    wakeAt = await wakeTime(env, state, input, context);
    if (thread.top) env.checkpoint({ stateName: name, input: rawInput, enteredTime, wakeAt });
  }
  await park(env, env.clock.sleepUntil(wakeAt, thread.signal));
  return { output: await passThrough(state, rawInput, context), next: nextOf(state) };
}

function pickInputPath(state: StateDef): Record<string, unknown> {
  return 'InputPath' in state ? { InputPath: state.InputPath } : {};
}

async function wakeTime(
  env: ExecutionEnv,
  state: StateDef,
  input: Json,
  context: object,
): Promise<number> {
  const now = env.clock.now();
  const seconds = (value: Json | unknown, field: string): number => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      throw StatesError.runtime(
        `${field} must be a non-negative integer, got ${JSON.stringify(value)}`,
      );
    }
    return now + value * 1000;
  };
  const timestamp = (value: Json | unknown, field: string): number => {
    const time = typeof value === 'string' ? Date.parse(value) : Number.NaN;
    if (Number.isNaN(time)) {
      throw StatesError.runtime(
        `${field} must be an ISO 8601 timestamp, got ${JSON.stringify(value)}`,
      );
    }
    return time;
  };
  if (state.Seconds !== undefined) return seconds(state.Seconds, 'Seconds');
  if (state.Timestamp !== undefined) return timestamp(state.Timestamp, 'Timestamp');
  if (typeof state.SecondsPath === 'string') {
    return seconds(await evaluatePath(state.SecondsPath, input, context), 'SecondsPath');
  }
  if (typeof state.TimestampPath === 'string') {
    return timestamp(await evaluatePath(state.TimestampPath, input, context), 'TimestampPath');
  }
  throw StatesError.runtime('A Wait state needs Seconds, Timestamp, SecondsPath or TimestampPath');
}

function matches(errorEquals: string[], error: StatesError, isTask: boolean): boolean {
  if (!error.catchable) return false;
  return errorEquals.some(
    (name) =>
      name === error.error ||
      name === 'States.ALL' ||
      (name === 'States.Timeout' && error.error === 'States.HeartbeatTimeout') ||
      (name === 'States.TaskFailed' && isTask && !TIMEOUT_ERRORS.has(error.error)),
  );
}

function retryDelayMs(retrier: Retrier, attempt: number): number {
  const interval = retrier.IntervalSeconds ?? 1;
  const backoff = retrier.BackoffRate ?? 2;
  let seconds = interval * backoff ** attempt;
  if (retrier.MaxDelaySeconds !== undefined) seconds = Math.min(seconds, retrier.MaxDelaySeconds);
  if (retrier.JitterStrategy === 'FULL') seconds = Math.random() * seconds;
  return Math.round(seconds * 1000);
}

function asStatesError(error: unknown): StatesError {
  if (error instanceof StatesError) return error;
  return StatesError.runtime(error instanceof Error ? error.message : String(error));
}

/** Task, Map and Parallel: attempts, Retry delays on the clock, then Catch. */
async function runWithRecovery(visit: StateVisit): Promise<StepOutcome> {
  const { env, thread, name, state, rawInput, enteredTime, resume } = visit;
  const retriers = (state.Retry as Retrier[] | undefined) ?? [];
  const catchers = (state.Catch as Catcher[] | undefined) ?? [];
  const counts = resume?.retryCounts?.slice() ?? retriers.map(() => 0);
  let pendingTask = resume?.pendingTask;
  let retryAt = resume?.wakeAt;
  for (;;) {
    if (retryAt !== undefined) {
      // Not parked: a retry delay is part of the step's own work, so idle() waits it out.
      await env.clock.sleepUntil(retryAt, thread.signal);
    }
    const retryCount = counts.reduce((sum, n) => sum + n, 0);
    const context = contextObject(env, name, enteredTime, retryCount);
    try {
      const attempt = { env, thread, name, state, rawInput, enteredTime, counts, context };
      const output =
        state.Type === 'Task'
          ? await runTaskAttempt(attempt, pendingTask)
          : state.Type === 'Map'
            ? await runMapAttempt(attempt)
            : await runParallelAttempt(attempt);
      return { output, next: nextOf(state) };
    } catch (thrown) {
      if (thread.signal.aborted) throw thrown;
      const error = asStatesError(thrown);
      pendingTask = undefined;
      const index = retriers.findIndex((r) => matches(r.ErrorEquals, error, state.Type === 'Task'));
      const retrier = retriers[index];
      const attempts = counts[index] ?? 0;
      if (retrier && attempts < (retrier.MaxAttempts ?? 3)) {
        retryAt = env.clock.now() + retryDelayMs(retrier, attempts);
        counts[index] = attempts + 1;
        if (thread.top) {
          env.checkpoint({
            stateName: name,
            input: rawInput,
            enteredTime,
            retryCounts: counts,
            wakeAt: retryAt,
          });
        }
        continue;
      }
      const catcher = catchers.find((c) => matches(c.ErrorEquals, error, state.Type === 'Task'));
      if (!catcher) throw error;
      const errorOutput = { Error: error.error, Cause: error.errorCause };
      const output = await applyResultPath(catcher.ResultPath, rawInput, errorOutput, context);
      return { output, next: catcher.Next };
    }
  }
}

/** One entry into a state: what a state's runner needs, `resume` set when a restart resumes it. */
interface StateVisit {
  env: ExecutionEnv;
  thread: Thread;
  name: string;
  state: StateDef;
  rawInput: Json;
  enteredTime: string;
  resume: Checkpoint | undefined;
}

interface Attempt extends Omit<StateVisit, 'resume'> {
  counts: number[];
  context: Record<string, unknown>;
}

/**
 * TimeoutSecondsPath and HeartbeatSecondsPath are read from the state's raw input, before
 * InputPath and Parameters, as AWS does (the library reads them from the processed input).
 */
async function secondsOf(
  state: StateDef,
  field: 'TimeoutSeconds' | 'HeartbeatSeconds',
  rawInput: Json,
  context: object,
): Promise<number | undefined> {
  const path = state[`${field}Path`];
  const value =
    typeof path === 'string' ? await evaluatePath(path, rawInput, context) : state[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw StatesError.runtime(`${field} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

async function runTaskAttempt(attempt: Attempt, resumed: Checkpoint['pendingTask']): Promise<Json> {
  const { env, thread, state, rawInput } = attempt;
  const resource = parseResource(String(state.Resource));
  const timeoutSeconds = await secondsOf(state, 'TimeoutSeconds', rawInput, attempt.context);
  const heartbeatSeconds = await secondsOf(state, 'HeartbeatSeconds', rawInput, attempt.context);
  const events = taskEventNames(resource);
  const describe = (extra: Record<string, unknown>): Record<string, unknown> =>
    resource.kind === 'lambda-function'
      ? extra
      : { resourceType: resource.resourceType, resource: resource.resource, ...extra };

  const token =
    resumed?.token ?? (resource.waitForTaskToken ? mintToken(env.executionArn) : undefined);
  const context = token ? { ...attempt.context, Task: { Token: token } } : attempt.context;
  let deadline = resumed?.deadline;
  let result: Json;
  try {
    if (resumed) {
      // Restarted while waiting on this token: its worker already has it, so it is not called again.
      result = await waitForToken(
        env,
        thread,
        env.tokens.openTask(resumed.token),
        deadline,
        heartbeatSeconds,
      );
    } else {
      const parameters = await processInput(state, rawInput, context);
      deadline = timeoutSeconds === undefined ? undefined : env.clock.now() + timeoutSeconds * 1000;
      emit(env, thread, events.scheduled, [
        events.scheduledKey,
        resource.kind === 'lambda-function'
          ? {
              resource: resource.resource,
              input: JSON.stringify(parameters),
              timeoutInSeconds: timeoutSeconds,
            }
          : describe({
              region: env.region,
              parameters: JSON.stringify(parameters),
              timeoutInSeconds: timeoutSeconds,
              heartbeatInSeconds: heartbeatSeconds,
            }),
      ]);
      emit(
        env,
        thread,
        events.started,
        resource.kind === 'lambda-function' ? undefined : [events.startedKey, describe({})],
      );
      if (token) {
        const pending = env.tokens.openTask(token);
        if (thread.top) {
          env.checkpoint({
            stateName: attempt.name,
            input: rawInput,
            enteredTime: attempt.enteredTime,
            retryCounts: attempt.counts,
            pendingTask: { token, deadline },
          });
        }
        const submitted = await withDeadline(
          env,
          thread,
          performResource(resource, parameters, env.deps),
          deadline,
        );
        emit(env, thread, 'TaskSubmitted', [
          'taskSubmittedEventDetails',
          describe({ output: JSON.stringify(submitted), outputDetails: { truncated: false } }),
        ]);
        result = await waitForToken(env, thread, pending, deadline, heartbeatSeconds);
      } else {
        result = await withDeadline(
          env,
          thread,
          performResource(resource, parameters, env.deps),
          deadline,
        );
      }
    }
  } catch (thrown) {
    if (thread.signal.aborted) throw thrown;
    const error = asStatesError(thrown);
    const timedOut = TIMEOUT_ERRORS.has(error.error);
    emit(env, thread, timedOut ? events.timedOut : events.failed, [
      timedOut ? events.timedOutKey : events.failedKey,
      describe({ error: error.error, cause: error.errorCause }),
    ]);
    throw error;
  } finally {
    if (token) env.tokens.close(token);
  }
  emit(env, thread, events.succeeded, [
    events.succeededKey,
    describe({ output: JSON.stringify(result), outputDetails: { truncated: false } }),
  ]);
  return processResult(state, rawInput, result, context);
}

interface TaskEventNames {
  scheduled: string;
  started: string;
  succeeded: string;
  failed: string;
  timedOut: string;
  scheduledKey: string;
  startedKey: string;
  succeededKey: string;
  failedKey: string;
  timedOutKey: string;
}

/** A bare Lambda ARN as Resource logs LambdaFunction* events; integrations log Task* events. */
function taskEventNames(resource: Resource): TaskEventNames {
  const lambda = resource.kind === 'lambda-function';
  const type = (suffix: string): string => `${lambda ? 'LambdaFunction' : 'Task'}${suffix}`;
  const key = (suffix: string): string =>
    `${lambda ? 'lambdaFunction' : 'task'}${suffix}EventDetails`;
  return {
    scheduled: type('Scheduled'),
    started: type('Started'),
    succeeded: type('Succeeded'),
    failed: type('Failed'),
    timedOut: type('TimedOut'),
    scheduledKey: key('Scheduled'),
    startedKey: key('Started'),
    succeededKey: key('Succeeded'),
    failedKey: key('Failed'),
    timedOutKey: key('TimedOut'),
  };
}

function timeoutError(): StatesError {
  return new StatesError('States.Timeout', 'The task did not finish within its TimeoutSeconds');
}

function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

/** Races work against the task deadline; an in-process handler cannot be cancelled, only left. */
async function withDeadline<T>(
  env: ExecutionEnv,
  thread: Thread,
  work: Promise<T>,
  deadline: number | undefined,
): Promise<T> {
  const stopTimer = new AbortController();
  const signal = AbortSignal.any([thread.signal, stopTimer.signal]);
  const racers: Promise<T>[] = [work, aborted(signal)];
  if (deadline !== undefined) {
    racers.push(
      env.clock.sleepUntil(deadline, signal).then(() => {
        throw timeoutError();
      }),
    );
  }
  try {
    return await Promise.race(racers);
  } finally {
    stopTimer.abort();
  }
}

async function waitForToken(
  env: ExecutionEnv,
  thread: Thread,
  pending: PendingTask,
  deadline: number | undefined,
  heartbeatSeconds: number | undefined,
): Promise<Json> {
  for (;;) {
    const heartbeatDeadline =
      heartbeatSeconds === undefined ? undefined : pending.lastHeartbeat + heartbeatSeconds * 1000;
    const wakeAt = Math.min(deadline ?? Infinity, heartbeatDeadline ?? Infinity);
    const rearm = new AbortController();
    pending.onHeartbeat = () => rearm.abort();
    const signal = AbortSignal.any([thread.signal, rearm.signal]);
    const racers: Promise<'timer' | 'rearm' | Awaited<PendingTask['outcome']>>[] = [
      pending.outcome,
      aborted(signal).catch(() => 'rearm' as const),
    ];
    if (wakeAt !== Infinity)
      racers.push(env.clock.sleepUntil(wakeAt, signal).then(() => 'timer' as const));
    const outcome = await park(env, Promise.race(racers));
    rearm.abort();
    thread.signal.throwIfAborted();
    if (outcome === 'rearm') continue;
    if (outcome === 'timer') {
      const now = env.clock.now();
      if (deadline !== undefined && now >= deadline) throw timeoutError();
      if (heartbeatDeadline !== undefined && now >= heartbeatDeadline) {
        throw new StatesError('States.HeartbeatTimeout', 'No heartbeat within HeartbeatSeconds');
      }
      continue;
    }
    if (outcome.kind === 'success') return outcome.output;
    throw new StatesError(outcome.error, outcome.cause);
  }
}

/** Runs `count` children (branches, iterations) with at most `concurrency` at once. */
async function runChildren(
  env: ExecutionEnv,
  thread: Thread,
  count: number,
  concurrency: number,
  run: (index: number, child: Thread) => Promise<Json>,
): Promise<Json[]> {
  const failFast = new AbortController();
  const signal = AbortSignal.any([thread.signal, failFast.signal]);
  const results: Json[] = new Array<Json>(count).fill(null);
  let firstError: unknown;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count && !signal.aborted) {
      const index = next++;
      const child: Thread = { top: false, signal, lastEventId: thread.lastEventId };
      env.threads(1);
      try {
        results[index] = await run(index, child);
      } catch (error) {
        if (firstError === undefined && !thread.signal.aborted) {
          firstError = error;
          failFast.abort(error);
        }
      } finally {
        env.threads(-1);
      }
    }
  };
  const workers = Math.max(1, Math.min(count, concurrency > 0 ? concurrency : count));
  env.threads(-1);
  try {
    await Promise.all(Array.from({ length: workers }, worker));
  } finally {
    env.threads(1);
  }
  thread.signal.throwIfAborted();
  if (firstError !== undefined) throw firstError;
  return results;
}

async function runParallelAttempt(attempt: Attempt): Promise<Json> {
  const { env, thread, state, rawInput, context } = attempt;
  const input = await processInput(state, rawInput, context);
  const branches = (state.Branches as MachineDef[] | undefined) ?? [];
  emit(env, thread, 'ParallelStateStarted');
  try {
    const results = await runChildren(env, thread, branches.length, 0, (i, child) => {
      const branch = branches[i] as MachineDef;
      return runStates(env, branch, child, branch.StartAt, input);
    });
    emit(env, thread, 'ParallelStateSucceeded');
    return await processResult(state, rawInput, results, context);
  } catch (thrown) {
    if (!thread.signal.aborted) emit(env, thread, 'ParallelStateFailed');
    throw thrown;
  }
}

async function runMapAttempt(attempt: Attempt): Promise<Json> {
  const { env, thread, name, state, rawInput, context } = attempt;
  const input = await processInput(state, rawInput, context);
  const items =
    typeof state.ItemsPath === 'string'
      ? await evaluatePath(state.ItemsPath, input, context)
      : input;
  if (!Array.isArray(items)) throw StatesError.runtime('The items of a Map state must be an array');
  const processor = (state.ItemProcessor ?? state.Iterator) as MachineDef;
  const selector = state.ItemSelector ?? state.Parameters;
  const concurrency =
    typeof state.MaxConcurrencyPath === 'string'
      ? Number(await evaluatePath(state.MaxConcurrencyPath, input, context))
      : Number(state.MaxConcurrency ?? 0);
  emit(env, thread, 'MapStateStarted', ['mapStateStartedEventDetails', { length: items.length }]);
  try {
    const results = await runChildren(
      env,
      thread,
      items.length,
      concurrency,
      async (index, child) => {
        const details = { name, index };
        emit(env, child, 'MapIterationStarted', ['mapIterationStartedEventDetails', details]);
        try {
          const itemContext = {
            ...context,
            Map: { Item: { Index: index, Value: items[index] ?? null } },
          };
          const itemInput =
            selector === undefined
              ? (items[index] ?? null)
              : await processInput({ Type: 'Pass', Parameters: selector }, input, itemContext);
          const output = await runStates(env, processor, child, processor.StartAt, itemInput);
          emit(env, child, 'MapIterationSucceeded', ['mapIterationSucceededEventDetails', details]);
          return output;
        } catch (error) {
          if (!child.signal.aborted) {
            emit(env, child, 'MapIterationFailed', ['mapIterationFailedEventDetails', details]);
          }
          throw error;
        }
      },
    );
    emit(env, thread, 'MapStateSucceeded');
    return await processResult(state, rawInput, results, context);
  } catch (thrown) {
    if (!thread.signal.aborted) emit(env, thread, 'MapStateFailed');
    throw thrown;
  }
}
