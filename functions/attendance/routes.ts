import type { RouteContract } from '../shared/http/contract.js';
import { activityPathSchema } from '../shared/http/path-schemas.js';
import {
  checkInBodySchema,
  checkInPagePathSchema,
  invitationResponseBodySchema,
  makeUpCheckInBodySchema,
  updateCountsBodySchema,
} from './schemas.js';

// The attendance routes' contracts (../shared/http/contract.ts): each read by its handler, by
// ./openapi.ts and by infra/constructs/attendance-api.ts. Plain literals, no spreads: esbuild
// keeps an unused object that spreads another, and with it the schemas it names.

export const respondInvitationRoute = {
  route: 'POST /activities/{activityId}/invitation/response',
  roles: ['deputy'],
  path: activityPathSchema,
  rolesNote: 'the invited deputy only',
  body: invitationResponseBodySchema,
  maxBodyBytes: 8_192,
} satisfies RouteContract;

export const checkInRoute = {
  route: 'POST /activities/{activityId}/check-ins',
  roles: ['deputy'],
  path: activityPathSchema,
  rolesNote: 'invited deputies only',
  body: checkInBodySchema,
  bodyOptional: true,
  maxBodyBytes: 4_096,
} satisfies RouteContract;

export const makeUpCheckInRoute = {
  route: 'POST /activities/{activityId}/check-ins/make-up',
  roles: ['organiser'],
  path: activityPathSchema,
  body: makeUpCheckInBodySchema,
  maxBodyBytes: 8_192,
} satisfies RouteContract;

export const checkInQrRoute = {
  route: 'GET /activities/{activityId}/check-in/qr',
  roles: ['organiser'],
  path: activityPathSchema,
} satisfies RouteContract;

export const checkInPageRoute = {
  route: 'GET /check-in/{code}',
  roles: 'public',
  publicReason:
    'Opened from a QR code on site; the signed, expiring code names the activity only, and the check-in itself is a POST with the deputy JWT or the personal-link cookie',
  path: checkInPagePathSchema,
} satisfies RouteContract;

export const checkInPageSubmitRoute = {
  route: 'POST /check-in/{code}',
  roles: 'public',
  publicReason:
    'One-tap check-in on site: identity from the signed personal-link cookie (HttpOnly, SameSite=Lax), presence from the signed, expiring venue code; neither alone checks anyone in',
  path: checkInPagePathSchema,
} satisfies RouteContract;

export const openCheckInEarlyRoute = {
  route: 'POST /activities/{activityId}/check-in/open',
  roles: ['organiser'],
  path: activityPathSchema,
} satisfies RouteContract;

export const closeAttendanceRoute = {
  route: 'POST /activities/{activityId}/attendance/close',
  roles: ['organiser'],
  path: activityPathSchema,
} satisfies RouteContract;

export const updateCountsRoute = {
  route: 'PATCH /activities/{activityId}/counts',
  roles: ['organiser'],
  path: activityPathSchema,
  body: updateCountsBodySchema,
  maxBodyBytes: 4_096,
} satisfies RouteContract;
