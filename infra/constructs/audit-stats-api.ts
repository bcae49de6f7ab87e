import { auditStatisticsEnvSchema, dutyRecordEnvSchema } from '../../functions/audit-stats/env';
import * as routes from '../../functions/audit-stats/routes';
import { functionTable, TABLE_READ } from './function-factory';

/**
 * Statistics of a period and deputies' duty records (issue 5): two read-only functions,
 * GetItem and Query only (statistics month partitions, the ownership index, items by key).
 * Both read by key, the referrals they name in batches (functions/shared/data/batch-get.ts).
 */
export const auditStatsFunctions = functionTable({
  AuditStatisticsFunction: {
    entry: 'functions/audit-stats/statistics.ts',
    description: 'GET /audit/statistics: statistics of a period, JSON or CSV',
    envSchema: auditStatisticsEnvSchema,
    tableActions: TABLE_READ,
    routes: [['AuditStatistics', routes.statisticsRoute]],
  },
  DutyRecordFunction: {
    entry: 'functions/audit-stats/duty-record.ts',
    description: 'GET a deputy’s duty record (JSON or CSV) and draft duty report',
    envSchema: dutyRecordEnvSchema,
    tableActions: TABLE_READ,
    routes: [
      ['AuditDutyRecord', routes.dutyRecordRoute],
      ['AuditDutyReport', routes.dutyReportRoute],
    ],
  },
});
