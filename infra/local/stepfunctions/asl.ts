/**
 * ASL data semantics (paths, payload templates, intrinsic functions, Choice rules), delegated to
 * `aws-local-stepfunctions` by running one-state machines. The interpreter drives control flow and
 * time itself; the library only ever sees states that finish at once.
 */
import { ExecutionError, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { StatesError } from './errors';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A state of an ASL definition, loosely typed: the definition comes from a synthesized template. */
export interface StateDef {
  Type: string;
  Next?: string;
  End?: boolean;
  [field: string]: unknown;
}

export interface MachineDef {
  StartAt: string;
  States: Record<string, StateDef>;
  TimeoutSeconds?: number;
  [field: string]: unknown;
}

const STEP = 'Step';
const LONG_ENOUGH_SECONDS = 60;
const IGNORED_RESOURCE = 'arn:aws:lambda:us-east-1:000000000000:function:LocalStep';

/**
 * The library rebuilds `$$.Execution` on every run (Input = the run's input, StartTime = now), and
 * every step is a run of its own, so context paths to the execution are redirected to a key the
 * library leaves alone.
 */
export const EXECUTION_CONTEXT_KEY = 'LiandongExecution';

export function redirectExecutionContextPaths<T>(value: T): T {
  if (typeof value === 'string') {
    return value.replace(/\$\$\.Execution(?![\w])/g, `$$$$.${EXECUTION_CONTEXT_KEY}`) as T;
  }
  if (Array.isArray(value)) return value.map((v: unknown) => redirectExecutionContextPaths(v)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, redirectExecutionContextPaths(v)]),
    ) as T;
  }
  return value;
}

async function runStep(
  state: Record<string, unknown>,
  input: Json,
  context: object,
  result?: Json,
): Promise<Json> {
  const definition = { StartAt: STEP, States: { [STEP]: { ...state, End: true } } };
  const machine = new StateMachine(definition as unknown as StateMachineDefinition, {
    validationOptions: { noValidate: true },
  });
  const overrides =
    result === undefined ? undefined : { taskResourceLocalHandlers: { [STEP]: () => result } };
  const run = machine.run(input, { context: context as Record<string, unknown>, overrides });
  try {
    return (await run.result) as Json;
  } catch (error) {
    throw toStatesError(error);
  }
}

function toStatesError(error: unknown): StatesError {
  const inner = error instanceof ExecutionError ? error.cause : error;
  if (inner instanceof StatesError) return inner;
  if (inner instanceof Error) {
    const catchable = (inner as { isCatchable?: boolean }).isCatchable ?? true;
    const name = inner.name === 'RuntimeError' ? 'States.Runtime' : inner.name;
    return new StatesError(name, inner.message, catchable && name !== 'States.Runtime');
  }
  return StatesError.runtime(String(inner));
}

function pick(state: StateDef, fields: string[]): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const field of fields) if (field in state) picked[field] = state[field];
  // The library turns ResultPath "$" into a key named "$"; "$" means "the whole result" anyway.
  if (picked.ResultPath === '$') delete picked.ResultPath;
  return picked;
}

/** InputPath then Parameters (Parameters of a Map state select items, so they are left out). */
export function processInput(state: StateDef, rawInput: Json, context: object): Promise<Json> {
  const fields = state.Type === 'Map' ? ['InputPath'] : ['InputPath', 'Parameters'];
  return runStep({ Type: 'Pass', ...pick(state, fields) }, rawInput, context);
}

/** ResultSelector on the result, ResultPath into the raw input, then OutputPath. */
export function processResult(
  state: StateDef,
  rawInput: Json,
  result: Json,
  context: object,
): Promise<Json> {
  const fields = pick(state, ['ResultSelector', 'ResultPath', 'OutputPath']);
  const task = {
    Type: 'Task',
    Resource: IGNORED_RESOURCE,
    TimeoutSeconds: LONG_ENOUGH_SECONDS,
    ...fields,
  };
  return runStep(task, rawInput, context, result);
}

export function applyResultPath(
  resultPath: unknown,
  rawInput: Json,
  value: Json,
  context: object,
): Promise<Json> {
  const state: StateDef = { Type: 'Task' };
  if (resultPath !== undefined) state.ResultPath = resultPath;
  return processResult(state, rawInput, value, context);
}

/** Evaluates a reference path (`$.a.b` or `$$.Context`) on a value. */
export async function evaluatePath(path: string, input: Json, context: object): Promise<Json> {
  const picked = await runStep({ Type: 'Pass', Parameters: { 'v.$': path } }, input, context);
  return (picked as { v: Json }).v;
}

/** Pass, Succeed: the library's own rules, minus the transition. */
export function runPass(state: StateDef, input: Json, context: object): Promise<Json> {
  const fields = ['InputPath', 'Parameters', 'Result', 'ResultPath', 'OutputPath'];
  const picked = pick(state, state.Type === 'Pass' ? fields : ['InputPath', 'OutputPath']);
  return runStep({ Type: 'Pass', ...picked }, input, context);
}

/** Applies InputPath and OutputPath only: the data flow of Wait and Succeed states. */
export function passThrough(state: StateDef, input: Json, context: object): Promise<Json> {
  return runStep({ Type: 'Pass', ...pick(state, ['InputPath', 'OutputPath']) }, input, context);
}

interface ChoiceRule {
  Next?: string;
  [field: string]: unknown;
}

/**
 * Runs the library's Choice evaluation with every target renamed to a numbered stub that reports
 * which branch was taken, so rules behave exactly as the library implements them.
 */
export async function runChoice(
  state: StateDef,
  input: Json,
  context: object,
): Promise<{ output: Json; next: string }> {
  const rules = (state.Choices as ChoiceRule[] | undefined) ?? [];
  const targets = rules.map((rule) => rule.Next ?? '');
  const stub = (i: number): string => `Branch${i}`;
  const choices = rules.map((rule, i) => ({ ...rule, Next: stub(i) }));
  const states: Record<string, unknown> = {
    [STEP]: {
      ...pick(state, ['InputPath', 'OutputPath']),
      Type: 'Choice',
      Choices: choices,
      ...(typeof state.Default === 'string' ? { Default: stub(targets.length) } : {}),
    },
  };
  const allTargets = typeof state.Default === 'string' ? [...targets, state.Default] : targets;
  allTargets.forEach((_, i) => {
    states[stub(i)] = { Type: 'Pass', Parameters: { 'output.$': '$', branch: i }, End: true };
  });
  const machine = new StateMachine({ StartAt: STEP, States: states } as StateMachineDefinition, {
    validationOptions: { noValidate: true },
  });
  try {
    const picked = (await machine.run(input, { context: context as Record<string, unknown> })
      .result) as { output: Json; branch: number };
    return { output: picked.output, next: allTargets[picked.branch] ?? '' };
  } catch (error) {
    throw toStatesError(error);
  }
}
