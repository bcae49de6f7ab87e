import { listCampaigns } from '../shared/data/campaigns.js';
import { httpRoute, jsonResponse } from '../shared/http/index.js';
import { campaignsEnvSchema } from './env.js';
import type { z } from 'zod/mini';
import type { campaignListSchema } from './schemas.js';
import { tableDeps } from '../shared/table-deps.js';

const store = tableDeps(campaignsEnvSchema);

/** `GET /campaigns` (organisers, auditors) → `200 {campaigns}` by start: the ids to schedule under. */
export const handler = httpRoute({ roles: ['organiser', 'auditor'] }, async () =>
  jsonResponse(200, {
    campaigns: await listCampaigns(store),
  } satisfies z.output<typeof campaignListSchema>),
);
