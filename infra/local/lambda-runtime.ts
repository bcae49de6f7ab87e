// Runs the template's functions in this process: each bundle is imported once, with the
// function's own environment, and called with a Lambda-like context. Handler code cannot tell.
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import type { AccessDeniedError } from './iam';
import { installIamHook, runAs, type IamScope } from './iam-hook';
import type { LocalFunction } from './template';

export class FunctionNotFoundError extends Error {
  // The name Lambda's Invoke API answers with, so callers that match on it behave as on AWS.
  override name = 'ResourceNotFoundException';
  constructor(ref: string) {
    super(`Function not found: ${ref}`);
  }
}

export class EnvironmentConflictError extends Error {
  override name = 'EnvironmentConflictError';
}

export class HandlerLoadError extends Error {
  override name = 'HandlerLoadError';
}

export class FunctionTimeoutError extends Error {
  // What Lambda reports when a function runs past its timeout.
  override name = 'Sandbox.Timedout';
}

/** Variables Lambda itself sets per function; they differ between functions by design. */
const RESERVED = new Set([
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  '_HANDLER',
]);

type Handler = (event: unknown, context: Context, callback?: unknown) => unknown;

interface Loaded {
  fn: LocalFunction;
  env: Record<string, string>;
  handler?: Handler;
  loadError?: Error;
}

export interface LambdaRuntime {
  /** Invokes by ARN (optionally qualified), partial ARN or name, as Lambda's Invoke does. */
  invoke(functionArnOrName: string, payload: unknown): Promise<unknown>;
  invokeFunction(logicalId: string, event: unknown): Promise<unknown>;
  readonly functions: LocalFunction[];
  /**
   * Test-only fault injection: while `fault` returns an error for an invocation of the function
   * (by logical id), that invocation throws it instead of running the handler, as a handler
   * throwing it would (its `name` reaches Retry/Catch). `undefined` removes the fault.
   */
  injectFault(logicalId: string, fault: FunctionFault | undefined): void;
  /** Every AWS call refused by a function's IAM policy since start, oldest first. */
  readonly iamDenials: readonly IamDenial[];
}

/** One AWS call a function made that its role's policy does not allow. */
export interface IamDenial {
  logicalId: string;
  action: string;
  resource?: string[];
  message: string;
}

export type FunctionFault = (event: unknown) => Error | undefined;

export interface LambdaRuntimeOptions {
  functions: LocalFunction[];
  /** Endpoints, region and fake credentials every function sees. */
  baseEnv: Record<string, string>;
  region: string;
  /** Print a warning for functions whose bundle cannot be loaded. */
  quiet?: boolean;
  /**
   * What to run: the handler entries the template names (`liandong:entry`, the default: no
   * bundling needed, so synthesis takes seconds) or the bundles CDK wrote under cdk.out.
   */
  code?: LocalCode;
  /**
   * Called after every invocation (metering for benchmarks); it cannot change the outcome and
   * an observer that throws is ignored.
   */
  observe?: (invocation: InvocationRecord) => void;
  /**
   * Check every AWS SDK call a function makes against its role's policy from the template
   * (iam.ts), and refuse what the policy does not allow with AWS's AccessDeniedException.
   * Default on; `LIANDONG_LOCAL_IAM=off` is how the local cloud turns it off.
   */
  iam?: boolean;
}

export type LocalCode = 'entries' | 'bundles';

/** One finished invocation, as a metering observer sees it. */
export interface InvocationRecord {
  logicalId: string;
  memoryMb: number;
  /** Wall time of the handler call in this process, milliseconds. */
  durationMs: number;
  /** The error's name when the invocation failed (timeouts included). */
  error?: string;
}

/** Throws when two functions give one variable different values: all share one process.env. */
export function checkEnvironmentConflicts(functions: LocalFunction[]): void {
  const seen = new Map<string, { value: string; fn: string }>();
  for (const fn of functions) {
    for (const [key, value] of Object.entries(fn.environment)) {
      if (RESERVED.has(key)) continue;
      const prior = seen.get(key);
      if (prior && prior.value !== value) {
        throw new EnvironmentConflictError(
          `${prior.fn} and ${fn.logicalId} set ${key} to different values ` +
            `(${JSON.stringify(prior.value)} vs ${JSON.stringify(value)}); ` +
            'the local cloud runs all functions in one process and cannot tell them apart',
        );
      }
      seen.set(key, { value, fn: fn.logicalId });
    }
  }
}

function codeFile(fn: LocalFunction, code: LocalCode): { file: string; exportName: string } {
  const dot = fn.handler.lastIndexOf('.');
  const base = fn.handler.slice(0, dot);
  const exportName = fn.handler.slice(dot + 1);
  if (code === 'entries') {
    if (!fn.entry) {
      throw new HandlerLoadError(`${fn.logicalId}: the template names no liandong:entry`);
    }
    return { file: fn.entry, exportName };
  }
  if (!fn.assetDir) {
    throw new HandlerLoadError(`${fn.logicalId}: no bundle (was bundling skipped at synth?)`);
  }
  for (const ext of ['.mjs', '.js', '.cjs']) {
    const file = join(fn.assetDir, base + ext);
    if (existsSync(file)) return { file, exportName };
  }
  throw new HandlerLoadError(
    `${fn.logicalId}: no ${base}.mjs/.js/.cjs in ${fn.assetDir} (handler ${fn.handler})`,
  );
}

function functionEnv(fn: LocalFunction, region: string): Record<string, string> {
  return {
    ...fn.environment,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
    AWS_LAMBDA_LOG_GROUP_NAME: fn.logGroupName,
    // Powertools reports cold starts only for this initialization type.
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    _HANDLER: fn.handler,
  };
}

/** Sets exactly base + this function's variables while its module evaluates. */
async function importWithEnv(
  fn: LocalFunction,
  env: Record<string, string>,
  otherKeys: Set<string>,
  code: LocalCode,
): Promise<Handler> {
  const { file, exportName } = codeFile(fn, code);
  // Other functions' variables are hidden during import, so a variable missing from this
  // function's CDK environment fails here as it would on AWS.
  const hidden: Record<string, string | undefined> = {};
  for (const key of otherKeys) {
    if (!(key in env)) {
      hidden[key] = process.env[key];
      delete process.env[key];
    }
  }
  Object.assign(process.env, env);
  try {
    const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    const handler =
      mod[exportName] ?? (mod.default as Record<string, unknown> | undefined)?.[exportName];
    if (typeof handler !== 'function') {
      throw new HandlerLoadError(`${fn.logicalId}: ${file} exports no function ${exportName}`);
    }
    return handler as Handler;
  } finally {
    for (const [key, value] of Object.entries(hidden)) {
      if (value !== undefined) process.env[key] = value;
    }
  }
}

function makeContext(fn: LocalFunction, invokedArn: string, deadline: number): Context {
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, '/');
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: fn.name,
    functionVersion: '$LATEST',
    invokedFunctionArn: invokedArn,
    memoryLimitInMB: String(fn.memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: fn.logGroupName,
    logStreamName: `${day}/[$LATEST]${randomBytes(16).toString('hex')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

// Lambda passes events and results as JSON: the same round trip drops undefined and
// Dates, and keeps a handler from mutating its caller's objects.
function asJson(value: unknown): unknown {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as unknown);
}

function callHandler(handler: Handler, event: unknown, context: Context): Promise<unknown> {
  if (handler.length < 3) return Promise.resolve(handler(event, context));
  // Callback-style handlers (still supported by the Node 22 runtime).
  return new Promise((resolve, reject) => {
    const result = handler(event, context, (err: unknown, value: unknown) =>
      err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(value),
    );
    if (result && typeof (result as Promise<unknown>).then === 'function') {
      (result as Promise<unknown>).then(resolve, reject);
    }
  });
}

export async function startLambdaRuntime(options: LambdaRuntimeOptions): Promise<LambdaRuntime> {
  checkEnvironmentConflicts(options.functions);
  Object.assign(process.env, options.baseEnv);
  const allKeys = new Set(options.functions.flatMap((fn) => Object.keys(fn.environment)));
  const byName = new Map<string, Loaded>();
  const iamDenials: IamDenial[] = [];
  const enforce = options.iam ?? true;
  if (enforce) {
    installIamHook();
    if (options.code === 'bundles' && !options.quiet) {
      // CDK's bundles carry a private copy of the SDK (bundleAwsSDK), which the hook cannot reach.
      console.warn(
        '[local iam] bundles that carry their own copy of the AWS SDK (bundleAwsSDK) are not checked',
      );
    }
    for (const fn of options.functions) {
      if (!fn.policy && !options.quiet) {
        console.warn(`[local iam] ${fn.logicalId} has no role in the template: not checked`);
      }
    }
  }
  const scopeOf = (fn: LocalFunction): IamScope | undefined =>
    enforce && fn.policy
      ? {
          functionName: fn.name,
          policy: fn.policy,
          region: options.region,
          onDenied: (err: AccessDeniedError) => {
            iamDenials.push({
              logicalId: fn.logicalId,
              action: err.check.action,
              ...(err.check.resource ? { resource: err.check.resource } : {}),
              message: err.message,
            });
            // Loud on purpose, quiet or not: on AWS this call fails, so the template lacks a grant
            // (or the function calls what it should not).
            console.error(`[local iam] ${fn.logicalId}: AccessDeniedException: ${err.message}`);
          },
        }
      : undefined;
  const asFunction = <T>(fn: LocalFunction, body: () => T): T => {
    const scope = scopeOf(fn);
    return scope ? runAs(scope, body) : body();
  };

  // Sequential on purpose: each import runs with its own function's environment.
  for (const fn of options.functions) {
    const env = functionEnv(fn, options.region);
    const loaded: Loaded = { fn, env };
    try {
      // Module initialization runs as the function too: a client call at import is checked.
      loaded.handler = await asFunction(fn, () =>
        importWithEnv(fn, env, allKeys, options.code ?? 'entries'),
      );
    } catch (err) {
      // The cloud must start while handlers are in progress; the error surfaces on invoke.
      loaded.loadError = err as Error;
      if (!options.quiet) {
        console.warn(`[local lambda] ${fn.logicalId} failed to load: ${(err as Error).message}`);
      }
    }
    byName.set(fn.name, loaded);
  }
  // After all imports every function's variables are present (they never conflict).
  for (const loaded of byName.values()) Object.assign(process.env, loaded.fn.environment);

  const find = (ref: string): Loaded => {
    // arn:aws:lambda:region:account:function:name[:qualifier], account:function:name, name
    const m = /^(?:arn:aws:lambda:[^:]+:\d{12}:function:|\d{12}:function:)?([^:]+)(?::.+)?$/.exec(
      ref,
    );
    const loaded = m?.[1] ? byName.get(m[1]) : undefined;
    if (!loaded) throw new FunctionNotFoundError(ref);
    return loaded;
  };

  const faults = new Map<string, FunctionFault>();

  const run = async (loaded: Loaded, payload: unknown): Promise<unknown> => {
    if (loaded.loadError) throw loaded.loadError;
    const { fn } = loaded;
    const injected = faults.get(fn.logicalId)?.(payload);
    if (injected) throw injected;
    Object.assign(process.env, loaded.env);
    const deadline = Date.now() + fn.timeoutSeconds * 1000;
    const context = makeContext(fn, fn.arn, deadline);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new FunctionTimeoutError(
              `${context.awsRequestId} Task timed out after ${fn.timeoutSeconds.toFixed(2)} seconds`,
            ),
          ),
        fn.timeoutSeconds * 1000,
      );
      timer.unref();
    });
    const started = performance.now();
    let error: string | undefined;
    try {
      // The handler's own error propagates unchanged, so its name reaches Retry/Catch.
      const handler = loaded.handler!;
      return asJson(
        await Promise.race([
          asFunction(fn, () => callHandler(handler, asJson(payload), context)),
          timeout,
        ]),
      );
    } catch (err) {
      error = (err as Error | undefined)?.name ?? 'Error';
      throw err;
    } finally {
      clearTimeout(timer);
      if (options.observe) {
        try {
          options.observe({
            logicalId: fn.logicalId,
            memoryMb: fn.memoryMb,
            durationMs: performance.now() - started,
            ...(error === undefined ? {} : { error }),
          });
        } catch {
          // Metering must never change what the caller sees.
        }
      }
    }
  };

  return {
    functions: options.functions,
    iamDenials,
    invoke: (ref, payload) => {
      try {
        return run(find(ref), payload);
      } catch (err) {
        return Promise.reject(err as Error);
      }
    },
    invokeFunction: (logicalId, event) => {
      const loaded = [...byName.values()].find((l) => l.fn.logicalId === logicalId);
      return loaded ? run(loaded, event) : Promise.reject(new FunctionNotFoundError(logicalId));
    },
    injectFault: (logicalId, fault) => {
      if (fault) faults.set(logicalId, fault);
      else faults.delete(logicalId);
    },
  };
}
