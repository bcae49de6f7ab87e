import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  humanStep,
  type HumanStepOptions,
  invokeStep,
  recordFailuresOf,
  standardStateMachine,
} from './steps';

export interface ActivityWorkflowFunctions {
  readonly sendInvitations: lambda.IFunction;
  readonly planStart: lambda.IFunction;
  readonly sendReminders: lambda.IFunction;
  readonly sendChangeNotices: lambda.IFunction;
  readonly awaitPhase: lambda.IFunction;
  readonly openCheckIn: lambda.IFunction;
  readonly closeAttendance: lambda.IFunction;
  readonly closeFindings: lambda.IFunction;
  readonly triage: lambda.IFunction;
  readonly dispatchReferrals: lambda.IFunction;
  readonly completeActivity: lambda.IFunction;
  readonly sendActivityReport: lambda.IFunction;
  readonly recordFailure: lambda.IFunction;
}

export interface ActivityWorkflowProps {
  readonly functions: ActivityWorkflowFunctions;
  readonly logRetention: logs.RetentionDays;
}

/**
 * The activity workflow. Its payload is `{ activityId }` plus numbers the steps return: no
 * personal data ever enters the execution history.
 *
 * Each human step is a `.waitForTaskToken` task whose deadline is a `TimeoutSecondsPath`; a
 * timeout is the ordinary way out of a waiting phase (the start time came, the deadline passed),
 * so it is caught and routed rather than treated as a failure.
 *
 * Nothing else is caught: a step that still fails after its Retry fails the execution there,
 * a rule records the failure on the activity (the organiser sees FAILED), and once the cause is
 * removed `POST /activities/{id}/redrive` runs that step again (docs/activity-workflow.md).
 */
export class ActivityWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: ActivityWorkflowProps) {
    super(scope, id);
    const { functions } = props;
    const human = (stepId: string, options: Omit<HumanStepOptions, 'idField' | 'resultPath'>) =>
      humanStep(this, stepId, functions.awaitPhase, {
        idField: 'activityId',
        resultPath: sfn.JsonPath.DISCARD,
        ...options,
      });

    const sendInvitations = invokeStep(this, 'SendInvitations', functions.sendInvitations, {
      activityId: sfn.JsonPath.stringAt('$.activityId'),
    });

    const byActivityId = { activityId: sfn.JsonPath.stringAt('$.activityId') };

    // The wait for the start is a loop, planned again from the activity as it is after each
    // reminder and each change (docs/activity-workflow.md, "Before the start").
    const planStart = invokeStep(this, 'PlanStart', functions.planStart, byActivityId);
    const sendReminders = invokeStep(this, 'SendReminders', functions.sendReminders, byActivityId);
    const sendChangeNotices = invokeStep(
      this,
      'SendChangeNotices',
      functions.sendChangeNotices,
      byActivityId,
    );
    const awaitStart = humanStep(this, 'AwaitStart', functions.awaitPhase, {
      idField: 'activityId',
      phase: 'START',
      comment:
        'Wait for the reminder time or the start; the organiser may open check-in earlier, and a change ends the wait to plan it again',
      timeoutPath: '$.secondsToWait',
      payload: { revision: sfn.JsonPath.numberAt('$.revision') },
      resultPath: '$.startAnswer',
    });
    const openCheckIn = invokeStep(this, 'OpenCheckIn', functions.openCheckIn, byActivityId);
    const whatNext = new sfn.Choice(this, 'WhatNext')
      .when(sfn.Condition.stringEquals('$.next', 'NOTIFY'), sendChangeNotices)
      .when(sfn.Condition.stringEquals('$.next', 'REMIND'), sendReminders)
      .otherwise(awaitStart);
    const waitEnded = new sfn.Choice(this, 'WaitEnded', {
      comment: 'The wait timed out: the reminder time or the start came',
    })
      .when(sfn.Condition.stringEquals('$.next', 'AWAIT_REMINDER'), sendReminders)
      .otherwise(openCheckIn);
    const startAnswered = new sfn.Choice(this, 'StartAnswered', {
      comment: 'Ended by a change (rescheduled) or by the organiser opening check-in',
    })
      .when(sfn.Condition.isPresent('$.startAnswer.rescheduled'), sendChangeNotices)
      .otherwise(openCheckIn);
    planStart.next(whatNext);
    sendReminders.next(planStart);
    sendChangeNotices.next(planStart);
    awaitStart.next(startAnswered);
    // The wait was planned from an older revision (a change came in between): plan again.
    awaitStart.addCatch(sendChangeNotices, {
      errors: ['RescheduledError'],
      resultPath: sfn.JsonPath.DISCARD,
    });
    const awaitAttendanceClose = human('AwaitAttendanceClose', {
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
    const awaitFindingsClose = human('AwaitFindingsClose', {
      phase: 'FINDINGS',
      comment: 'Findings are collected until the organiser closes them or the deadline passes',
      timeoutPath: '$.secondsUntilFindingsDeadline',
    });
    const closeFindings = invokeStep(this, 'CloseFindings', functions.closeFindings, byActivityId);
    const triage = invokeStep(this, 'Triage', functions.triage, byActivityId);
    const awaitReview = human('AwaitReview', {
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

    // The report email comes after the completion is committed: the activity is COMPLETED
    // whatever happens to the email. Passing faults are retried (invokeStep's Retry; each
    // recipient's claim keeps a retry from sending twice); what still fails is caught and the
    // execution ends as Completed with the error in its output, never in RecordFailure.
    const sendActivityReport = invokeStep(
      this,
      'SendActivityReport',
      functions.sendActivityReport,
      byActivityId,
    );
    const reportNotEmailed = new sfn.Pass(this, 'ReportNotEmailed', {
      comment: 'The report email failed after its retries; the activity stays COMPLETED',
    });
    sendActivityReport.addCatch(reportNotEmailed, {
      errors: [sfn.Errors.ALL],
      resultPath: '$.reportEmailError',
    });
    reportNotEmailed.next(completed);

    // A deadline is the ordinary end of a waiting phase: route it on, keeping the input.
    awaitStart.addCatch(waitEnded, {
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

    sendInvitations.next(planStart);
    const definition = sendInvitations;
    openCheckIn
      .next(awaitAttendanceClose)
      .next(closeAttendance)
      .next(awaitFindingsClose)
      .next(closeFindings)
      .next(triage)
      .next(awaitReview)
      .next(dispatchReferrals)
      .next(completeActivity)
      .next(sendActivityReport)
      .next(completed);

    this.stateMachine = standardStateMachine(this, {
      definition: definition,
      logRetention: props.logRetention,
      comment: 'Activity: invitations, start, attendance, findings, review, dispatch, report',
    });
    recordFailuresOf(this, 'FailureRecording', this.stateMachine, functions.recordFailure);
  }
}
