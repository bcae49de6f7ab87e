import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import {
  awaitReferralEnvSchema,
  checkReferralDeadlinesEnvSchema,
  closeReferralEnvSchema,
  recordReferralFailureEnvSchema,
  reopenReferralEnvSchema,
  sendReferralEmailEnvSchema,
  sendReferralFeedbackEnvSchema,
} from '../../functions/referrals/env';
import type { ReferralWorkflowFunctions } from '../../workflows/referral-workflow';
import {
  referralDeadlineEnvironment,
  type ReferralDeadlineSettings,
} from '../../functions/shared/domain/deadline-env';
import { FunctionFactory, stepFunctionId, TABLE_READ, TABLE_UPDATE } from './function-factory';

export interface ReferralStepFunctionsProps {
  readonly table: dynamodb.ITable;
  readonly logRetention: logs.RetentionDays;
  readonly senderEmail: string;
  readonly configurationSetName: string;
  /** The SES identity the referral emails are sent from. */
  readonly sesIdentityArn: string;
  /** Base URL of the public response and rating pages (the HTTP API's URL). */
  readonly publicBaseUrl?: string;
  /** The secret that signs response and rating links. */
  readonly signingKey: secretsmanager.ISecret;
  /** The referral deadline settings (the same set the referral API is given). */
  readonly deadlines?: ReferralDeadlineSettings;
  /** Addresses of the organisers (standing committee office) that escalations go to. */
  readonly organiserEmails?: readonly string[];
}

/**
 * The referral workflow's step functions, created in `scope` with least-privilege grants:
 * every step reads and writes the table; the three that email get `ses:SendEmail` on the
 * sender identity and configuration set only; the two that create links read the signing key.
 *
 * | CDK id | state |
 * | --- | --- |
 * | `SendReferralEmailFunction` | `SendReferralEmail` |
 * | `AwaitReferralFunction` | `AwaitDepartment`, `AwaitReroute`, `AwaitRatings` |
 * | `CheckReferralDeadlinesFunction` | `CheckDeadlines` |
 * | `SendReferralFeedbackFunction` | `SendFeedback` |
 * | `ReopenReferralFunction` | `ReopenReferral` |
 * | `CloseReferralFunction` | `CloseReferral` |
 * | `RecordReferralFailureFunction` | `Catch` → `RecordReferralFailure` |
 */
export const createReferralStepFunctions = (
  scope: Construct,
  props: ReferralStepFunctionsProps,
): ReferralWorkflowFunctions => {
  const functions = new FunctionFactory(scope, { ...props, mailSender: props });
  const mailEnv = {
    SENDER_EMAIL: props.senderEmail,
    SES_CONFIGURATION_SET: props.configurationSetName,
  };
  const linkEnv = {
    LINK_SIGNING_SECRET_ARN: props.signingKey.secretArn,
    ...(props.publicBaseUrl ? { PUBLIC_BASE_URL: props.publicBaseUrl } : {}),
  };
  const deadlineEnv = referralDeadlineEnvironment(props.deadlines);
  /** Every step reads the table and writes with conditions in transactions. */
  const tableActions = [...TABLE_READ, ...TABLE_UPDATE];
  const emails = {};

  return functions.addAll(
    {
      sendReferralEmail: {
        entry: 'functions/referrals/send-referral-email.ts',
        description: 'Referral step: email the department once per round with a signed link',
        envSchema: sendReferralEmailEnvSchema,
        environment: { ...mailEnv, ...linkEnv, ...deadlineEnv },
        timeout: Duration.minutes(1),
        tableActions,
        readsSecrets: [props.signingKey],
        sendsEmail: emails,
      },
      awaitReferral: {
        entry: 'functions/referrals/await-referral.ts',
        description: 'Referral step: keep the task token of a human step server-side',
        envSchema: awaitReferralEnvSchema,
        environment: deadlineEnv,
        tableActions,
      },
      checkReferralDeadlines: {
        entry: 'functions/referrals/check-referral-deadlines.ts',
        description: 'Referral step: send the reminder due, or escalate an overdue referral',
        envSchema: checkReferralDeadlinesEnvSchema,
        environment: {
          ...mailEnv,
          ...deadlineEnv,
          ...(props.organiserEmails?.length
            ? { ORGANISER_EMAILS: props.organiserEmails.join(',') }
            : {}),
        },
        timeout: Duration.minutes(1),
        tableActions,
        sendsEmail: emails,
      },
      sendReferralFeedback: {
        entry: 'functions/referrals/send-referral-feedback.ts',
        description: 'Referral step: tell each raiser the reply, with a signed rating link',
        envSchema: sendReferralFeedbackEnvSchema,
        environment: { ...mailEnv, ...linkEnv },
        timeout: Duration.minutes(2),
        tableActions,
        readsSecrets: [props.signingKey],
        sendsEmail: emails,
      },
      reopenReferral: {
        entry: 'functions/referrals/reopen-referral.ts',
        description: 'Referral step: reopen once after a NOT_SATISFIED rating',
        envSchema: reopenReferralEnvSchema,
        environment: deadlineEnv,
        tableActions,
      },
      closeReferral: {
        entry: 'functions/referrals/close-referral.ts',
        description: "Referral step: close, store the outcome, update the activity's report data",
        envSchema: closeReferralEnvSchema,
        tableActions,
      },
      recordReferralFailure: {
        entry: 'functions/referrals/record-referral-failure.ts',
        description:
          'Records a failed or timed-out referral workflow on the referral (EventBridge rule)',
        envSchema: recordReferralFailureEnvSchema,
        tableActions,
      },
    },
    stepFunctionId,
  );
};
