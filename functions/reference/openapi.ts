import type { ApiOperation } from '../shared/openapi/types.js';
import {
  committeeAnswerSchema,
  committeeListSchema,
  departmentAnswerSchema,
  departmentListSchema,
  deputyAnswerSchema,
  deputyListSchema,
  importAnswerSchema,
  jurisdictionAnswerSchema,
  liaisonStationAnswerSchema,
  routingRuleAnswerSchema,
  routingRuleListSchema,
} from './answers.js';
import { MAX_ROSTER_ROWS, ROSTER_COLUMNS } from './roster.js';
import * as routes from './routes.js';

/** The OpenAPI description of `POST /deputies/import` (the columns of `roster.ts`). */
export const ROSTER_IMPORT_DESCRIPTION = [
  'Imports a roster of deputies from CSV (`content-type: text/csv`, UTF-8, optional byte-order',
  'mark, RFC 4180 quoting). The first row is the header; column names are case-insensitive and',
  'may come in any order:',
  '',
  '- `name` (required), `email` (required, unique among deputies and within the file)',
  '- `level1` (required): NATIONAL, PROVINCIAL, MUNICIPAL, DISTRICT, TOWN or 全国, 省, 市, 区, 镇/街道',
  '- `body1` (required): the congress of the seat, e.g. 某市某区人民代表大会',
  '- `level2`, `body2`: a second seat (both or neither)',
  '- `group` (联组), `street` (one of the district’s street codes, `GET /jurisdiction`, or its',
  '  Chinese or English name, with or without 街道/镇), `liaisonStation`',
  '- `active`: true/false, yes/no, 1/0, 是/否; empty means true',
  '',
  `At most ${MAX_ROSTER_ROWS} rows. Every row is checked first; if any is invalid nothing is`,
  'imported and the answer is 422 with `rows: [{line, field, message}]` (line 1 is the header).',
  `Columns: ${ROSTER_COLUMNS.join(', ')}.`,
].join('\n');

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

/** Every reference route: its contract (./routes.ts) with its summary and answers. */
export const REFERENCE_OPERATIONS: readonly ApiOperation[] = [
  {
    ...routes.deputyRoutes.list,
    responseBody: deputyListSchema,
    summary:
      'List deputies by name; filter by street, seat level, group and name (the invitee picker)',
    description: CONTACTS,
    responses: listed,
  },
  {
    ...routes.deputyRoutes.get,
    responseBody: deputyAnswerSchema,
    summary: 'Get a deputy',
    description: CONTACTS,
    responses: one,
  },
  {
    ...routes.deputyRoutes.create,
    responseBody: deputyAnswerSchema,
    summary: 'Create a deputy',
    responses: created,
  },
  {
    ...routes.deputyRoutes.update,
    responseBody: deputyAnswerSchema,
    summary: 'Change a deputy (null clears an optional field)',
    responses: updated,
  },
  {
    ...routes.deputyRoutes.deactivate,
    responseBody: deputyAnswerSchema,
    summary: 'Deactivate a deputy',
    responses: deactivated,
  },
  {
    ...routes.importDeputiesRoute,
    responseBody: importAnswerSchema,
    summary: 'Import a deputy roster (CSV)',
    description: ROSTER_IMPORT_DESCRIPTION,
    responses: {
      201: '{importId, imported, deputies: [{line, id}]}',
      403: WRITE_DENIED,
      415: 'not text/csv in UTF-8',
      422: '{rows: [{line, field, message}]}',
    },
  },
  {
    ...routes.departmentRoutes.list,
    responseBody: departmentListSchema,
    summary: 'List departments by name',
    responses: listed,
  },
  {
    ...routes.departmentRoutes.get,
    responseBody: departmentAnswerSchema,
    summary: 'Get a department',
    responses: one,
  },
  {
    ...routes.departmentRoutes.create,
    responseBody: departmentAnswerSchema,
    summary: 'Create a department',
    responses: created,
  },
  {
    ...routes.departmentRoutes.update,
    responseBody: departmentAnswerSchema,
    summary: 'Change a department',
    description:
      'A change of `emails` is audited as DEPARTMENT_EMAILS_CHANGED and the previous addresses ' +
      'are told by email (once); the answer says `emailChangeNotice: SENT`, or `PENDING` when ' +
      'SES could not take it now, in which case the next write of the department (the same ' +
      'request repeated) sends it.',
    responses: updated,
  },
  {
    ...routes.departmentRoutes.deactivate,
    responseBody: departmentAnswerSchema,
    summary: 'Deactivate a department (no active rule may target it)',
    responses: deactivated,
  },
  {
    ...routes.committeeRoutes.list,
    responseBody: committeeListSchema,
    summary: 'List supervising committees (督办工委)',
    responses: listed,
  },
  {
    ...routes.committeeRoutes.get,
    responseBody: committeeAnswerSchema,
    summary: 'Get a committee',
    responses: one,
  },
  {
    ...routes.committeeRoutes.create,
    responseBody: committeeAnswerSchema,
    summary: 'Create a committee',
    responses: created,
  },
  {
    ...routes.committeeRoutes.update,
    responseBody: committeeAnswerSchema,
    summary: 'Change a committee',
    responses: updated,
  },
  {
    ...routes.committeeRoutes.deactivate,
    responseBody: committeeAnswerSchema,
    summary: 'Deactivate a committee',
    responses: deactivated,
  },
  {
    ...routes.routingRuleRoutes.list,
    responseBody: routingRuleListSchema,
    summary: 'List routing rules by category and street',
    responses: listed,
  },
  {
    ...routes.routingRuleRoutes.get,
    responseBody: routingRuleAnswerSchema,
    summary: 'Get a routing rule (<category>:<street or *>)',
    responses: one,
  },
  {
    ...routes.routingRuleRoutes.create,
    responseBody: routingRuleAnswerSchema,
    summary: 'Create a routing rule',
    responses: created,
  },
  {
    ...routes.routingRuleRoutes.update,
    responseBody: routingRuleAnswerSchema,
    summary: 'Change a routing rule',
    responses: updated,
  },
  {
    ...routes.routingRuleRoutes.deactivate,
    responseBody: routingRuleAnswerSchema,
    summary: 'Deactivate a routing rule',
    responses: deactivated,
  },
  {
    ...routes.getJurisdictionRoute,
    responseBody: jurisdictionAnswerSchema,
    summary: 'The district this deployment serves: its letterhead, streets and liaison stations',
    description:
      'The district, its people’s congress and standing committee, the letterhead every email and page carries (subject tag, referral number prefix), its streets and towns (codes, names, working committees) and each street’s liaison stations. Requests name streets by these codes.',
    responses: { 200: 'the jurisdiction', 403: 'role', 404: 'no district set up yet' },
  },
  {
    ...routes.putJurisdictionRoute,
    responseBody: jurisdictionAnswerSchema,
    summary: 'Set up or replace the district, its letterhead and streets',
    description:
      'District organisers only; one audited change. A stored street is never removed: keep it with `active: false` (leaving it out is 409). Emails and pages read the new names within minutes.',
    responses: {
      200: 'the jurisdiction',
      403: WRITE_DENIED,
      409: 'a stored street left out, or a concurrent change',
      422: 'body',
    },
  },
  {
    ...routes.putLiaisonStationRoute,
    responseBody: liaisonStationAnswerSchema,
    summary: 'Create or replace a liaison station of a street',
    description:
      'Organisers of that street or of the whole district; each change with its audit event. The street must be one of the district’s (422 otherwise).',
    responses: {
      200: 'the liaison station',
      403: 'role, or an organiser of another street',
      409: 'a concurrent change',
      422: 'path or body; a street the district does not have',
    },
  },
];
