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
  readonly closeAttendance: lambda.IFunction;
  readonly closeFindings: lambda.IFunction;
  readonly triage: lambda.IFunction;
  readonly dispatchReferrals: lambda.IFunction;
  readonly completeActivity: lambda.IFunction;
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

    const byActivityId = { activityId: sfn.JsonPath.stringAt('$.activityId') };
    const awaitStart = humanStep(this, 'AwaitStart', functions.awaitPhase, {
      phase: 'START',
      comment: 'Wait for the start time; the organiser may open check-in earlier',
      timeoutPath: '$.secondsUntilStart',
    });
    const openCheckIn = invokeStep(this, 'OpenCheckIn', functions.openCheckIn, byActivityId);
    const awaitAttendanceClose = humanStep(this, 'AwaitAttendanceClose', functions.awaitPhase, {
      phase: 'ATTENDANCE',
      comment: 'Check-in is open until the organiser closes attendance or its deadline passes',
      timeoutPath: '$.secondsUntilAttendanceDeadline',
    });
    const closeAttendance = invokeStep(
      this,
      'CloseAttendance',
      functions.closeAttendance,
      byActivityId,
    );
    const awaitFindingsClose = humanStep(this, 'AwaitFindingsClose', functions.awaitPhase, {
      phase: 'FINDINGS',
      comment: 'Findings are collected until the organiser closes them or the deadline passes',
      timeoutPath: '$.secondsUntilFindingsDeadline',
    });
    const closeFindings = invokeStep(this, 'CloseFindings', functions.closeFindings, byActivityId);
    const triage = invokeStep(this, 'Triage', functions.triage, byActivityId);
    const awaitReview = humanStep(this, 'AwaitReview', functions.awaitPhase, {
      phase: 'REVIEW',
      comment: "The chairmen's meeting decides each finding, then approves; nothing is sent before",
    });
    const dispatchReferrals = invokeStep(
      this,
      'DispatchReferrals',
      functions.dispatchReferrals,
      byActivityId,
    );
    const completeActivity = invokeStep(
      this,
      'CompleteActivity',
      functions.completeActivity,
      byActivityId,
    );
    const completed = new sfn.Succeed(this, 'Completed');

    // A deadline is the ordinary end of a waiting phase: route it on, keeping the input.
    awaitStart.addCatch(openCheckIn, {
      errors: [sfn.Errors.TIMEOUT],
      resultPath: sfn.JsonPath.DISCARD,
    });
    awaitAttendanceClose.addCatch(closeAttendance, {
      errors: [sfn.Errors.TIMEOUT],
      resultPath: sfn.JsonPath.DISCARD,
    });
    awaitFindingsClose.addCatch(closeFindings, {
      errors: [sfn.Errors.TIMEOUT],
      resultPath: sfn.JsonPath.DISCARD,
    });

    const steps = [
      sendInvitations,
      awaitStart,
      openCheckIn,
      awaitAttendanceClose,
      closeAttendance,
      awaitFindingsClose,
      closeFindings,
      triage,
      awaitReview,
      dispatchReferrals,
      completeActivity,
    ];
    for (const step of steps) {
      step.addCatch(recordFailure, { errors: [sfn.Errors.ALL], resultPath: '$.error' });
    }

    const definition = sendInvitations
      .next(awaitStart)
      .next(openCheckIn)
      .next(awaitAttendanceClose)
      .next(closeAttendance)
      .next(awaitFindingsClose)
      .next(closeFindings)
      .next(triage)
      .next(awaitReview)
      .next(dispatchReferrals)
      .next(completeActivity)
      .next(completed);

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

interface HumanStepOptions {
  readonly phase: 'START' | 'ATTENDANCE' | 'FINDINGS' | 'REVIEW';
  readonly comment: string;
  /** Path to the seconds left until the phase's deadline, in the state's input. */
  readonly timeoutPath?: string;
}

/**
 * A step a person ends: the token goes to AwaitPhase, which keeps it server-side; the API
 * answers it with SendTaskSuccess. The state's input passes through unchanged.
 */
function humanStep(
  scope: Construct,
  id: string,
  awaitPhase: lambda.IFunction,
  options: HumanStepOptions,
): tasks.LambdaInvoke {
  const step = new tasks.LambdaInvoke(scope, id, {
    comment: options.comment,
    lambdaFunction: awaitPhase,
    integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    payload: sfn.TaskInput.fromObject({
      activityId: sfn.JsonPath.stringAt('$.activityId'),
      phase: options.phase,
      taskToken: sfn.JsonPath.taskToken,
    }),
    ...(options.timeoutPath ? { taskTimeout: sfn.Timeout.at(options.timeoutPath) } : {}),
    resultPath: sfn.JsonPath.DISCARD,
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
