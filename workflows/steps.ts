import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';

/** Errors a step throws when the fault is passing (throttling, a conflicting write). */
export const TRANSIENT_ERRORS = ['TransientError', 'ConcurrentModificationError'];

/** A Lambda step whose output is the handler's result, retried on service and transient errors. */
export function invokeStep(
  scope: Construct,
  id: string,
  fn: lambda.IFunction,
  payload: Record<string, unknown>,
): tasks.LambdaInvoke {
  const step = new tasks.LambdaInvoke(scope, id, {
    lambdaFunction: fn,
    payload: sfn.TaskInput.fromObject(payload),
    payloadResponseOnly: true,
    retryOnServiceExceptions: true,
  });
  return withTransientRetry(step);
}

export interface HumanStepOptions {
  /** The id the payload carries: the workflow's subject (`activityId`, `referralId`). */
  readonly idField: string;
  readonly phase: string;
  readonly comment: string;
  /** Path to the seconds left until the phase's deadline, in the state's input. */
  readonly timeoutPath?: string;
  /** Where the answer (SendTaskSuccess output) goes in the state's output. */
  readonly resultPath: string;
  /** More of the payload (ids and numbers only), e.g. the revision a wait was planned from. */
  readonly payload?: Record<string, unknown>;
}

/**
 * A step a person ends: the token goes to the await function, which keeps it server-side; the
 * API or a page answers it with SendTaskSuccess.
 */
export function humanStep(
  scope: Construct,
  id: string,
  awaitFunction: lambda.IFunction,
  options: HumanStepOptions,
): tasks.LambdaInvoke {
  const step = new tasks.LambdaInvoke(scope, id, {
    comment: options.comment,
    lambdaFunction: awaitFunction,
    integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    payload: sfn.TaskInput.fromObject({
      [options.idField]: sfn.JsonPath.stringAt(`$.${options.idField}`),
      phase: options.phase,
      taskToken: sfn.JsonPath.taskToken,
      ...options.payload,
    }),
    ...(options.timeoutPath ? { taskTimeout: sfn.Timeout.at(options.timeoutPath) } : {}),
    resultPath: options.resultPath,
  });
  return withTransientRetry(step);
}

/**
 * Transient faults are retried for minutes, not seconds: 10 attempts, delays doubling from 1 s
 * and capped at 60 s, full jitter (about 2 minutes of waiting expected, 4 at most). With 6
 * attempts and no cap (about 15 s expected) a DynamoDB restart outlasted the retries and the
 * step was caught into the workflow's failure (test/chaos/dynamodb-restart.test.ts).
 */
export const TRANSIENT_RETRY = { maxAttempts: 10, intervalSeconds: 1, maxDelaySeconds: 60 };

function withTransientRetry(step: tasks.LambdaInvoke): tasks.LambdaInvoke {
  step.addRetry({
    errors: TRANSIENT_ERRORS,
    interval: Duration.seconds(TRANSIENT_RETRY.intervalSeconds),
    maxAttempts: TRANSIENT_RETRY.maxAttempts,
    maxDelay: Duration.seconds(TRANSIENT_RETRY.maxDelaySeconds),
    backoffRate: 2,
    jitterStrategy: sfn.JitterType.FULL,
  });
  return step;
}

/**
 * Failures are recorded from the outside: a rule on the execution's "Step Functions Execution
 * Status Change" event (FAILED or TIMED_OUT) invokes `recorder` with the event. No step catches
 * States.ALL, so a failed execution stops at the state that failed and `RedriveExecution` runs
 * that state again (a catch-all into a Fail state would make a redrive fail again at once).
 * ABORTED is left out: only a cancellation stops an execution, and it records itself.
 */
export function recordFailuresOf(
  scope: Construct,
  id: string,
  stateMachine: sfn.IStateMachine,
  recorder: lambda.IFunction,
): events.Rule {
  // The recorder asks whether the failure is still current (a late event after a redrive).
  stateMachine.grantExecution(recorder, 'states:DescribeExecution');
  return new events.Rule(scope, id, {
    description: 'Records a failed or timed-out workflow execution on its subject',
    eventPattern: {
      source: ['aws.states'],
      detailType: ['Step Functions Execution Status Change'],
      detail: { status: ['FAILED', 'TIMED_OUT'], stateMachineArn: [stateMachine.stateMachineArn] },
    },
    // EventBridge retries for up to a day; the recorder is idempotent.
    targets: [
      new targets.LambdaFunction(recorder, { retryAttempts: 20, maxEventAge: Duration.hours(24) }),
    ],
  });
}

/**
 * The project's Standard state machine (`Logs` and `StateMachine` in `scope`): tracing on, every
 * event logged without execution data (it holds only ids, but the history is the place for it).
 */
export function standardStateMachine(
  scope: Construct,
  props: { definition: sfn.IChainable; logRetention: logs.RetentionDays; comment: string },
): sfn.StateMachine {
  const logGroup = new logs.LogGroup(scope, 'Logs', {
    retention: props.logRetention,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  return new sfn.StateMachine(scope, 'StateMachine', {
    definitionBody: sfn.DefinitionBody.fromChainable(props.definition),
    stateMachineType: sfn.StateMachineType.STANDARD,
    tracingEnabled: true,
    logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    comment: props.comment,
  });
}

/** A workflow's step functions, by name. */
export type WorkflowFunctions<TName extends string> = Readonly<Record<TName, lambda.IFunction>>;

/** What each workflow construct is given: its step functions and how long its logs are kept. */
export interface WorkflowProps<TFunctions> {
  readonly functions: TFunctions;
  readonly logRetention: logs.RetentionDays;
}

/**
 * The states of a workflow about one subject (an activity, a referral), all in `scope`: Lambda
 * steps whose payload is the subject's id, human steps whose token goes to `awaitFunction` and
 * whose answer lands at `answerPath`, and deadlines routed on.
 */
function workflowKit(
  scope: Construct,
  subject: { idField: string; awaitFunction: lambda.IFunction; answerPath: string },
) {
  const byId = { [subject.idField]: sfn.JsonPath.stringAt(`$.${subject.idField}`) };
  return {
    /** Where the workflow's own Choice, Pass, Succeed and Fail states are created. */
    scope,
    /** A Lambda step given `{ <idField> }` (or `payload`). */
    step: (id: string, fn: lambda.IFunction, payload: Record<string, unknown> = byId) =>
      invokeStep(scope, id, fn, payload),
    /** `{ <idField> }` and more of the payload (ids and numbers only). */
    byIdWith: (more: Record<string, unknown>) => ({ ...byId, ...more }),
    /** A human step; its answer goes to the workflow's `answerPath` unless it says otherwise. */
    human: (
      id: string,
      options: Omit<HumanStepOptions, 'idField' | 'resultPath'> & { resultPath?: string },
    ) =>
      humanStep(scope, id, subject.awaitFunction, {
        idField: subject.idField,
        resultPath: subject.answerPath,
        ...options,
      }),
    /** `error` ends `state` into `next`, keeping the input (or the error at `resultPath`). */
    onError: (
      state: tasks.LambdaInvoke,
      error: string,
      next: sfn.IChainable,
      resultPath: string = sfn.JsonPath.DISCARD,
    ) => state.addCatch(next, { errors: [error], resultPath }),
  };
}

export type WorkflowKit = ReturnType<typeof workflowKit>;

/** What makes a workflow about one subject: its id, its await and failure functions, its states. */
export interface WorkflowSubject<TStep extends string> {
  /** The id every payload carries (`activityId`, `referralId`); the execution is named by it. */
  readonly idField: string;
  /** The function the human steps give their task token to. */
  readonly awaitFunction: TStep;
  /** Where a human step's answer (SendTaskSuccess output) goes in the state's output. */
  readonly answerPath: string;
  /** The function the rule on a failed or timed-out execution invokes. */
  readonly recorder: TStep;
  /** The states and transitions; returns the first state. */
  readonly define: (kit: WorkflowKit, functions: WorkflowFunctions<TStep>) => sfn.IChainable;
  readonly comment: string;
}

/**
 * A workflow construct: `Logs` and `StateMachine` (standardStateMachine) in it, the states its
 * subject defines, and the rule that records its failures (`FailureRecording`).
 */
export class SubjectWorkflow<TStep extends string> extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(
    scope: Construct,
    id: string,
    props: WorkflowProps<WorkflowFunctions<TStep>>,
    subject: WorkflowSubject<TStep>,
  ) {
    super(scope, id);
    const { functions } = props;
    const kit = workflowKit(this, {
      idField: subject.idField,
      awaitFunction: functions[subject.awaitFunction],
      answerPath: subject.answerPath,
    });
    this.stateMachine = standardStateMachine(this, {
      definition: subject.define(kit, functions),
      logRetention: props.logRetention,
      comment: subject.comment,
    });
    recordFailuresOf(this, 'FailureRecording', this.stateMachine, functions[subject.recorder]);
  }
}
