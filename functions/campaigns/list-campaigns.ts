import { listCampaigns } from '../shared/data/campaigns.js';
import { httpRoute, jsonResponse } from '../shared/http/index.js';
import { campaignsEnvSchema } from './env.js';
import type { z } from 'zod/mini';
import type { campaignListSchema } from './schemas.js';
import { listCampaignsRoute } from './routes.js';
import { tableDeps } from '../shared/table-deps.js';

const store = tableDeps(campaignsEnvSchema);

/** The theme campaigns by start → `200 {campaigns}`: the ids to schedule under. */
export const handler = httpRoute(listCampaignsRoute, async () =>
  jsonResponse(200, {
    campaigns: await listCampaigns(store),
  } satisfies z.output<typeof campaignListSchema>),
);
