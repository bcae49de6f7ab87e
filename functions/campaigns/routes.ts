import { idempotencyHeadersSchema } from '../shared/http/idempotency-key.js';
import type { RouteContract } from '../shared/http/contract.js';
import {
  campaignPathSchema,
  campaignStatisticsQuerySchema,
  createCampaignBodySchema,
} from './schemas.js';

// The campaign routes' contracts (../shared/http/contract.ts): each read by its handler, by
// ./openapi.ts and by infra/constructs/campaigns-api.ts. Plain literals, no spreads: esbuild
// keeps an unused object that spreads another, and with it the schemas it names.

export const createCampaignRoute = {
  route: 'POST /campaigns',
  roles: ['organiser'],
  rolesNote: 'district organisers only (a campaign spans the streets)',
  body: createCampaignBodySchema,
  headers: idempotencyHeadersSchema,
  // A 4,000-character description is 12 KB of UTF-8 in Chinese: 8 KB refused valid bodies.
  maxBodyBytes: 32_768,
} satisfies RouteContract;

export const listCampaignsRoute = {
  route: 'GET /campaigns',
  roles: ['organiser', 'auditor'],
} satisfies RouteContract;

export const campaignStatisticsRoute = {
  route: 'GET /audit/campaigns/{campaignId}/statistics',
  roles: ['auditor', 'organiser'],
  rolesNote: 'auditors; district organisers (a street’s organiser is refused)',
  path: campaignPathSchema,
  query: campaignStatisticsQuerySchema,
} satisfies RouteContract;
