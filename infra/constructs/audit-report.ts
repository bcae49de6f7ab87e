import { Construct } from 'constructs';
import { activityReportEnvSchema } from '../../functions/audit-report/env';
import * as routes from '../../functions/audit-report/routes';
import { type ApiFunctionsProps, FunctionFactory } from './function-factory';
import type { ProjectFunction } from './project-function';

export type AuditReportApiProps = ApiFunctionsProps;

/**
 * `GET /audit/activities/{activityId}/report` (情况报告, HTML): one read-only function that
 * may only GetItem and BatchGetItem (no Query, no Scan, no write).
 */
export class AuditReportApi extends Construct {
  readonly reportFunction: ProjectFunction<typeof activityReportEnvSchema>;

  constructor(scope: Construct, id: string, props: AuditReportApiProps) {
    super(scope, id);
    this.reportFunction = new FunctionFactory(this, props).add('ActivityReportFunction', {
      entry: 'functions/audit-report/get-report.ts',
      description: 'GET /audit/activities/{activityId}/report: the activity report (HTML)',
      envSchema: activityReportEnvSchema,
      // The activity by key, its referrals and departments by batched keys.
      tableActions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem'],
      routes: [['GetAuditActivityReport', routes.activityReportRoute]],
    });
  }
}
