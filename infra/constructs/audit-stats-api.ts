import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { auditStatisticsEnvSchema, dutyRecordEnvSchema } from '../../functions/audit-stats/env';
import type { LiandongHttpApi } from './http-api';
import { ProjectFunction } from './project-function';

export interface AuditStatsApiProps {
  readonly table: dynamodb.ITable;
  readonly api: LiandongHttpApi;
  readonly logRetention: logs.RetentionDays;
}

const { GET } = apigwv2.HttpMethod;

// Both read by key, the referrals they name in batches (functions/shared/data/batch-get.ts).
const READ_BY_KEY_AND_QUERY = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];

/**
 * Statistics of a period and deputies' duty records (issue 5): two read-only functions,
 * GetItem and Query only (statistics month partitions, the ownership index, items by key).
 */
export class AuditStatsApi extends Construct {
  readonly statisticsFunction: ProjectFunction<typeof auditStatisticsEnvSchema>;
  readonly dutyRecordFunction: ProjectFunction<typeof dutyRecordEnvSchema>;

  constructor(scope: Construct, id: string, props: AuditStatsApiProps) {
    super(scope, id);
    const { table, api, logRetention } = props;
    const environment = { TABLE_NAME: table.tableName };

    this.statisticsFunction = new ProjectFunction(this, 'AuditStatisticsFunction', {
      entry: 'functions/audit-stats/statistics.ts',
      description: 'GET /audit/statistics: statistics of a period, JSON or CSV',
      envSchema: auditStatisticsEnvSchema,
      environment,
      logRetention,
    });
    table.grant(this.statisticsFunction, ...READ_BY_KEY_AND_QUERY);

    this.dutyRecordFunction = new ProjectFunction(this, 'DutyRecordFunction', {
      entry: 'functions/audit-stats/duty-record.ts',
      description: 'GET a deputy’s duty record (JSON or CSV) and draft duty report',
      envSchema: dutyRecordEnvSchema,
      environment,
      logRetention,
    });
    table.grant(this.dutyRecordFunction, ...READ_BY_KEY_AND_QUERY);

    api.addRoute('AuditStatistics', {
      method: GET,
      path: '/audit/statistics',
      handler: this.statisticsFunction,
    });
    api.addRoute('AuditDutyRecord', {
      method: GET,
      path: '/audit/deputies/{deputyId}/duty-record',
      handler: this.dutyRecordFunction,
    });
    api.addRoute('AuditDutyReport', {
      method: GET,
      path: '/audit/deputies/{deputyId}/duty-report',
      handler: this.dutyRecordFunction,
    });
  }
}
