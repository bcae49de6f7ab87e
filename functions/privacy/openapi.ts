import type { ApiOperation } from '../shared/openapi/types.js';
import { findingAnswerSchema } from '../findings/schemas.js';
import { residentExportSchema, residentSearchAnswerSchema } from './schemas.js';
import * as routes from './routes.js';

/** A resident's request under PIPL: find, export and erase their data (docs/privacy.md). */
export const PRIVACY_OPERATIONS: readonly ApiOperation[] = [
  {
    ...routes.searchResidentFindingsRoute,
    responseBody: residentSearchAnswerSchema,
    summary: "Find the findings that carry a person's name or contact",
    description: [
      'By a keyed hash of the normalised name and contact (no scan): full-width characters,',
      'spaces, case, and a +86 prefix on phone numbers do not matter. Only findings in the',
      "organiser's scope (district, or the street of the activity or of the finding); erased",
      'residents are not found. Each read is logged with who asked and the reason given.',
    ].join('\n'),
    responses: { 200: '{findings}', 422: 'body' },
  },
  {
    ...routes.exportResidentFindingsRoute,
    responseBody: residentExportSchema,
    summary: "Export a person's findings as JSON (PIPL access and copy)",
    description: [
      'The same findings as the search, each with its activity, referral status and when the',
      "person's data is due for erasure, as a JSON attachment.",
    ].join('\n'),
    responses: { 200: 'the export (JSON attachment)', 422: 'body' },
  },
  {
    ...routes.eraseResidentRoute,
    responseBody: findingAnswerSchema,
    summary: "Erase a finding's resident's name and contact now (a resident's request)",
    description: [
      'Removes the name, the contact and the salt of their commitment, with a RESIDENT_ERASED',
      'event on the activity trail carrying the reason (which must not contain the name or',
      'contact). The trail still verifies. The consent flag stays.',
    ].join('\n'),
    responses: {
      200: '{finding}',
      403: 'the finding is outside the organiser’s street',
      404: 'unknown activity or finding',
      409: 'already erased, or no name or contact to erase',
      422: 'path, or body (reason missing or containing the name or contact)',
    },
  },
];
