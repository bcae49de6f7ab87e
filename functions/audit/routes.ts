import { STREET_SCOPE, type RouteContract } from '../shared/http/contract.js';
import {
  auditActivitiesQuerySchema,
  auditActivityPathSchema,
  auditReferralPathSchema,
  trailQuerySchema,
} from './schemas.js';

// Read by the list and trail handlers, ./openapi.ts and infra/constructs/audit-api.ts; written as
// ../shared/http/contract.ts says (plain literals).

export const listAuditActivitiesRoute = {
  route: 'GET /audit/activities',
  roles: ['auditor', 'organiser'],
  rolesNote: STREET_SCOPE.refused,
  query: auditActivitiesQuerySchema,
} satisfies RouteContract;

export const activityTrailRoute = {
  route: 'GET /audit/activities/{activityId}/trail',
  roles: ['auditor', 'organiser'],
  rolesNote: STREET_SCOPE.hidden,
  path: auditActivityPathSchema,
  query: trailQuerySchema,
} satisfies RouteContract;

export const verifyActivityRoute = {
  route: 'GET /audit/activities/{activityId}/verify',
  roles: ['auditor', 'organiser'],
  rolesNote: STREET_SCOPE.hidden,
  path: auditActivityPathSchema,
} satisfies RouteContract;

export const referralTrailRoute = {
  route: 'GET /audit/referrals/{referralId}/trail',
  roles: ['auditor', 'organiser'],
  rolesNote: STREET_SCOPE.hiddenByActivity,
  path: auditReferralPathSchema,
  query: trailQuerySchema,
} satisfies RouteContract;

export const verifyReferralRoute = {
  route: 'GET /audit/referrals/{referralId}/verify',
  roles: ['auditor', 'organiser'],
  rolesNote: STREET_SCOPE.hiddenByActivity,
  path: auditReferralPathSchema,
} satisfies RouteContract;
