import { httpRoutes } from '../shared/http/index.js';
import { handler as campaignStatistics } from './campaign-statistics.js';
import { handler as createCampaign } from './create-campaign.js';
import { handler as listCampaigns } from './list-campaigns.js';

/**
 * One function for the campaign routes (each written with `httpRoute` in its own file): the
 * stack is held to CloudFormation's 500 resources, and a function costs four.
 */
export const handler = httpRoutes([createCampaign, listCampaigns, campaignStatistics]);
