import { putCampaign } from '../shared/data/campaigns.js';
import { ForbiddenError } from '../shared/errors.js';
import { httpRoute, isDistrictOrganiser, jsonResponse } from '../shared/http/index.js';
import { idempotentRoute } from '../shared/http/idempotent.js';
import { newId } from '../shared/ids.js';
import { logger } from '../shared/observability.js';
import { campaignsEnvSchema } from './env.js';
import { createCampaignRoute } from './routes.js';
import type { z } from 'zod/mini';
import type { campaignAnswerSchema } from './schemas.js';
import { tableDeps } from '../shared/table-deps.js';

const store = tableDeps(campaignsEnvSchema);

/**
 * Creates a theme campaign → `201 {campaign}`; a street's organiser is refused (a campaign
 * spans the streets). Activities join it with `campaignId` when scheduled.
 */
export const handler = httpRoute(
  {
    ...createCampaignRoute,
    idempotency: idempotentRoute('CreateCampaign', store.tableName),
  },
  async ({ body, caller }) => {
    if (!isDistrictOrganiser(caller)) {
      throw new ForbiddenError(
        'A theme campaign spans the district: district organisers create it',
      );
    }
    const now = new Date();
    const campaign = await putCampaign(store, {
      id: newId(now),
      title: body.title,
      ...(body.description ? { description: body.description } : {}),
      from: body.from,
      to: body.to,
      organiserId: caller.sub,
      createdAt: now.toISOString(),
    });
    logger.info('Campaign created', { campaignId: campaign.id });
    return jsonResponse(201, { campaign } satisfies z.output<typeof campaignAnswerSchema>);
  },
);
