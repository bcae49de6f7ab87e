import type { RouteContract } from '../shared/http/contract.js';
import { erasureBodySchema, findingPathSchema, personQueryBodySchema } from './schemas.js';

// The privacy routes' contracts (../shared/http/contract.ts): each read by its handler, by
// ./openapi.ts and by infra/constructs/privacy.ts. Plain literals, no spreads: esbuild keeps an
// unused object that spreads another, and with it the schemas it names.

/** Every resident route: a resident's details are the business of the finding's street. */
const FINDING_STREET = 'district organisers, or those of the street of the finding';

export const searchResidentFindingsRoute = {
  route: 'POST /residents/findings/search',
  roles: ['organiser'],
  rolesNote: FINDING_STREET,
  body: personQueryBodySchema,
  maxBodyBytes: 8_192,
} satisfies RouteContract;

export const exportResidentFindingsRoute = {
  route: 'POST /residents/findings/export',
  roles: ['organiser'],
  rolesNote: FINDING_STREET,
  body: personQueryBodySchema,
  maxBodyBytes: 8_192,
} satisfies RouteContract;

export const eraseResidentRoute = {
  route: 'POST /activities/{activityId}/findings/{findingId}/resident/erasure',
  roles: ['organiser'],
  rolesNote: FINDING_STREET,
  path: findingPathSchema,
  body: erasureBodySchema,
  maxBodyBytes: 8_192,
} satisfies RouteContract;
