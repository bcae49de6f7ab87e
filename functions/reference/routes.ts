import type { z } from 'zod/mini';
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

/** Reads: organisers (a street's too) and auditors. */
const READERS = ['organiser', 'auditor'] as const;

/** Every write but the whole district's and a roster's: a body up to 32 KiB. */
const WRITE_LIMIT = 32_768;

/**
 * The five routes of a kind of reference data (deputies, departments, committees, routing
 * rules): list and get for readers; create, update and deactivate for organisers of the whole
 * district. Marked free of side effects so a bundle keeps only the kinds its handler names.
 */
/* @__NO_SIDE_EFFECTS__ */
function kindRoutes<
  const Plural extends string,
  const Id extends string,
  Path extends z.ZodMiniType,
  Query extends z.ZodMiniType,
  Create extends z.ZodMiniType,
  Update extends z.ZodMiniType,
>(plural: Plural, id: Id, schemas: { path: Path; query: Query; create: Create; update: Update }) {
  return {
    list: {
      route: `GET /${plural}`,
      roles: READERS,
      query: schemas.query,
      queryIssuePrefix: ['query'],
    },
    get: { route: `GET /${plural}/{${id}}`, roles: READERS, path: schemas.path },
    create: {
      route: `POST /${plural}`,
      roles: DISTRICT_ORGANISER,
      body: schemas.create,
      maxBodyBytes: WRITE_LIMIT,
    },
    update: {
      route: `PATCH /${plural}/{${id}}`,
      roles: DISTRICT_ORGANISER,
      path: schemas.path,
      body: schemas.update,
      maxBodyBytes: WRITE_LIMIT,
    },
    // Deactivating takes no body: the limit holds whatever is sent.
    deactivate: {
      route: `POST /${plural}/{${id}}/deactivate`,
      roles: DISTRICT_ORGANISER,
      path: schemas.path,
      maxBodyBytes: WRITE_LIMIT,
    },
  } as const satisfies Record<string, RouteContract>;
}

export const deputyRoutes = kindRoutes('deputies', 'deputyId', {
  path: deputyPathSchema,
  query: listDeputiesQuerySchema,
  create: createDeputyBodySchema,
  update: updateDeputyBodySchema,
});

export const departmentRoutes = kindRoutes('departments', 'departmentId', {
  path: departmentPathSchema,
  query: listQuerySchema,
  create: createDepartmentBodySchema,
  update: updateDepartmentBodySchema,
});

export const committeeRoutes = kindRoutes('committees', 'committeeId', {
  path: committeePathSchema,
  query: listQuerySchema,
  create: createCommitteeBodySchema,
  update: updateCommitteeBodySchema,
});

export const routingRuleRoutes = kindRoutes('routing-rules', 'ruleId', {
  path: routingRulePathSchema,
  query: listQuerySchema,
  create: createRoutingRuleBodySchema,
  update: updateRoutingRuleBodySchema,
});

/** A roster of 2,000 deputies is about 300 KB: the body is held to 1 MiB. */
export const importDeputiesRoute = {
  route: 'POST /deputies/import',
  roles: DISTRICT_ORGANISER,
  contentType: 'text/csv',
  maxBodyBytes: 1_048_576,
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
