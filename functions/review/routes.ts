import type { RouteContract } from '../shared/http/contract.js';
import { activityPathSchema } from '../shared/http/path-schemas.js';
import { decisionsBodySchema, referralPathSchema, updateReferralBodySchema } from './schemas.js';

// The review routes' contracts (../shared/http/contract.ts): each read by its handler, by
// ./openapi.ts and by infra/constructs/findings-review-api.ts. Plain literals, no spreads:
// esbuild keeps an unused object that spreads another, and with it the schemas it names.

export const getReviewRoute = {
  route: 'GET /activities/{activityId}/review',
  roles: ['organiser', 'auditor'],
  rolesNote: "auditors without residents' details",
  path: activityPathSchema,
} satisfies RouteContract;

export const decideFindingsRoute = {
  route: 'POST /activities/{activityId}/review/decisions',
  roles: ['organiser'],
  path: activityPathSchema,
  body: decisionsBodySchema,
  // 50 decisions, each answered directly (4,000 characters) with its reason (1,000), in Chinese:
  // about 740 KB. 128 KiB refused valid bodies (test/unit/body-limits.test.ts).
  maxBodyBytes: 786_432,
} satisfies RouteContract;

export const updateReferralRoute = {
  route: 'POST /activities/{activityId}/review/referrals/{referralId}',
  roles: ['organiser'],
  path: referralPathSchema,
  body: updateReferralBodySchema,
  maxBodyBytes: 32_768,
} satisfies RouteContract;

export const approveReviewRoute = {
  route: 'POST /activities/{activityId}/review/approve',
  roles: ['organiser'],
  path: activityPathSchema,
} satisfies RouteContract;
