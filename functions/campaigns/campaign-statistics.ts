import { statisticsCsvResponse } from '../audit-stats/csv-response.js';
import { readStatistics } from '../audit-stats/store.js';
import { getCampaign } from '../shared/data/campaigns.js';
import { ForbiddenError, NotFoundError } from '../shared/errors.js';
import { httpRoute, isDistrictOrganiser, jsonResponse } from '../shared/http/index.js';
import { logger } from '../shared/observability.js';
import { campaignsEnvSchema } from './env.js';
import { campaignStatisticsRoute } from './routes.js';
import type { z } from 'zod/mini';
import type { campaignStatisticsAnswerSchema } from './schemas.js';
import { tableDeps } from '../shared/table-deps.js';

const deps = tableDeps(campaignsEnvSchema);

/**
 * A campaign's statistics → `200 {campaign, statistics}` or CSV; a street's organiser is
 * refused (a campaign spans the streets). Read as a period's statistics are, from the
 * campaign's own rollups over its months and its referrals still open, never a scan:
 * person-times by level, findings, referrals, 满意率, 办成率.
 */
export const handler = httpRoute(campaignStatisticsRoute, async ({ path, query, caller }) => {
  if (!caller.roles.includes('auditor') && !isDistrictOrganiser(caller)) {
    throw new ForbiddenError(
      'A campaign spans the district: its statistics are for auditors and district organisers',
    );
  }
  const campaign = await getCampaign(deps, path.campaignId);
  if (!campaign)
    throw new NotFoundError(`Campaign ${path.campaignId} not found (GET /campaigns lists them)`);
  const statistics = await readStatistics(deps, {
    from: campaign.from,
    to: campaign.to,
    campaign: campaign.id,
  });
  logger.info('Campaign statistics read', { activities: statistics.activities.completed });
  if (query.format === 'csv') {
    return statisticsCsvResponse(deps, statistics, `campaign-${campaign.id}.csv`);
  }
  return jsonResponse(200, {
    campaign,
    statistics,
  } satisfies z.output<typeof campaignStatisticsAnswerSchema>);
});
