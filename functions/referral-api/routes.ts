import type { RouteContract } from '../shared/http/contract.js';
import {
  closeBodySchema,
  extensionBodySchema,
  listReferralsQuerySchema,
  redriveBodySchema,
  referralPathSchema,
  rerouteBodySchema,
} from './schemas.js';

// Read by the referral handlers, ./openapi.ts, infra/constructs/referral-api.ts and lists-api.ts;
// written as ../shared/http/contract.ts says (plain literals).

export const listReferralsRoute = {
  route: 'GET /referrals',
  roles: ['organiser', 'auditor'],
  rolesNote: 'a street organiser sees its street’s referrals only; auditors read everything',
  query: listReferralsQuerySchema,
} satisfies RouteContract;

export const getReferralRoute = {
  route: 'GET /referrals/{referralId}',
  roles: ['organiser', 'auditor'],
  rolesNote: 'organisers of the activity’s street; auditors read everything',
  path: referralPathSchema,
} satisfies RouteContract;

export const rerouteReferralRoute = {
  route: 'POST /referrals/{referralId}/reroute',
  roles: ['organiser'],
  path: referralPathSchema,
  body: rerouteBodySchema,
} satisfies RouteContract;

export const decideExtensionRoute = {
  route: 'POST /referrals/{referralId}/extension',
  roles: ['organiser'],
  path: referralPathSchema,
  body: extensionBodySchema,
} satisfies RouteContract;

export const closeByCommitteeRoute = {
  route: 'POST /referrals/{referralId}/close',
  roles: ['organiser'],
  path: referralPathSchema,
  body: closeBodySchema,
} satisfies RouteContract;

export const redriveReferralRoute = {
  route: 'POST /referrals/{referralId}/redrive',
  roles: ['organiser'],
  path: referralPathSchema,
  body: redriveBodySchema,
} satisfies RouteContract;
