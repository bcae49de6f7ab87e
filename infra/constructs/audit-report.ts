import { activityReportEnvSchema } from '../../functions/audit-report/env';
import * as routes from '../../functions/audit-report/routes';
import { functionTable } from './function-factory';

/**
 * `GET /audit/activities/{activityId}/report` (情况报告, HTML): one read-only function that
 * may only GetItem and BatchGetItem (no Query, no Scan, no write).
 */
export const auditReportFunctions = functionTable({
  ActivityReportFunction: {
    entry: 'functions/audit-report/get-report.ts',
    description: 'GET /audit/activities/{activityId}/report: the activity report (HTML)',
    envSchema: activityReportEnvSchema,
    // The activity by key, its referrals and departments by batched keys.
    tableActions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem'],
    routes: [['GetAuditActivityReport', routes.activityReportRoute]],
  },
});
