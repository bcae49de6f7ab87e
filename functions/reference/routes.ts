import { DISTRICT_ORGANISER, type RouteContract } from '../shared/http/contract.js';
import {
  committeePathSchema,
  createCommitteeBodySchema,
  createDepartmentBodySchema,
  createDeputyBodySchema,
  createRoutingRuleBodySchema,
  departmentPathSchema,
  deputyPathSchema,
  liaisonStationPathSchema,
  listDeputiesQuerySchema,
  listQuerySchema,
  putJurisdictionBodySchema,
  putLiaisonStationBodySchema,
  routingRulePathSchema,
  updateCommitteeBodySchema,
  updateDepartmentBodySchema,
  updateDeputyBodySchema,
  updateRoutingRuleBodySchema,
} from './schemas.js';

// Read by the read, write and import handlers, ./openapi.ts and infra/constructs/reference-api.ts;
// written as ../shared/http/contract.ts says (plain literals). Reads: organisers (a street
// organiser too) and auditors. Writes: organisers of the whole district only, bodies up to 32 KiB
// (the whole district, 128 KiB).

export const listDeputiesRoute = {
  route: 'GET /deputies',
  roles: ['organiser', 'auditor'],
  query: listDeputiesQuerySchema,
  queryIssuePrefix: ['query'],
} satisfies RouteContract;

export const getDeputyRoute = {
  route: 'GET /deputies/{deputyId}',
  roles: ['organiser', 'auditor'],
  path: deputyPathSchema,
} satisfies RouteContract;

export const createDeputyRoute = {
  route: 'POST /deputies',
  roles: DISTRICT_ORGANISER,
  body: createDeputyBodySchema,
  maxBodyBytes: 32_768,
} satisfies RouteContract;

export const updateDeputyRoute = {
  route: 'PATCH /deputies/{deputyId}',
  roles: DISTRICT_ORGANISER,
  path: deputyPathSchema,
  body: updateDeputyBodySchema,
  maxBodyBytes: 32_768,
} satisfies RouteContract;

export const deactivateDeputyRoute = {
  route: 'POST /deputies/{deputyId}/deactivate',
  roles: DISTRICT_ORGANISER,
  path: deputyPathSchema,
  maxBodyBytes: 32_768,
} satisfies RouteContract;

/** A roster of 2,000 deputies is about 300 KB: the body is held to 1 MiB. */
export const importDeputiesRoute = {
  route: 'POST /deputies/import',
  roles: DISTRICT_ORGANISER,
  contentType: 'text/csv',
  maxBodyBytes: 1_048_576,
} satisfies RouteContract;

export const listDepartmentsRoute = {
  route: 'GET /departments',
  roles: ['organiser', 'auditor'],
  query: listQuerySchema,
  queryIssuePrefix: ['query'],
} satisfies RouteContract;

export const getDepartmentRoute = {
  route: 'GET /departments/{departmentId}',
  roles: ['organiser', 'auditor'],
  path: departmentPathSchema,
} satisfies RouteContract;

export const createDepartmentRoute = {
  route: 'POST /departments',
  roles: DISTRICT_ORGANISER,
  body: createDepartmentBodySchema,
  maxBodyBytes: 32_768,
} satisfies RouteContract;

export const updateDepartmentRoute = {
  route: 'PATCH /departments/{departmentId}',
  roles: DISTRICT_ORGANISER,
  path: departmentPathSchema,
  body: updateDepartmentBodySchema,
  maxBodyBytes: 32_768,
} satisfies RouteContract;

export const deactivateDepartmentRoute = {
  route: 'POST /departments/{departmentId}/deactivate',
  roles: DISTRICT_ORGANISER,
  path: departmentPathSchema,
  maxBodyBytes: 32_768,
} satisfies RouteContract;

export const listCommitteesRoute = {
  route: 'GET /committees',
  roles: ['organiser', 'auditor'],
  query: listQuerySchema,
  queryIssuePrefix: ['query'],
} satisfies RouteContract;

export const getCommitteeRoute = {
  route: 'GET /committees/{committeeId}',
  roles: ['organiser', 'auditor'],
  path: committeePathSchema,
} satisfies RouteContract;

export const createCommitteeRoute = {
  route: 'POST /committees',
  roles: DISTRICT_ORGANISER,
  body: createCommitteeBodySchema,
  maxBodyBytes: 32_768,
} satisfies RouteContract;

export const updateCommitteeRoute = {
  route: 'PATCH /committees/{committeeId}',
  roles: DISTRICT_ORGANISER,
  path: committeePathSchema,
  body: updateCommitteeBodySchema,
  maxBodyBytes: 32_768,
} satisfies RouteContract;

export const deactivateCommitteeRoute = {
  route: 'POST /committees/{committeeId}/deactivate',
  roles: DISTRICT_ORGANISER,
  path: committeePathSchema,
  maxBodyBytes: 32_768,
} satisfies RouteContract;

export const listRoutingRulesRoute = {
  route: 'GET /routing-rules',
  roles: ['organiser', 'auditor'],
  query: listQuerySchema,
  queryIssuePrefix: ['query'],
} satisfies RouteContract;

export const getRoutingRuleRoute = {
  route: 'GET /routing-rules/{ruleId}',
  roles: ['organiser', 'auditor'],
  path: routingRulePathSchema,
} satisfies RouteContract;

export const createRoutingRuleRoute = {
  route: 'POST /routing-rules',
  roles: DISTRICT_ORGANISER,
  body: createRoutingRuleBodySchema,
  maxBodyBytes: 32_768,
} satisfies RouteContract;

export const updateRoutingRuleRoute = {
  route: 'PATCH /routing-rules/{ruleId}',
  roles: DISTRICT_ORGANISER,
  path: routingRulePathSchema,
  body: updateRoutingRuleBodySchema,
  maxBodyBytes: 32_768,
} satisfies RouteContract;

export const deactivateRoutingRuleRoute = {
  route: 'POST /routing-rules/{ruleId}/deactivate',
  roles: DISTRICT_ORGANISER,
  path: routingRulePathSchema,
  maxBodyBytes: 32_768,
} satisfies RouteContract;

/** Every signed-in user reads the district it serves (its streets and liaison stations). */
export const getJurisdictionRoute = {
  route: 'GET /jurisdiction',
  roles: ['organiser', 'auditor', 'deputy'],
} satisfies RouteContract;

/**
 * The whole district in one body: at its schema's bounds about 104 KB (test/unit/body-limits.test.ts),
 * so 128 KiB; the 32 KiB of the other writes refused valid bodies with 413.
 */
export const putJurisdictionRoute = {
  route: 'PUT /jurisdiction',
  roles: DISTRICT_ORGANISER,
  body: putJurisdictionBodySchema,
  maxBodyBytes: 131_072,
} satisfies RouteContract;

/** A street's organisers keep their own street's liaison stations; the district's, every one. */
export const putLiaisonStationRoute = {
  route: 'PUT /jurisdiction/streets/{street}/liaison-stations/{stationId}',
  roles: ['organiser'],
  path: liaisonStationPathSchema,
  body: putLiaisonStationBodySchema,
  maxBodyBytes: 32_768,
} satisfies RouteContract;
