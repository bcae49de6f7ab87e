import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { SubjectWorkflow, type WorkflowFunctions, type WorkflowProps } from './steps';

/** The names of its step functions (infra creates one function for each). */
export type ActivityWorkflowStep =
  | 'sendInvitations'
  | 'planStart'
  | 'sendReminders'
  | 'sendChangeNotices'
  | 'awaitPhase'
  | 'openCheckIn'
  | 'closeAttendance'
  | 'closeFindings'
  | 'triage'
  | 'dispatchReferrals'
  | 'completeActivity'
  | 'sendActivityReport'
  | 'recordFailure';

export type ActivityWorkflowFunctions = WorkflowFunctions<ActivityWorkflowStep>;

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
export class ActivityWorkflow extends SubjectWorkflow<ActivityWorkflowStep> {
  constructor(scope: Construct, id: string, props: WorkflowProps<ActivityWorkflowFunctions>) {
    super(scope, id, props, {
      idField: 'activityId',
      awaitFunction: 'awaitPhase',
      answerPath: sfn.JsonPath.DISCARD,
      recorder: 'recordFailure',
      comment: 'Activity: invitations, start, attendance, findings, review, dispatch, report',
      define: ({ scope, step, human, onError }, functions) => {
        const sendInvitations = step('SendInvitations', functions.sendInvitations);

        // The wait for the start is a loop, planned again from the activity as it is after each
        // reminder and each change (docs/activity-workflow.md, "Before the start").
        const planStart = step('PlanStart', functions.planStart);
        const sendReminders = step('SendReminders', functions.sendReminders);
        const sendChangeNotices = step('SendChangeNotices', functions.sendChangeNotices);
        const awaitStart = human('AwaitStart', {
          phase: 'START',
          comment:
            'Wait for the reminder time or the start; the organiser may open check-in earlier, and a change ends the wait to plan it again',
          timeoutPath: '$.secondsToWait',
          payload: { revision: sfn.JsonPath.numberAt('$.revision') },
          resultPath: '$.startAnswer',
        });
        const openCheckIn = step('OpenCheckIn', functions.openCheckIn);
        const whatNext = new sfn.Choice(scope, 'WhatNext')
          .when(sfn.Condition.stringEquals('$.next', 'NOTIFY'), sendChangeNotices)
          .when(sfn.Condition.stringEquals('$.next', 'REMIND'), sendReminders)
          .otherwise(awaitStart);
        const waitEnded = new sfn.Choice(scope, 'WaitEnded', {
          comment: 'The wait timed out: the reminder time or the start came',
        })
          .when(sfn.Condition.stringEquals('$.next', 'AWAIT_REMINDER'), sendReminders)
          .otherwise(openCheckIn);
        const startAnswered = new sfn.Choice(scope, 'StartAnswered', {
          comment: 'Ended by a change (rescheduled) or by the organiser opening check-in',
        })
          .when(sfn.Condition.isPresent('$.startAnswer.rescheduled'), sendChangeNotices)
          .otherwise(openCheckIn);
        planStart.next(whatNext);
        sendReminders.next(planStart);
        sendChangeNotices.next(planStart);
        awaitStart.next(startAnswered);
        // The wait was planned from an older revision (a change came in between): plan again.
        onError(awaitStart, 'RescheduledError', sendChangeNotices);
        const awaitAttendanceClose = human('AwaitAttendanceClose', {
          phase: 'ATTENDANCE',
          comment: 'Check-in is open until the organiser closes attendance or its deadline passes',
          timeoutPath: '$.secondsUntilAttendanceDeadline',
        });
        const closeAttendance = step('CloseAttendance', functions.closeAttendance);
        const awaitFindingsClose = human('AwaitFindingsClose', {
          phase: 'FINDINGS',
          comment: 'Findings are collected until the organiser closes them or the deadline passes',
          timeoutPath: '$.secondsUntilFindingsDeadline',
        });
        const closeFindings = step('CloseFindings', functions.closeFindings);
        const triage = step('Triage', functions.triage);
        const awaitReview = human('AwaitReview', {
          phase: 'REVIEW',
          comment:
            "The chairmen's meeting decides each finding, then approves; nothing is sent before",
        });
        const dispatchReferrals = step('DispatchReferrals', functions.dispatchReferrals);
        const completeActivity = step('CompleteActivity', functions.completeActivity);
        const completed = new sfn.Succeed(scope, 'Completed');

        // The report email comes after the completion is committed: the activity is COMPLETED
        // whatever happens to the email. Passing faults are retried (invokeStep's Retry; each
        // recipient's claim keeps a retry from sending twice); what still fails is caught and the
        // execution ends as Completed with the error in its output, never in RecordFailure.
        const sendActivityReport = step('SendActivityReport', functions.sendActivityReport);
        const reportNotEmailed = new sfn.Pass(scope, 'ReportNotEmailed', {
          comment: 'The report email failed after its retries; the activity stays COMPLETED',
        });
        onError(sendActivityReport, sfn.Errors.ALL, reportNotEmailed, '$.reportEmailError');
        reportNotEmailed.next(completed);

        // A deadline is the ordinary end of a waiting phase: route it on, keeping the input.
        onError(awaitStart, sfn.Errors.TIMEOUT, waitEnded);
        onError(awaitAttendanceClose, sfn.Errors.TIMEOUT, closeAttendance);
        onError(awaitFindingsClose, sfn.Errors.TIMEOUT, closeFindings);

        sendInvitations.next(planStart);
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
        return sendInvitations;
      },
    });
  }
}
