import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import {
  activityNoticesEnvSchema,
  awaitPhaseEnvSchema,
  changeNoticesEnvSchema,
  closeAttendanceEnvSchema,
  closeFindingsEnvSchema,
  completeActivityEnvSchema,
  dispatchReferralsEnvSchema,
  openCheckInEnvSchema,
  planStartEnvSchema,
  recordFailureEnvSchema,
  sendInvitationsEnvSchema,
  triageEnvSchema,
} from '../../functions/activity-workflow/env';
import { sendActivityReportEnvSchema } from '../../functions/audit-report/env';
import type { ActivityWorkflowFunctions } from '../../workflows/activity-workflow';
import { FunctionFactory, stepFunctionId, TABLE_READ, TABLE_UPDATE } from './function-factory';
import type { MailSender } from './grants';

export interface ActivityStepFunctionsProps extends MailSender {
  readonly table: dynamodb.ITable;
  readonly logRetention: logs.RetentionDays;
  readonly senderEmail: string;
  /** Base URL of the deputies' personal pages that invitations link to (the HTTP API's URL). */
  readonly publicBaseUrl: string;
  /** The secret that signs the deputies' personal links. */
  readonly signingKey: secretsmanager.ISecret;
  /** The referral workflow that DispatchReferrals starts (execution name = referral id). */
  readonly referralStateMachine: sfn.IStateMachine;
  /** The organiser office mailboxes the activity report goes to. */
  readonly organiserEmails?: readonly string[];
  /** How long before the start the reminder goes out, in hours (0, 720]. */
  readonly reminderLeadHours: number;
}

/**
 * The activity workflow's step functions, created in `scope` (their logical ids are the stack's
 * own, as when they were written in four files) with least-privilege grants: every step reads
 * the table and writes with conditions; the four that email get `ses:SendEmail` on the sender
 * identity and configuration set only; the two that put personal links in emails read the
 * signing key.
 *
 * | CDK id | state |
 * | --- | --- |
 * | `SendInvitationsFunction` | `SendInvitations` |
 * | `PlanStartFunction` | `PlanStart` |
 * | `SendRemindersFunction` | `SendReminders` |
 * | `SendChangeNoticesFunction` | `SendChangeNotices` |
 * | `AwaitPhaseFunction` | the human steps (`AwaitStart`, `AwaitAttendance`, …) |
 * | `OpenCheckInFunction` | `OpenCheckIn` |
 * | `CloseAttendanceFunction` | `CloseAttendance` |
 * | `CloseFindingsFunction` | `CloseFindings` |
 * | `TriageFunction` | `Triage` |
 * | `DispatchReferralsFunction` | `DispatchReferrals` |
 * | `CompleteActivityFunction` | `CompleteActivity` |
 * | `SendActivityReportFunction` | `SendActivityReport` |
 * | `RecordFailureFunction` | `Catch` → `RecordFailure` (EventBridge rule) |
 */
export const createActivityStepFunctions = (
  scope: Construct,
  props: ActivityStepFunctionsProps,
): ActivityWorkflowFunctions => {
  const { reminderLeadHours, signingKey, referralStateMachine } = props;
  if (!(reminderLeadHours > 0 && reminderLeadHours <= 30 * 24)) {
    throw new Error('CDK context "liandong:reminderLeadHours" must be a number of hours (0, 720]');
  }
  const functions = new FunctionFactory(scope, { ...props, mailSender: props });
  const mailEnv = {
    SENDER_EMAIL: props.senderEmail,
    SES_CONFIGURATION_SET: props.configurationSetName,
  };
  const linkEnv = {
    LINK_SIGNING_SECRET_ARN: signingKey.secretArn,
    PUBLIC_BASE_URL: props.publicBaseUrl,
  };
  const organiserEnv = props.organiserEmails?.length
    ? { ORGANISER_EMAILS: props.organiserEmails.join(',') }
    : {};
  /** A step's own items: reads, and puts and updates of the activity, invitations, claims. */
  const stepActions = [...TABLE_READ, 'dynamodb:PutItem', 'dynamodb:UpdateItem'];
  /**
   * A step that emails the invitees, once each: minutes for a long list, calendar invitations
   * (.ics) sent as raw MIME.
   */
  const emailsInvitees = {
    timeout: Duration.minutes(5),
    tableActions: stepActions,
    sendsEmail: { calendar: true },
  };
  /** …with each deputy's personal page link in the email, signed with the link key. */
  const emailsInviteesLinks = {
    ...emailsInvitees,
    environment: { ...mailEnv, ...linkEnv },
    readsSecrets: [signingKey],
  };

  return functions.addAll(
    {
      sendInvitations: {
        entry: 'functions/activity-workflow/send-invitations.ts',
        description: 'Activity step: email each invited deputy once',
        envSchema: sendInvitationsEnvSchema,
        ...emailsInviteesLinks,
      },
      awaitPhase: {
        entry: 'functions/activity-workflow/await-phase.ts',
        description: 'Activity step: keep the task token of a human step server-side',
        envSchema: awaitPhaseEnvSchema,
        tableActions: stepActions,
      },
      openCheckIn: {
        entry: 'functions/activity-workflow/open-check-in.ts',
        description: 'Activity step: open check-in at the start time',
        envSchema: openCheckInEnvSchema,
        tableActions: stepActions,
      },
      recordFailure: {
        entry: 'functions/activity-workflow/record-failure.ts',
        description:
          'Records a failed or timed-out activity workflow on the activity (EventBridge rule)',
        envSchema: recordFailureEnvSchema,
        tableActions: stepActions,
      },
      // The wait for the start: plan it (reminder or start), remind, tell invitees of changes.
      planStart: {
        entry: 'functions/activity-workflow/plan-start.ts',
        description: 'Activity step: what the start wait waits for (the reminder or the start)',
        envSchema: planStartEnvSchema,
        environment: { REMINDER_LEAD_SECONDS: String(Math.round(reminderLeadHours * 3600)) },
        tableActions: ['dynamodb:GetItem', 'dynamodb:Query'],
      },
      sendReminders: {
        entry: 'functions/activity-workflow/send-reminders.ts',
        description: 'Activity step: remind invitees who accepted or did not answer, once each',
        envSchema: activityNoticesEnvSchema,
        environment: mailEnv,
        ...emailsInvitees,
      },
      sendChangeNotices: {
        entry: 'functions/activity-workflow/send-change-notices.ts',
        description: 'Activity step: change notices, invitations and withdrawals after a change',
        envSchema: changeNoticesEnvSchema,
        // Deputies added by a change are invited with their personal page link.
        ...emailsInviteesLinks,
      },
      // Reads the activity, its invitations, check-in records and the seats of attending deputies;
      // writes the activity and its audit events.
      closeAttendance: {
        entry: 'functions/activity-workflow/close-attendance.ts',
        description: 'Activity step: close attendance, seal check-ins, store statistics',
        envSchema: closeAttendanceEnvSchema,
        timeout: Duration.minutes(2),
        tableActions: stepActions,
      },
      closeFindings: {
        entry: 'functions/activity-workflow/close-findings.ts',
        description: 'Activity step: close and seal the findings',
        envSchema: closeFindingsEnvSchema,
        tableActions: [...TABLE_READ, ...TABLE_UPDATE],
      },
      triage: {
        entry: 'functions/activity-workflow/triage.ts',
        description: 'Activity step: draft one referral per department from the routing rules',
        envSchema: triageEnvSchema,
        timeout: Duration.minutes(2),
        tableActions: [...TABLE_READ, ...TABLE_UPDATE],
      },
      dispatchReferrals: {
        entry: 'functions/activity-workflow/dispatch-referrals.ts',
        description: 'Activity step: start one referral workflow per approved referral',
        envSchema: dispatchReferralsEnvSchema,
        environment: { REFERRAL_STATE_MACHINE_ARN: referralStateMachine.stateMachineArn },
        timeout: Duration.minutes(2),
        tableActions: [...TABLE_READ, ...TABLE_UPDATE],
        stateMachine: {
          machine: referralStateMachine,
          startExecution: true,
          // An execution that already exists is recognised by its input.
          executionActions: ['states:DescribeExecution'],
        },
      },
      completeActivity: {
        entry: 'functions/activity-workflow/complete-activity.ts',
        description: 'Activity step: compute the report data and complete the activity',
        envSchema: completeActivityEnvSchema,
        tableActions: [...TABLE_READ, ...TABLE_UPDATE],
      },
      // Reads by key, writes only its email claims (UpdateItem) and their SES message lookups
      // (PutItem), and may send from the sender identity with the configuration set only.
      sendActivityReport: {
        entry: 'functions/audit-report/send-activity-report.ts',
        description: 'Activity step: email the activity report to the organisers once each',
        envSchema: sendActivityReportEnvSchema,
        environment: { ...mailEnv, ...organiserEnv },
        timeout: Duration.minutes(1),
        tableActions: [
          'dynamodb:GetItem',
          'dynamodb:BatchGetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
        ],
        sendsEmail: {},
      },
    },
    stepFunctionId,
  );
};
