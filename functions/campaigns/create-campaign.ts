import { idempotencyHeadersSchema } from '../shared/http/idempotency-key.js';
import { putCampaign } from '../shared/data/campaigns.js';
import { ForbiddenError } from '../shared/errors.js';
import { httpRoute, isDistrictOrganiser, jsonResponse } from '../shared/http/index.js';
import { idempotentRoute } from '../shared/http/idempotent.js';
import { newId } from '../shared/ids.js';
import { logger } from '../shared/observability.js';
import { campaignsEnvSchema } from './env.js';
import { createCampaignBodySchema } from './schemas.js';
import type { z } from 'zod/mini';
import type { campaignAnswerSchema } from './schemas.js';
import { tableDeps } from '../shared/table-deps.js';

const store = tableDeps(campaignsEnvSchema);

/**
 * `POST /campaigns` (a district organiser: a campaign spans the streets) `{title, from, to,
 * description?}` → `201 {campaign}`. Activities join it with `campaignId` when scheduled.
 */
export const handler = httpRoute(
  {
    roles: ['organiser'],
    body: createCampaignBodySchema,
    headers: idempotencyHeadersSchema,
    // A 4,000-character description is 12 KB of UTF-8 in Chinese: 8 KB refused valid bodies.
    maxBodyBytes: 32 * 1024,
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
