import { Duration } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  activityReportEnvSchema,
  sendActivityReportEnvSchema,
} from '../../functions/audit-report/env';
import type { LiandongHttpApi } from './http-api';
import { grantSendEmail } from './grants';
import { ProjectFunction } from './project-function';

/** What the report reads: the activity by key, its referrals and departments by batched keys. */
const READ_BY_KEY = ['dynamodb:GetItem', 'dynamodb:BatchGetItem'];

export interface AuditReportApiProps {
  readonly table: dynamodb.ITable;
  readonly api: LiandongHttpApi;
  readonly logRetention: logs.RetentionDays;
}

/** The activity report route (issue 5), by the function that serves it. */
export const AUDIT_REPORT_ROUTES = [
  ['GetAuditActivityReport', '/audit/activities/{activityId}/report'],
] as const;

/**
 * `GET /audit/activities/{activityId}/report` (情况报告, HTML): one read-only function that
 * may only GetItem and BatchGetItem (no Query, no Scan, no write).
 */
export class AuditReportApi extends Construct {
  readonly reportFunction: ProjectFunction<typeof activityReportEnvSchema>;

  constructor(scope: Construct, id: string, props: AuditReportApiProps) {
    super(scope, id);
    const { table, api, logRetention } = props;
    this.reportFunction = new ProjectFunction(this, 'ActivityReportFunction', {
      entry: 'functions/audit-report/get-report.ts',
      description: 'GET /audit/activities/{activityId}/report: the activity report (HTML)',
      envSchema: activityReportEnvSchema,
      environment: { TABLE_NAME: table.tableName },
      logRetention,
    });
    table.grant(this.reportFunction, ...READ_BY_KEY);
    for (const [routeId, path] of AUDIT_REPORT_ROUTES) {
      api.addRoute(routeId, {
        method: apigwv2.HttpMethod.GET,
        path,
        handler: this.reportFunction,
      });
    }
  }
}

export interface SendActivityReportFunctionProps {
  readonly table: dynamodb.ITable;
  readonly logRetention: logs.RetentionDays;
  readonly senderEmail: string;
  readonly configurationSetName: string;
  /** The SES identity the report is sent from. */
  readonly sesIdentityArn: string;
  /** The organiser office mailboxes, as the referral escalation gets them. */
  readonly organiserEmails?: readonly string[];
}

/**
 * `SendActivityReportFunction`, the activity workflow's `SendActivityReport` state, created in
 * `scope`: reads by key, writes only its email claims (UpdateItem) and their SES message
 * lookups (PutItem), and may send from the sender identity with the configuration set only.
 */
export const createSendActivityReportFunction = (
  scope: Construct,
  props: SendActivityReportFunctionProps,
): ProjectFunction<typeof sendActivityReportEnvSchema> => {
  const { table } = props;
  const fn = new ProjectFunction(scope, 'SendActivityReportFunction', {
    entry: 'functions/audit-report/send-activity-report.ts',
    description: 'Activity step: email the activity report to the organisers once each',
    envSchema: sendActivityReportEnvSchema,
    environment: {
      TABLE_NAME: table.tableName,
      SENDER_EMAIL: props.senderEmail,
      SES_CONFIGURATION_SET: props.configurationSetName,
      ...(props.organiserEmails?.length
        ? { ORGANISER_EMAILS: props.organiserEmails.join(',') }
        : {}),
    },
    logRetention: props.logRetention,
    timeout: Duration.minutes(1),
  });
  table.grant(fn, ...READ_BY_KEY, 'dynamodb:PutItem', 'dynamodb:UpdateItem');
  grantSendEmail(fn, scope, props);
  return fn;
};
