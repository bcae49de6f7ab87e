import type { ApiOperation } from '../shared/openapi/types.js';
import * as routes from './routes.js';

/** The activity report (issue 5). */
export const AUDIT_REPORT_OPERATIONS: readonly ApiOperation[] = [
  {
    ...routes.activityReportRoute,
    summary: 'The report of a completed activity (情况报告), as an HTML page',
    description: [
      'A server-rendered page, Chinese first: the activity (type, title, time in China time,',
      'street, location and liaison stations, status); attendance by level (person-times per',
      'level, and the deputies in total, a deputy with two seats once); findings by kind, by',
      'category and by the review’s decision; referrals by department with their outcomes',
      '(sent, acknowledged, answered, resolved, overdue, returned, closed), 满意率 and 办成率.',
      'Each chart is an inline SVG bar chart with the numbers also printed as text. No script;',
      'the Content-Security-Policy forbids everything but inline styles.',
      '',
      'The figures are the report data stored when the activity completed; the referral',
      'outcomes are read from the referrals as they stand now (they close after the activity',
      'completes). Read by key only (the activity, its referrals, their departments).',
      'An activity that is not COMPLETED has no report: 404 naming its status.',
    ].join('\n'),
    responseContentType: 'text/html; charset=utf-8',
    responses: {
      200: 'the report page (HTML)',
      403: 'role',
      404: 'unknown activity, outside the organiser’s scope, or not COMPLETED yet',
      422: 'path',
    },
  },
];
