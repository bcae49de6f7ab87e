import type { ApiOperation } from '../shared/openapi/types.js';
import { cancelActivityBodySchema } from './cancel.js';
import {
  activityPathSchema,
  createActivityBodySchema,
  idempotencyHeadersSchema,
  MAX_DAYS_AHEAD,
  redriveActivityBodySchema,
} from './schemas.js';

/** Scheduling, reading and cancelling activities, with the schemas their handlers validate. */
export const ACTIVITY_OPERATIONS: readonly ApiOperation[] = [
  {
    method: 'POST',
    path: '/activities',
    summary: 'Schedule an activity and start its workflow',
    description: [
      'The body is one object per activity `type`, each with the fields of that type (a',
      'reception day names its liaison stations, a cross-district inspection its two districts',
      'and optional unannounced visits, ...). Unknown fields are refused.',
      '',
      `Checked at request time (not expressible in the schema): \`startsAt\` lies in the future and within ${MAX_DAYS_AHEAD} days,`,
      '`endsAt` and `attendanceClosesAt` after `startsAt`, `findingsCloseAt` after both, the two',
      'districts differ, no deputy is invited twice, every invited deputy exists and is active.',
      '',
      'With an `Idempotency-Key` header the same request (same caller, same key, same body) returns',
      'the same activity for 24 hours and starts nothing new.',
    ].join('\n'),
    roles: ['organiser'],
    body: createActivityBodySchema,
    headers: idempotencyHeadersSchema,
    responses: {
      201: '{activity}: status SCHEDULED; the workflow (execution name = activity id) is started',
      400: 'malformed JSON or Idempotency-Key',
      409: 'a request with this Idempotency-Key is still in progress',
      422: '{message, issues: [{path, message}]}: every invalid field named',
    },
  },
  {
    method: 'GET',
    path: '/activities/{activityId}',
    summary: 'Read an activity, its phase, attendance statistics and workflow state',
    roles: ['organiser', 'auditor', 'deputy'],
    rolesNote: 'a deputy only for an activity they are invited to (others get 404)',
    params: activityPathSchema,
    responses: {
      200: '{activity, workflow}: status, phase, pending human step and its deadline, counts, attendance',
      404: 'unknown activity, or not visible to the caller',
      422: 'path',
    },
  },
  {
    method: 'POST',
    path: '/activities/{activityId}/cancel',
    summary: 'Cancel an activity before completion: stop the workflow, tell the invitees',
    roles: ['organiser'],
    params: activityPathSchema,
    body: cancelActivityBodySchema,
    responses: {
      200: '{activity, notices: {sent, pending: 0}}: every invitee told',
      202: '{activity, notices}: notices remain; repeat the request to send them',
      404: 'unknown activity',
      409: 'already completed or cancelled',
      422: 'body',
    },
  },
  {
    method: 'POST',
    path: '/activities/{activityId}/redrive',
    summary: 'Run the failed step of a FAILED activity again, once its cause is removed',
    description: [
      'A step that still fails after its retries stops the workflow at that step and the',
      'activity shows `FAILED` with the error. Once the cause is fixed, this puts the activity',
      'back in the status the step left it in (event `WORKFLOW_REDRIVEN`, with the reason) and',
      'redrives the execution, which runs that step again; nothing done before it is repeated.',
      'Repeating the request while the workflow runs again answers 202 with `redrivenNow: false`.',
    ].join('\n'),
    roles: ['organiser'],
    rolesNote: 'an organiser scoped to a street only for that street (others get 404)',
    params: activityPathSchema,
    body: redriveActivityBodySchema,
    responses: {
      202: '{activityId, status, redriveCount, redrivenNow}',
      404: 'unknown activity, or another street',
      409: 'completed, cancelled, failed while scheduling, or its workflow is not redrivable',
      422: 'body',
    },
  },
];
