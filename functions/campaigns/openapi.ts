import type { ApiOperation } from '../shared/openapi/types.js';
import {
  campaignAnswerSchema,
  campaignListSchema,
  campaignStatisticsAnswerSchema,
} from './schemas.js';
import * as routes from './routes.js';

/** Theme campaigns (主题活动) and their statistics. */
export const CAMPAIGN_OPERATIONS: readonly ApiOperation[] = [
  {
    ...routes.createCampaignRoute,
    responseBody: campaignAnswerSchema,
    summary: 'Create a theme campaign (主题活动) that activities of any type join',
    description: [
      'A campaign over the China dates `from`..`to` (e.g. 更好发挥人大代表作用 over a year).',
      'Activities join it when scheduled (`campaignId` on `POST /activities`), and must start',
      'within its dates. With an `Idempotency-Key` the same request creates one campaign.',
    ].join('\n'),
    responses: {
      201: '{campaign}',
      403: 'an organiser scoped to a street',
      422: '{message, issues}',
    },
  },
  {
    ...routes.listCampaignsRoute,
    responseBody: campaignListSchema,
    summary: 'List the theme campaigns, by start',
    responses: { 200: '{campaigns: [{id, title, from, to, ...}]}' },
  },
  {
    ...routes.campaignStatisticsRoute,
    responseBody: campaignStatisticsAnswerSchema,
    alternativeContentTypes: ['text/csv'],
    summary: 'Statistics of a theme campaign: person-times by level, findings, referrals',
    description: [
      'Read as a period’s statistics (`GET /audit/statistics`) are, from the campaign’s own',
      'month and day rollups over its dates and its referrals still open, never a scan: the',
      'completed activities of the campaign by type, person-times (人次) by level and in total',
      '(guest deputies of another district apart), consultations, residents received, people',
      'served by lectures and symposia, findings, referrals by department with 满意率 and 办成率.',
      '`format=csv`: the same tables as the period statistics’ CSV.',
    ].join('\n'),
    responses: {
      200: '{campaign, statistics}, or text/csv',
      403: 'an organiser scoped to a street',
      404: 'unknown campaign',
      422: 'path or query',
    },
  },
];
