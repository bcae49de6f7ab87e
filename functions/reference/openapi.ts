import type { z } from 'zod/mini';
import { MAX_ROSTER_ROWS, ROSTER_COLUMNS } from './roster.js';
import {
  committeePathSchema,
  createCommitteeBodySchema,
  createDepartmentBodySchema,
  createDeputyBodySchema,
  createRoutingRuleBodySchema,
  departmentPathSchema,
  deputyPathSchema,
  listDeputiesQuerySchema,
  listQuerySchema,
  routingRulePathSchema,
  updateCommitteeBodySchema,
  updateDepartmentBodySchema,
  updateDeputyBodySchema,
  updateRoutingRuleBodySchema,
} from './schemas.js';

/** The OpenAPI description of `POST /deputies/import` (the columns of `roster.ts`). */
export const ROSTER_IMPORT_DESCRIPTION = [
  'Imports a roster of deputies from CSV (`content-type: text/csv`, UTF-8, optional byte-order',
  'mark, RFC 4180 quoting). The first row is the header; column names are case-insensitive and',
  'may come in any order:',
  '',
  '- `name` (required), `email` (required, unique among deputies and within the file)',
  '- `level1` (required): NATIONAL, PROVINCIAL, MUNICIPAL, DISTRICT, TOWN or 全国, 省, 市, 区, 镇/街道',
  '- `body1` (required): the congress of the seat, e.g. 广州市黄埔区人民代表大会',
  '- `level2`, `body2`: a second seat (both or neither)',
  '- `group` (联组), `street` (a code such as WENCHONG or its name, 文冲 / 文冲街道), `liaisonStation`',
  '- `active`: true/false, yes/no, 1/0, 是/否; empty means true',
  '',
  `At most ${MAX_ROSTER_ROWS} rows. Every row is checked first; if any is invalid nothing is`,
  'imported and the answer is 422 with `rows: [{line, field, message}]` (line 1 is the header).',
  `Columns: ${ROSTER_COLUMNS.join(', ')}.`,
].join('\n');

export interface ReferenceOperation {
  summary: string;
  roles: ('organiser' | 'auditor')[];
  body?: z.ZodMiniType;
  pathParameters?: z.ZodMiniType;
  query?: z.ZodMiniType;
  /** Content type of the request body when not JSON. */
  contentType?: string;
  description?: string;
  responses: Record<number, string>;
}

const READ = ['organiser', 'auditor'] as ReferenceOperation['roles'];
const WRITE = ['organiser'] as ReferenceOperation['roles'];
// Reference data is the district's: organisers scoped to one street read it, and only
// district-scoped organisers (custom:street DISTRICT) write it.
const WRITE_DENIED = 'role, or an organiser scoped to a street (district organisers only)';
const listed = {
  200: '{items, nextCursor?}',
  400: 'a cursor of another list, filter or scope, or not a cursor',
  403: 'role',
  422: 'query parameters',
};
const one = { 200: 'the item', 403: 'role', 404: 'unknown id', 422: 'path' };
const created = { 201: 'the item', 403: WRITE_DENIED, 409: 'conflict', 422: 'body' };
const updated = {
  200: 'the item',
  403: WRITE_DENIED,
  404: 'unknown id',
  409: 'conflict',
  422: 'body',
};
const deactivated = {
  200: 'the item',
  403: WRITE_DENIED,
  404: 'unknown id',
  409: 'already inactive',
};
/** Deputies' contact details are shown to a street organiser only within its street. */
const CONTACTS =
  'A street-scoped organiser gets `email` only for deputies of its own street; auditors and ' +
  'district organisers get it for every deputy.';

/** Every reference route with the zod schemas it validates with, for the OpenAPI generator. */
export const REFERENCE_OPERATIONS: Record<string, ReferenceOperation> = {
  'GET /deputies': {
    summary:
      'List deputies by name; filter by street, seat level, group and name (the invitee picker)',
    description: CONTACTS,
    roles: READ,
    query: listDeputiesQuerySchema,
    responses: listed,
  },
  'GET /deputies/{deputyId}': {
    summary: 'Get a deputy',
    description: CONTACTS,
    roles: READ,
    pathParameters: deputyPathSchema,
    responses: one,
  },
  'POST /deputies': {
    summary: 'Create a deputy',
    roles: WRITE,
    body: createDeputyBodySchema,
    responses: created,
  },
  'PATCH /deputies/{deputyId}': {
    summary: 'Change a deputy (null clears an optional field)',
    roles: WRITE,
    body: updateDeputyBodySchema,
    pathParameters: deputyPathSchema,
    responses: updated,
  },
  'POST /deputies/{deputyId}/deactivate': {
    summary: 'Deactivate a deputy',
    roles: WRITE,
    pathParameters: deputyPathSchema,
    responses: deactivated,
  },
  'POST /deputies/import': {
    summary: 'Import a deputy roster (CSV)',
    roles: WRITE,
    contentType: 'text/csv',
    description: ROSTER_IMPORT_DESCRIPTION,
    responses: {
      201: '{importId, imported, deputies: [{line, id}]}',
      403: WRITE_DENIED,
      415: 'not text/csv in UTF-8',
      422: '{rows: [{line, field, message}]}',
    },
  },
  'GET /departments': {
    summary: 'List departments by name',
    roles: READ,
    query: listQuerySchema,
    responses: listed,
  },
  'GET /departments/{departmentId}': {
    summary: 'Get a department',
    roles: READ,
    pathParameters: departmentPathSchema,
    responses: one,
  },
  'POST /departments': {
    summary: 'Create a department',
    roles: WRITE,
    body: createDepartmentBodySchema,
    responses: created,
  },
  'PATCH /departments/{departmentId}': {
    summary: 'Change a department',
    description:
      'A change of `emails` is audited as DEPARTMENT_EMAILS_CHANGED and the previous addresses ' +
      'are told by email (once); the answer says `emailChangeNotice: SENT`, or `PENDING` when ' +
      'SES could not take it now, in which case the next write of the department (the same ' +
      'request repeated) sends it.',
    roles: WRITE,
    body: updateDepartmentBodySchema,
    pathParameters: departmentPathSchema,
    responses: updated,
  },
  'POST /departments/{departmentId}/deactivate': {
    summary: 'Deactivate a department (no active rule may target it)',
    roles: WRITE,
    pathParameters: departmentPathSchema,
    responses: deactivated,
  },
  'GET /committees': {
    summary: 'List supervising committees (督办工委)',
    roles: READ,
    query: listQuerySchema,
    responses: listed,
  },
  'GET /committees/{committeeId}': {
    summary: 'Get a committee',
    roles: READ,
    pathParameters: committeePathSchema,
    responses: one,
  },
  'POST /committees': {
    summary: 'Create a committee',
    roles: WRITE,
    body: createCommitteeBodySchema,
    responses: created,
  },
  'PATCH /committees/{committeeId}': {
    summary: 'Change a committee',
    roles: WRITE,
    body: updateCommitteeBodySchema,
    pathParameters: committeePathSchema,
    responses: updated,
  },
  'POST /committees/{committeeId}/deactivate': {
    summary: 'Deactivate a committee',
    roles: WRITE,
    pathParameters: committeePathSchema,
    responses: deactivated,
  },
  'GET /routing-rules': {
    summary: 'List routing rules by category and street',
    roles: READ,
    query: listQuerySchema,
    responses: listed,
  },
  'GET /routing-rules/{ruleId}': {
    summary: 'Get a routing rule (<category>:<street or *>)',
    roles: READ,
    pathParameters: routingRulePathSchema,
    responses: one,
  },
  'POST /routing-rules': {
    summary: 'Create a routing rule',
    roles: WRITE,
    body: createRoutingRuleBodySchema,
    responses: created,
  },
  'PATCH /routing-rules/{ruleId}': {
    summary: 'Change a routing rule',
    roles: WRITE,
    body: updateRoutingRuleBodySchema,
    pathParameters: routingRulePathSchema,
    responses: updated,
  },
  'POST /routing-rules/{ruleId}/deactivate': {
    summary: 'Deactivate a routing rule',
    roles: WRITE,
    pathParameters: routingRulePathSchema,
    responses: deactivated,
  },
};
