import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Store } from './activities.js';
import { startAuditStream } from './audit.js';
import { keys } from './keys.js';
import { queryAll } from './query.js';
import { writeTransaction } from './transact.js';

/**
 * The store of theme campaigns (主题活动, e.g. 更好发挥人大代表作用): a campaign groups activities
 * of any type over months (each activity names it by `campaignId`), and its statistics are read
 * from its own rollups (functions/audit-stats/rollups.ts, scope `CAMPAIGN#<id>`).
 */
export interface CampaignItem {
  pk: string;
  sk: string;
  listPk: string;
  listSk: string;
  entity: 'CAMPAIGN';
  id: string;
  title: string;
  description?: string;
  /** First and last China date of the campaign (`YYYY-MM-DD`): its activities start within. */
  from: string;
  to: string;
  organiserId: string;
  createdAt: string;
}

export type Campaign = Pick<
  CampaignItem,
  'id' | 'title' | 'description' | 'from' | 'to' | 'organiserId' | 'createdAt'
>;

const toCampaign = (item: CampaignItem): Campaign => ({
  id: item.id,
  title: item.title,
  ...(item.description !== undefined ? { description: item.description } : {}),
  from: item.from,
  to: item.to,
  organiserId: item.organiserId,
  createdAt: item.createdAt,
});

/** Stores a new campaign with the first event of its audit stream (one transaction). */
export const putCampaign = async (store: Store, campaign: Campaign): Promise<Campaign> => {
  const head = {
    ...keys.campaign(campaign.id),
    ...keys.campaignListing(campaign.from, campaign.id),
    entity: 'CAMPAIGN' as const,
    ...campaign,
  };
  const { items } = startAuditStream({
    tableName: store.tableName,
    streamId: keys.campaign(campaign.id).pk,
    head,
    event: {
      at: campaign.createdAt,
      actor: campaign.organiserId,
      action: 'CAMPAIGN_CREATED',
      before: null,
      after: { title: campaign.title, from: campaign.from, to: campaign.to },
    },
  });
  await writeTransaction(store.db, items);
  return campaign;
};

export const getCampaign = async (
  { db, tableName }: Store,
  campaignId: string,
): Promise<Campaign | undefined> => {
  const { Item } = await db.send(
    new GetCommand({ TableName: tableName, Key: keys.campaign(campaignId) }),
  );
  return Item ? toCampaign(Item as CampaignItem) : undefined;
};

/** Every campaign, by start (a district runs a handful a year). */
export const listCampaigns = async (store: Store): Promise<Campaign[]> =>
  (await queryAll<CampaignItem>(store, keys.campaignsByStart(), false)).map(toCampaign);
