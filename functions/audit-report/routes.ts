import type { RouteContract } from '../shared/http/contract.js';
import { auditActivityPathSchema } from './schemas.js';

// The activity report route's contract (../shared/http/contract.ts): read by ./get-report.ts,
// by ./openapi.ts and by infra/constructs/audit-report.ts. A plain literal, no spreads: esbuild
// keeps an unused object that spreads another, and with it the schemas it names.

export const activityReportRoute = {
  route: 'GET /audit/activities/{activityId}/report',
  roles: ['auditor', 'organiser'],
  rolesNote:
    'organisers with a street claim (custom:street) only within that street: another street is 404',
  path: auditActivityPathSchema,
} satisfies RouteContract;
