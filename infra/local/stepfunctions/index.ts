/**
 * The local Step Functions service: the Step Functions JSON API for the calls the project makes,
 * running the template's state machines with `aws-local-stepfunctions` for ASL data handling.
 * Divergences from AWS are listed in README.md next to this file.
 */
import { listen } from '../http-server';
import { assertPortFree } from '../ports';
import { systemClock, type Clock } from './clock';
import { createDefaultCallSdk } from './sdk';
import { createSfnServer } from './server';
import { StepFunctionsService, type ExecutionStatusChange } from './service';
import { ExecutionStore } from './store';

export type { Clock } from './clock';
export type { ExecutionStatusChange } from './service';
export { createSystemClock, MAX_TIMER_MS } from './clock';

export interface LocalStateMachine {
  arn: string;
  name: string;
  /** ASL, intrinsics already resolved */
  definition: object;
  roleArn: string;
  type: 'STANDARD';
}

export interface LocalStepFunctionsOptions {
  stateMachines: LocalStateMachine[];
  /**
   * Runs a Lambda function in-process. functionArn is the resolved FunctionName of the Task (may
   * be an ARN, an ARN with :$LATEST or alias, or a name). Throws an Error whose `name` is the
   * error type (e.g. 'TransientError') when the handler throws.
   */
  invokeLambda: (functionArn: string, payload: unknown) => Promise<unknown>;
  /**
   * For `arn:aws:states:::aws-sdk:<service>:<action>` and optimized integrations (e.g.
   * `arn:aws:states:::dynamodb:putItem`): default implementation calls the same SDK operation with
   * the AWS SDK v3 against the endpoints in process.env (AWS_ENDPOINT_URL_*). Supports dynamodb,
   * ses and sfn; unknown services fail the task with States.Runtime and a clear cause.
   */
  callSdk?: (service: string, action: string, parameters: unknown) => Promise<unknown>;
  /** Folder where executions are persisted (JSON files) so they survive a restart; undefined = in memory only. */
  dataDir?: string;
  /** 0 = any free port */
  port?: number;
  /** default 127.0.0.1 */
  host?: string;
  /** default from the ARNs / 'us-east-1' */
  region?: string;
  /**
   * Told of every execution status change (the detail of AWS's "Step Functions Execution Status
   * Change" EventBridge event); the local cloud routes it to the template's event rules.
   */
  onExecutionStatusChange?: (detail: ExecutionStatusChange) => void;
  /** @internal Time source; tests inject one to run a 30-day Wait in milliseconds. */
  clock?: Clock;
}

export interface LocalStepFunctions {
  url: string;
  port: number;
  stop(): Promise<void>;
  /**
   * Resolves when no execution is doing work: each has ended or is waiting on a task token, a
   * Wait state, a retry delay (a `.waitForTaskToken` execution would otherwise never be idle).
   */
  idle(): Promise<void>;
}

export async function startLocalStepFunctions(
  options: LocalStepFunctionsOptions,
): Promise<LocalStepFunctions> {
  const region = options.region ?? regionOf(options.stateMachines) ?? 'us-east-1';
  const clock = options.clock ?? systemClock;
  const store = new ExecutionStore(options.dataDir);
  const service = new StepFunctionsService(
    options.stateMachines,
    store,
    clock,
    {
      invokeLambda: options.invokeLambda,
      callSdk: options.callSdk ?? createDefaultCallSdk(region),
    },
    region,
  );
  if (options.onExecutionStatusChange) service.onStatusChange(options.onExecutionStatusChange);
  service.resumeAll();

  const server = createSfnServer(service);
  const host = options.host ?? '127.0.0.1';
  if (options.port) {
    await assertPortFree(
      'local Step Functions',
      options.port,
      'set LIANDONG_SFN_PORT to another port',
      host,
    );
  }
  const listening = await listen(server, host, options.port);

  let stopping: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    await service.shutdown();
    await listening.stop();
  };
  return {
    url: listening.url,
    port: listening.port,
    idle: () => service.idle(),
    // Idempotent: a test may stop the service itself and again in its teardown.
    stop: () => (stopping ??= stop()),
  };
}

function regionOf(machines: LocalStateMachine[]): string | undefined {
  for (const machine of machines) {
    const region = machine.arn.split(':')[3];
    if (region) return region;
  }
  return undefined;
}
