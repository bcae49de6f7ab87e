import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { campaignsEnvSchema, campaignStatisticsEnvSchema } from '../../functions/campaigns/env';
import type { LiandongHttpApi } from './http-api';
import { ProjectFunction } from './project-function';

export interface CampaignsApiProps {
  readonly table: dynamodb.ITable;
  readonly api: LiandongHttpApi;
  readonly logRetention: logs.RetentionDays;
}

const { GET, POST } = apigwv2.HttpMethod;

/**
 * Theme campaigns (主题活动, issue 17): creating and listing them, and their statistics, read
 * from the campaign's rollups (GetItem, Query, BatchGetItem of the open referrals) as a
 * period's are.
 */
export class CampaignsApi extends Construct {
  readonly createFunction: ProjectFunction<typeof campaignsEnvSchema>;
  readonly listFunction: ProjectFunction<typeof campaignsEnvSchema>;
  readonly statisticsFunction: ProjectFunction<typeof campaignStatisticsEnvSchema>;

  constructor(scope: Construct, id: string, props: CampaignsApiProps) {
    super(scope, id);
    const { table, api, logRetention } = props;
    const environment = { TABLE_NAME: table.tableName };

    this.createFunction = new ProjectFunction(this, 'CreateCampaignFunction', {
      entry: 'functions/campaigns/create-campaign.ts',
      description: 'POST /campaigns: a theme campaign and its first audit event',
      envSchema: campaignsEnvSchema,
      environment,
      logRetention,
    });
    // PutItem: the campaign, its audit event, the idempotency record (GetItem, UpdateItem and
    // DeleteItem are Powertools Idempotency's on that record).
    table.grant(
      this.createFunction,
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
    );

    this.listFunction = new ProjectFunction(this, 'ListCampaignsFunction', {
      entry: 'functions/campaigns/list-campaigns.ts',
      description: 'GET /campaigns: the theme campaigns by start',
      envSchema: campaignsEnvSchema,
      environment,
      logRetention,
    });
    table.grant(this.listFunction, 'dynamodb:Query');

    this.statisticsFunction = new ProjectFunction(this, 'CampaignStatisticsFunction', {
      entry: 'functions/campaigns/campaign-statistics.ts',
      description: 'GET /audit/campaigns/{campaignId}/statistics: from the campaign rollups',
      envSchema: campaignStatisticsEnvSchema,
      environment,
      logRetention,
    });
    table.grant(
      this.statisticsFunction,
      'dynamodb:GetItem',
      'dynamodb:BatchGetItem',
      'dynamodb:Query',
    );

    api.addRoute('CreateCampaign', {
      method: POST,
      path: '/campaigns',
      handler: this.createFunction,
    });
    api.addRoute('ListCampaigns', { method: GET, path: '/campaigns', handler: this.listFunction });
    api.addRoute('CampaignStatistics', {
      method: GET,
      path: '/audit/campaigns/{campaignId}/statistics',
      handler: this.statisticsFunction,
    });
  }
}
