import type { RouteContract } from '../shared/http/contract.js';
import { deputyPathSchema, dutyQuerySchema, statisticsQuerySchema } from './schemas.js';

// The statistics and duty-record routes' contracts (../shared/http/contract.ts): each read by
// its handler, by ./openapi.ts and by infra/constructs/audit-stats-api.ts. Plain literals, no
// spreads: esbuild keeps an unused object that spreads another, and with it the schemas it names.

export const statisticsRoute = {
  route: 'GET /audit/statistics',
  roles: ['auditor', 'organiser'],
  rolesNote: 'auditors any street; an organiser scoped to a street only that street',
  query: statisticsQuerySchema,
  queryIssuePrefix: ['query'],
} satisfies RouteContract;

export const dutyRecordRoute = {
  route: 'GET /audit/deputies/{deputyId}/duty-record',
  roles: ['auditor', 'organiser', 'deputy'],
  rolesNote:
    'auditors; organisers (a street’s organiser sees that street’s activities); a deputy their own only',
  path: deputyPathSchema,
  query: dutyQuerySchema,
  queryIssuePrefix: ['query'],
} satisfies RouteContract;

export const dutyReportRoute = {
  route: 'GET /audit/deputies/{deputyId}/duty-report',
  roles: ['auditor', 'organiser', 'deputy'],
  rolesNote: 'as the duty record',
  path: deputyPathSchema,
  query: dutyQuerySchema,
  queryIssuePrefix: ['query'],
} satisfies RouteContract;
