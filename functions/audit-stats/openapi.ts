import type { ApiOperation } from '../shared/openapi/types.js';
import { dutyRecordAnswerSchema, statisticsAnswerSchema } from './schemas.js';
import * as routes from './routes.js';

const dutyResponses = {
  403: 'not an auditor, organiser or deputy',
  404: 'unknown deputy, or another deputy’s record',
  422: 'query',
};

/** Statistics of a period and a deputy's duty record (履职档案), read-only, with CSV. */
export const AUDIT_STATS_OPERATIONS: readonly ApiOperation[] = [
  {
    ...routes.statisticsRoute,
    responseBody: statisticsAnswerSchema,
    alternativeContentTypes: ['text/csv'],
    summary: 'Statistics of a period: person-times, findings, referrals by department',
    description: [
      'Completed activities that started within `from`..`to` (China dates, both included; at',
      'most 36 months), optionally of one `street` and one `type`: activities by type and the',
      'liaison stations they ran at (each once); person-times (人次) by level and in total (a',
      'deputy with two seats once in the total); consultations answered and residents received;',
      'findings by kind and category, and how many were referred; referrals by department (sent, acknowledged,',
      'answered, resolved, overdue, returned), median and 90th-percentile days to answer,',
      'satisfaction rate (满意率) and resolution rate (办成率). Read from the month and day',
      'rollups of the period and its referrals still open, never a scan. `format=csv`: the same',
      'tables as one long table, UTF-8 with BOM: each code (section, item, metric) with its',
      'Chinese name beside it, and a 说明 note saying why a figure is empty (e.g. referrals still open).',
    ].join('\n'),
    responses: {
      200: '{statistics}, or text/csv',
      403: 'another street than the organiser’s own',
      422: 'query',
    },
  },
  {
    ...routes.dutyRecordRoute,
    responseBody: dutyRecordAnswerSchema,
    alternativeContentTypes: ['text/csv'],
    summary: 'A deputy’s duty record (履职档案) for a year',
    description: [
      'The completed activities of the year the deputy took part in (checked in, or raised a',
      'finding), the findings they raised and the referrals those led to, with their outcomes.',
      '`summary` counts the whole year; the lists come a page of `limit` activities at a time,',
      'in start order, with that page’s findings and referrals (their status as it stands now);',
      '`nextCursor` (opaque, bound to the caller’s scope) fetches the next page. Every page costs',
      'the same reads whatever the deputy did that year. `format=csv`: the whole year, one row',
      'per activity and per finding, UTF-8 with BOM (`limit` and `cursor` do not apply): codes',
      'with their Chinese names beside them, department names, the due date as a calendar date.',
    ].join('\n'),
    responses: {
      200: '{dutyRecord: {summary, activities, findings, referrals, nextCursor?}}, or text/csv',
      400: 'cursor not from this query and scope',
      ...dutyResponses,
    },
  },
  {
    ...routes.dutyReportRoute,
    summary: 'A draft annual duty report (履职报告) in Chinese, built from the duty record',
    responses: { 200: 'the draft, text/plain', ...dutyResponses },
    responseContentType: 'text/plain; charset=utf-8',
  },
];
