import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';

export interface ActivityWorkflowFunctions {
  readonly sendInvitations: lambda.IFunction;
  readonly awaitPhase: lambda.IFunction;
  readonly openCheckIn: lambda.IFunction;
  readonly recordFailure: lambda.IFunction;
}

export interface ActivityWorkflowProps {
  readonly functions: ActivityWorkflowFunctions;
  readonly logRetention: logs.RetentionDays;
}

/** Errors a step throws when the fault is passing (throttling, a conflicting write). */
export const TRANSIENT_ERRORS = ['TransientError', 'ConcurrentModificationError'];

/**
 * The activity workflow. Its payload is `{ activityId }` plus numbers the steps return: no
 * personal data ever enters the execution history.
 *
 * Each human step is a `.waitForTaskToken` task whose deadline is a `TimeoutSecondsPath`; a
 * timeout is the ordinary way out of a waiting phase (the start time came, the deadline passed),
 * so it is caught and routed rather than treated as a failure.
 */
export class ActivityWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: ActivityWorkflowProps) {
    super(scope, id);
    const { functions } = props;

    const recordFailure = invokeStep(this, 'RecordFailure', functions.recordFailure, {
      activityId: sfn.JsonPath.stringAt('$.activityId'),
      error: sfn.JsonPath.objectAt('$.error'),
    });
    const failed = new sfn.Fail(this, 'ActivityFailed', {
      error: 'ActivityFailed',
      cause: 'A step of the activity workflow failed; see the activity record',
    });
    recordFailure.next(failed);

    const sendInvitations = invokeStep(this, 'SendInvitations', functions.sendInvitations, {
      activityId: sfn.JsonPath.stringAt('$.activityId'),
    });

    const awaitStart = new tasks.LambdaInvoke(this, 'AwaitStart', {
      comment: 'Wait for the start time; the organiser may open check-in earlier',
      lambdaFunction: functions.awaitPhase,
      integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: sfn.TaskInput.fromObject({
        activityId: sfn.JsonPath.stringAt('$.activityId'),
        phase: 'START',
        taskToken: sfn.JsonPath.taskToken,
      }),
      taskTimeout: sfn.Timeout.at('$.secondsUntilStart'),
      resultPath: sfn.JsonPath.DISCARD,
    });
    withTransientRetry(awaitStart);

    const openCheckIn = invokeStep(this, 'OpenCheckIn', functions.openCheckIn, {
      activityId: sfn.JsonPath.stringAt('$.activityId'),
    });
    const checkInOpen = new sfn.Succeed(this, 'CheckInOpened', {
      comment: 'Attendance, findings, review and dispatch follow here (issue 3)',
    });

    awaitStart.addCatch(openCheckIn, {
      errors: [sfn.Errors.TIMEOUT],
      resultPath: sfn.JsonPath.DISCARD,
    });
    for (const step of [sendInvitations, awaitStart, openCheckIn]) {
      step.addCatch(recordFailure, { errors: [sfn.Errors.ALL], resultPath: '$.error' });
    }

    const definition = sendInvitations.next(awaitStart).next(openCheckIn).next(checkInOpen);

    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      stateMachineType: sfn.StateMachineType.STANDARD,
      tracingEnabled: true,
      // Execution data holds only ids, but the history is the place for it, not the logs.
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      comment: 'Activity: invitations, start, attendance, findings, review, dispatch',
    });
  }
}

function invokeStep(
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

function withTransientRetry(step: tasks.LambdaInvoke): tasks.LambdaInvoke {
  step.addRetry({
    errors: TRANSIENT_ERRORS,
    interval: Duration.seconds(1),
    maxAttempts: 6,
    backoffRate: 2,
    jitterStrategy: sfn.JitterType.FULL,
  });
  return step;
}
