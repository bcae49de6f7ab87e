import type { RouteContract } from '../shared/http/contract.js';
import { activityPathSchema } from '../shared/http/path-schemas.js';
import { idempotencyHeadersSchema, recordFindingBodySchema } from './schemas.js';

// The findings routes' contracts (../shared/http/contract.ts): each read by its handler, by
// ./openapi.ts and by infra/constructs/findings-review-api.ts. Plain literals, no spreads:
// esbuild keeps an unused object that spreads another, and with it the schemas it names.

export const recordFindingRoute = {
  route: 'POST /activities/{activityId}/findings',
  roles: ['deputy', 'organiser'],
  rolesNote: 'deputies invited to the activity; organisers in scope',
  path: activityPathSchema,
  headers: idempotencyHeadersSchema,
  body: recordFindingBodySchema,
  maxBodyBytes: 32_768,
} satisfies RouteContract;

export const listFindingsRoute = {
  route: 'GET /activities/{activityId}/findings',
  roles: ['organiser', 'auditor', 'deputy'],
  rolesNote: "auditors without residents' details; an invited deputy sees their own",
  path: activityPathSchema,
} satisfies RouteContract;

export const closeFindingsRoute = {
  route: 'POST /activities/{activityId}/findings/close',
  roles: ['organiser'],
  path: activityPathSchema,
} satisfies RouteContract;
