import type { z } from 'zod/mini';
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

/**
 * The two audit routes of a kind of stream (an activity's, a referral's): its trail, a page of
 * events at a time, and the check of its chain. Marked free of side effects so a bundle keeps
 * only the streams its handler names.
 */
/* @__NO_SIDE_EFFECTS__ */
function streamRoutes<
  const Plural extends string,
  const Id extends string,
  Path extends z.ZodMiniType,
  const Note extends string,
>(plural: Plural, id: Id, path: Path, rolesNote: Note) {
  const readers = ['auditor', 'organiser'] as const;
  return {
    trail: {
      route: `GET /audit/${plural}/{${id}}/trail`,
      roles: readers,
      rolesNote,
      path,
      query: trailQuerySchema,
    },
    verify: { route: `GET /audit/${plural}/{${id}}/verify`, roles: readers, rolesNote, path },
  } as const satisfies Record<string, RouteContract>;
}

export const activityStreamRoutes = streamRoutes(
  'activities',
  'activityId',
  auditActivityPathSchema,
  STREET_SCOPE.hidden,
);

export const referralStreamRoutes = streamRoutes(
  'referrals',
  'referralId',
  auditReferralPathSchema,
  STREET_SCOPE.hiddenByActivity,
);
