import { Construct } from 'constructs';
import { auditStatisticsEnvSchema, dutyRecordEnvSchema } from '../../functions/audit-stats/env';
import * as routes from '../../functions/audit-stats/routes';
import { type ApiFunctionsProps, FunctionFactory, TABLE_READ } from './function-factory';
import type { ProjectFunction } from './project-function';

export type AuditStatsApiProps = ApiFunctionsProps;

/**
 * Statistics of a period and deputies' duty records (issue 5): two read-only functions,
 * GetItem and Query only (statistics month partitions, the ownership index, items by key).
 */
export class AuditStatsApi extends Construct {
  readonly statisticsFunction: ProjectFunction<typeof auditStatisticsEnvSchema>;
  readonly dutyRecordFunction: ProjectFunction<typeof dutyRecordEnvSchema>;

  constructor(scope: Construct, id: string, props: AuditStatsApiProps) {
    super(scope, id);
    const functions = new FunctionFactory(this, props);
    // Both read by key, the referrals they name in batches (functions/shared/data/batch-get.ts).
    this.statisticsFunction = functions.add('AuditStatisticsFunction', {
      entry: 'functions/audit-stats/statistics.ts',
      description: 'GET /audit/statistics: statistics of a period, JSON or CSV',
      envSchema: auditStatisticsEnvSchema,
      tableActions: TABLE_READ,
      routes: [['AuditStatistics', routes.statisticsRoute]],
    });
    this.dutyRecordFunction = functions.add('DutyRecordFunction', {
      entry: 'functions/audit-stats/duty-record.ts',
      description: 'GET a deputy’s duty record (JSON or CSV) and draft duty report',
      envSchema: dutyRecordEnvSchema,
      tableActions: TABLE_READ,
      routes: [
        ['AuditDutyRecord', routes.dutyRecordRoute],
        ['AuditDutyReport', routes.dutyReportRoute],
      ],
    });
  }
}
