import {
  DescribeExecutionCommand,
  RedriveExecutionCommand,
  type DescribeExecutionCommandOutput,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import * as z from 'zod/mini';
import { ConflictError, TransientError } from '../errors.js';
import { isTransientAwsError } from '../transient.js';

/**
 * The event a failed or timed-out execution sends to EventBridge ("Step Functions Execution
 * Status Change"); the rule in workflows/steps.ts `recordFailuresOf` passes it whole. The
 * execution's name is the workflow's subject (activity or referral id). The envelope is written
 * out rather than taken from Powertools' parser: its schemas import zod in the form esbuild
 * cannot tree-shake, which doubled the bundles of every function that reaches this module.
 */
export const executionFailedEventSchema = z.object({
  version: z.string(),
  id: z.string(),
  account: z.string(),
  time: z.string(),
  region: z.string(),
  resources: z.array(z.string()),
  source: z.literal('aws.states'),
  'detail-type': z.literal('Step Functions Execution Status Change'),
  detail: z.object({
    executionArn: z.string().check(z.minLength(1)),
    stateMachineArn: z.string().check(z.minLength(1)),
    name: z.string().check(z.minLength(1)),
    status: z.enum(['FAILED', 'TIMED_OUT']),
    error: z.nullish(z.string()),
    cause: z.nullish(z.string()),
    redriveCount: z.nullish(z.number().check(z.int(), z.nonnegative())),
  }),
});

export type ExecutionFailedEvent = z.output<typeof executionFailedEventSchema>;

/** The failure as the recorders take it (`States.Timeout` when the execution timed out). */
export const failureOf = (event: ExecutionFailedEvent) => ({
  Error:
    event.detail.error ??
    (event.detail.status === 'TIMED_OUT' ? 'States.Timeout' : 'States.Unknown'),
  Cause: event.detail.cause ?? '',
});

const describe = async (
  sfn: SFNClient,
  executionArn: string,
): Promise<DescribeExecutionCommandOutput> => {
  try {
    return await sfn.send(new DescribeExecutionCommand({ executionArn }));
  } catch (error) {
    if ((error as Error).name === 'ExecutionDoesNotExist') {
      // The subject exists (the caller may see it): it is its workflow that is missing.
      throw new ConflictError('It has no workflow execution to redrive');
    }
    if (isTransientAwsError(error)) {
      throw new TransientError('Step Functions is unavailable; try again', { cause: error });
    }
    throw error;
  }
};

/**
 * Whether the failure an event reports is still the execution's state: EventBridge may deliver
 * late or twice, and an event of a failure that was redriven since must not mark the subject
 * failed again.
 */
export const isCurrentFailure = async (
  sfn: SFNClient,
  event: ExecutionFailedEvent,
): Promise<boolean> => {
  const execution = await describe(sfn, event.detail.executionArn);
  return (
    execution.status === event.detail.status &&
    (execution.redriveCount ?? 0) === (event.detail.redriveCount ?? 0)
  );
};

export type RedriveCheck =
  { state: 'REDRIVABLE'; redriveCount: number } | { state: 'RUNNING'; redriveCount: number };

/**
 * Whether an execution can be redriven (failed or timed out, within AWS's 14 days) or already
 * runs again (a repeated request). Anything else is a 409 that says why.
 */
export const checkRedrive = async (sfn: SFNClient, executionArn: string): Promise<RedriveCheck> => {
  const execution = await describe(sfn, executionArn);
  const redriveCount = execution.redriveCount ?? 0;
  switch (execution.status) {
    case 'RUNNING':
      return { state: 'RUNNING', redriveCount };
    case 'FAILED':
    case 'TIMED_OUT':
      if (execution.redriveStatus === 'NOT_REDRIVABLE') {
        throw new ConflictError(
          `The workflow cannot be redriven: ${execution.redriveStatusReason ?? 'not redrivable'}`,
        );
      }
      return { state: 'REDRIVABLE', redriveCount };
    case 'SUCCEEDED':
      throw new ConflictError('The workflow has completed; there is nothing to redrive');
    default:
      // ABORTED: only a cancellation stops an execution, and a cancelled subject stays so.
      throw new ConflictError(`The workflow is ${execution.status}; it is not redriven`);
  }
};

/**
 * RedriveExecution of an execution `checkRedrive` found redrivable with `redriveCount`; returns
 * the count after it. A concurrent redrive that won is success (the execution runs again).
 */
export const redrive = async (
  sfn: SFNClient,
  executionArn: string,
  redriveCount: number,
): Promise<number> => {
  try {
    await sfn.send(new RedriveExecutionCommand({ executionArn }));
    return redriveCount + 1;
  } catch (error) {
    if ((error as Error).name === 'ExecutionNotRedrivable') {
      const again = await describe(sfn, executionArn);
      if (again.status === 'RUNNING') return again.redriveCount ?? 0;
      throw new ConflictError(`The workflow cannot be redriven: ${(error as Error).message}`);
    }
    if (isTransientAwsError(error)) {
      throw new TransientError('Step Functions is unavailable; try again', { cause: error });
    }
    throw error;
  }
};
