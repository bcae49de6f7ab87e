import { Duration, TimeZone } from 'aws-cdk-lib';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import {
  eraseDueResidentsEnvSchema,
  eraseResidentEnvSchema,
  residentFindingsEnvSchema,
} from '../../functions/privacy/env';
import * as routes from '../../functions/privacy/routes';
import {
  type ApiFunctionsProps,
  FunctionFactory,
  type FunctionRoute,
  TABLE_READ,
} from './function-factory';
import type { ProjectFunction } from './project-function';

/**
 * Erasure: the finding updated, its lookup entries deleted, the audit event put and the
 * activity (the chain head) updated, in one TransactWriteItems.
 */
const ERASE = ['dynamodb:UpdateItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'];

export interface PrivacyProps extends ApiFunctionsProps {
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
    const { residentLookupKey } = props;
    const functions = new FunctionFactory(this, props);
    /** A resident's request: find their findings by the lookup digests of name and contact. */
    const residentReader = (
      functionId: string,
      spec: { entry: string; description: string; route: FunctionRoute },
    ) =>
      functions.add(functionId, {
        entry: spec.entry,
        description: spec.description,
        envSchema: residentFindingsEnvSchema,
        environment: { RESIDENT_LOOKUP_SECRET_ARN: residentLookupKey.secretArn },
        tableActions: TABLE_READ,
        readsSecrets: [residentLookupKey],
        routes: [spec.route],
      });

    this.searchResidentFindings = residentReader('SearchResidentFindingsFunction', {
      entry: 'functions/privacy/search-resident-findings.ts',
      description: "POST /residents/findings/search: a person's findings, by lookup digest",
      route: ['SearchResidentFindings', routes.searchResidentFindingsRoute],
    });
    this.exportResidentFindings = residentReader('ExportResidentFindingsFunction', {
      entry: 'functions/privacy/export-resident-findings.ts',
      description: "POST /residents/findings/export: a person's findings as a JSON attachment",
      route: ['ExportResidentFindings', routes.exportResidentFindingsRoute],
    });
    this.eraseResident = functions.add('EraseResidentFunction', {
      entry: 'functions/privacy/erase-resident.ts',
      description:
        "POST /activities/{activityId}/findings/{findingId}/resident/erasure: erase a resident's data",
      envSchema: eraseResidentEnvSchema,
      tableActions: [...TABLE_READ, ...ERASE],
      routes: [['EraseResident', routes.eraseResidentRoute]],
    });
    this.eraseDueResidents = functions.add('EraseDueResidentsFunction', {
      entry: 'functions/privacy/erase-due-residents.ts',
      description: "Retention job: erase residents' names and contacts whose retention ended",
      envSchema: eraseDueResidentsEnvSchema,
      timeout: Duration.minutes(5),
      tableActions: [...TABLE_READ, ...ERASE],
    });

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
  }
}
