import { campaignsEnvSchema } from '../../functions/campaigns/env';
import * as routes from '../../functions/campaigns/routes';
import { functionTable, TABLE_READ } from './function-factory';

/**
 * Theme campaigns (主题活动, issue 17): creating and listing them, and their statistics, read
 * from the campaign's rollups (GetItem, Query, BatchGetItem of the open referrals) as a
 * period's are.
 */
export const campaignFunctions = functionTable({
  CampaignsFunction: {
    entry: 'functions/campaigns/handler.ts',
    description: 'POST/GET /campaigns and GET /audit/campaigns/{campaignId}/statistics',
    envSchema: campaignsEnvSchema,
    // PutItem: the campaign and its audit event (one transaction), the idempotency record
    // (GetItem, UpdateItem, DeleteItem are functions/shared/http/idempotent.ts's on it); Query and
    // BatchGetItem: the campaign list, its rollups and its open referrals.
    tableActions: [...TABLE_READ, 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
    routes: [
      ['CreateCampaign', routes.createCampaignRoute],
      ['ListCampaigns', routes.listCampaignsRoute],
      ['CampaignStatistics', routes.campaignStatisticsRoute],
    ],
  },
});
