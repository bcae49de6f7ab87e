import type { ApiOperation } from '../shared/openapi/types.js';
import { endedHumanStepSchema } from '../shared/workflow/phase-control.js';
import { findingAnswerSchema, findingListSchema } from './schemas.js';
import * as routes from './routes.js';

/** Recording, listing and closing the findings (问题 / 意见建议) of an activity. */
export const FINDING_OPERATIONS: readonly ApiOperation[] = [
  {
    ...routes.recordFindingRoute,
    responseBody: findingAnswerSchema,
    summary: 'Record a finding (problem, suggestion, inspection issue, consultation)',
    description: [
      'While check-in or findings are open. A resident is recorded with as little as needed',
      '(a contact only with consent); only organisers and whoever recorded it see it. An organiser',
      'may record on behalf of a deputy (`deputyId`). `Idempotency-Key` honoured for 24 hours.',
    ].join('\n'),
    responses: {
      201: '{finding}',
      404: 'unknown activity, or the deputy is not invited',
      409: 'findings are not open',
      422: 'body',
    },
  },
  {
    ...routes.listFindingsRoute,
    responseBody: findingListSchema,
    summary: 'List the findings as the caller may see them',
    responses: { 200: '{findings}', 404: 'unknown activity', 422: 'path' },
  },
  {
    ...routes.closeFindingsRoute,
    responseBody: endedHumanStepSchema,
    summary: 'Close the findings now (ends the FINDINGS step; the workflow seals and triages)',
    responses: {
      200: '{activityId, phase, endedAt}',
      404: 'unknown activity',
      409: 'findings are not open, or their deadline already closed them',
      422: 'path',
    },
  },
];
