import { STREET_SCOPE, type RouteContract } from '../shared/http/contract.js';
import { activityPathSchema } from '../shared/http/path-schemas.js';
import {
  cancelActivityBodySchema,
  changeActivityBodySchema,
  createActivityBodySchema,
  idempotencyHeadersSchema,
  listActivitiesQuerySchema,
  redriveActivityBodySchema,
} from './schemas.js';

// The activity routes' contracts (../shared/http/contract.ts): each read by its handler, by
// ./openapi.ts and by the construct that adds it (infra/liandong-stack.ts,
// infra/constructs/lists-api.ts, infra/constructs/findings-review-api.ts). Plain literals, no
// spreads: esbuild keeps an unused object that spreads another, and with it the schemas it names.

export const createActivityRoute = {
  route: 'POST /activities',
  roles: ['organiser'],
  body: createActivityBodySchema,
  headers: idempotencyHeadersSchema,
  // The largest body the schema accepts (2,000 invitees, 50 unannounced visits written in full in
  // Chinese) is about 440 KB: the 256 KiB default refused valid bodies (test/unit/body-limits.test.ts).
  maxBodyBytes: 524_288,
} satisfies RouteContract;

export const listActivitiesRoute = {
  route: 'GET /activities',
  roles: ['organiser', 'auditor'],
  rolesNote:
    'an organiser scoped to a street sees that street only (another street: 403); auditors read only',
  query: listActivitiesQuerySchema,
} satisfies RouteContract;

export const getActivityRoute = {
  route: 'GET /activities/{activityId}',
  roles: ['organiser', 'auditor', 'deputy'],
  rolesNote: 'a deputy only for an activity they are invited to (others get 404)',
  path: activityPathSchema,
} satisfies RouteContract;

export const listActivityInvitationsRoute = {
  route: 'GET /activities/{activityId}/invitations',
  roles: ['organiser', 'auditor'],
  rolesNote: STREET_SCOPE.hidden,
  path: activityPathSchema,
} satisfies RouteContract;

export const changeActivityRoute = {
  route: 'PATCH /activities/{activityId}',
  roles: ['organiser'],
  rolesNote: STREET_SCOPE.hidden,
  path: activityPathSchema,
  body: changeActivityBodySchema,
  maxBodyBytes: 32_768,
} satisfies RouteContract;

export const cancelActivityRoute = {
  route: 'POST /activities/{activityId}/cancel',
  roles: ['organiser'],
  path: activityPathSchema,
  body: cancelActivityBodySchema,
  maxBodyBytes: 16_384,
} satisfies RouteContract;

export const redriveActivityRoute = {
  route: 'POST /activities/{activityId}/redrive',
  roles: ['organiser'],
  rolesNote: STREET_SCOPE.hidden,
  path: activityPathSchema,
  body: redriveActivityBodySchema,
  maxBodyBytes: 16_384,
} satisfies RouteContract;
