import { Duration, TimeZone } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import {
  eraseDueResidentsEnvSchema,
  eraseResidentEnvSchema,
  residentFindingsEnvSchema,
} from '../../functions/privacy/env';
import type { LiandongHttpApi } from './http-api';
import { ProjectFunction } from './project-function';

/** DynamoDB actions, by what a function does with the table. */
const READ = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
/**
 * Erasure: the finding updated, its lookup entries deleted, the audit event put and the
 * activity (the chain head) updated, in one TransactWriteItems.
 */
const ERASE = ['dynamodb:UpdateItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'];

export interface PrivacyProps {
  readonly table: dynamodb.ITable;
  readonly api: LiandongHttpApi;
  readonly logRetention: logs.RetentionDays;
  /** The HMAC key residents' names and contacts are filed under (docs/privacy.md). */
  readonly residentLookupKey: secretsmanager.ISecret;
}

/**
 * Residents' personal data (docs/privacy.md): a resident's request (find, export, erase early)
 * and the daily retention job.
 *
 * | route / trigger | function |
 * | --- | --- |
 * | `POST /residents/findings/search` | SearchResidentFindingsFunction |
 * | `POST /residents/findings/export` | ExportResidentFindingsFunction |
 * | `POST /activities/{activityId}/findings/{findingId}/resident/erasure` | EraseResidentFunction |
 * | EventBridge Scheduler, daily | EraseDueResidentsFunction |
 */
export class Privacy extends Construct {
  readonly searchResidentFindings: ProjectFunction<typeof residentFindingsEnvSchema>;
  readonly exportResidentFindings: ProjectFunction<typeof residentFindingsEnvSchema>;
  readonly eraseResident: ProjectFunction<typeof eraseResidentEnvSchema>;
  readonly eraseDueResidents: ProjectFunction<typeof eraseDueResidentsEnvSchema>;
  readonly schedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: PrivacyProps) {
    super(scope, id);
    const { table, api, logRetention, residentLookupKey } = props;
    const tableEnv = { TABLE_NAME: table.tableName };
    const lookupEnv = { ...tableEnv, RESIDENT_LOOKUP_SECRET_ARN: residentLookupKey.secretArn };
    const POST = apigwv2.HttpMethod.POST;

    this.searchResidentFindings = new ProjectFunction(this, 'SearchResidentFindingsFunction', {
      entry: 'functions/privacy/search-resident-findings.ts',
      description: "POST /residents/findings/search: a person's findings, by lookup digest",
      envSchema: residentFindingsEnvSchema,
      environment: lookupEnv,
      logRetention,
    });
    this.exportResidentFindings = new ProjectFunction(this, 'ExportResidentFindingsFunction', {
      entry: 'functions/privacy/export-resident-findings.ts',
      description: "POST /residents/findings/export: a person's findings as a JSON attachment",
      envSchema: residentFindingsEnvSchema,
      environment: lookupEnv,
      logRetention,
    });
    for (const reader of [this.searchResidentFindings, this.exportResidentFindings]) {
      table.grant(reader, ...READ);
      residentLookupKey.grantRead(reader);
    }

    this.eraseResident = new ProjectFunction(this, 'EraseResidentFunction', {
      entry: 'functions/privacy/erase-resident.ts',
      description:
        "POST /activities/{activityId}/findings/{findingId}/resident/erasure: erase a resident's data",
      envSchema: eraseResidentEnvSchema,
      environment: tableEnv,
      logRetention,
    });
    table.grant(this.eraseResident, ...READ, ...ERASE);

    this.eraseDueResidents = new ProjectFunction(this, 'EraseDueResidentsFunction', {
      entry: 'functions/privacy/erase-due-residents.ts',
      description: "Retention job: erase residents' names and contacts whose retention ended",
      envSchema: eraseDueResidentsEnvSchema,
      environment: tableEnv,
      logRetention,
      timeout: Duration.minutes(5),
    });
    table.grant(this.eraseDueResidents, ...READ, ...ERASE);

    // Daily, at 03:00 China time; the run's scheduled time is its "as of" (a retry erases the
    // same set). EventBridge Scheduler retries a failed invocation; the job is idempotent.
    this.schedule = new scheduler.Schedule(this, 'EraseDueResidentsSchedule', {
      description: "Erase residents' names and contacts whose retention ended (docs/privacy.md)",
      schedule: scheduler.ScheduleExpression.cron({
        minute: '0',
        hour: '3',
        timeZone: TimeZone.ASIA_SHANGHAI,
      }),
      target: new targets.LambdaInvoke(this.eraseDueResidents, {
        input: scheduler.ScheduleTargetInput.fromObject({
          scheduledTime: scheduler.ContextAttribute.scheduledTime,
        }),
        retryAttempts: 3,
      }),
    });

    const routes: [string, string, lambda.IFunction][] = [
      ['SearchResidentFindings', '/residents/findings/search', this.searchResidentFindings],
      ['ExportResidentFindings', '/residents/findings/export', this.exportResidentFindings],
      [
        'EraseResident',
        '/activities/{activityId}/findings/{findingId}/resident/erasure',
        this.eraseResident,
      ],
    ];
    for (const [routeId, path, handler] of routes) {
      api.addRoute(routeId, { method: POST, path, handler });
    }
  }
}
