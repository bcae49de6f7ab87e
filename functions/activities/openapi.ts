import type { ApiOperation } from '../shared/openapi/types.js';
import {
  activityAnswerSchema,
  activityListSchema,
  cancelActivityAnswerSchema,
  changeActivityAnswerSchema,
  createdActivityAnswerSchema,
  invitationListSchema,
  redriveActivityAnswerSchema,
} from './answers.js';
import { MAX_CHANGED_INVITEES, MAX_DAYS_AHEAD } from './schemas.js';
import * as routes from './routes.js';

/** Scheduling, reading and cancelling activities, with the schemas their handlers validate. */
export const ACTIVITY_OPERATIONS: readonly ApiOperation[] = [
  {
    ...routes.createActivityRoute,
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
    responseBody: createdActivityAnswerSchema,
    responses: {
      201: '{activity}: status SCHEDULED; the workflow (execution name = activity id) is started',
      400: 'malformed JSON or Idempotency-Key',
      409: 'a request with this Idempotency-Key is still in progress',
      422: '{message, issues: [{path, message}]}: every invalid field named',
    },
  },
  {
    ...routes.listActivitiesRoute,
    summary: 'List activities: by status, street, type, start period, organiser, waiting on me',
    description: [
      'Activities by start time (then id), earliest first, a page at a time: pass `nextCursor`',
      'back as `cursor` with the same filters. `from`/`to` bound the start time (a day',
      '`YYYY-MM-DD` is China time). `mine=true` lists the activities the caller scheduled,',
      '`organiserId` those of another organiser. `waiting=true` lists those whose workflow waits',
      'at a human step an organiser ends (START, ATTENDANCE, FINDINGS, REVIEW); every item that',
      'waits carries `pendingTask` with the step, its deadline (`null`: none) and the `action`',
      'that ends it (method and path). A page may hold fewer than `limit` items and still have',
      'a `nextCursor`: the filters are applied to what a bounded number of reads returns.',
    ].join('\n'),
    responseBody: activityListSchema,
    responses: {
      200: '{items, nextCursor?}',
      400: 'a cursor not made by this query with these filters, in this scope',
      403: 'the caller holds neither role, or asks for a street outside their scope',
      422: '{message, issues}: every invalid query parameter named',
    },
  },
  {
    ...routes.getActivityRoute,
    summary: 'Read an activity, its phase, attendance statistics and workflow state',
    responseBody: activityAnswerSchema,
    responses: {
      200: '{activity, workflow}: status, phase, pending human step and its deadline, counts, attendance',
      404: 'unknown activity, or not visible to the caller',
      422: 'path',
    },
  },
  {
    ...routes.listActivityInvitationsRoute,
    summary: 'List the invitations of an activity with each answer and check-in',
    description: [
      'Every invited deputy, in deputy id order: name and levels (no contact data, never a link',
      'or token), the answer (`ACCEPTED`/`DECLINED`, its note and time; `null`: not answered) and',
      "the check-in (`QR`, `CODE`, `API` or an organiser's `MAKE_UP`, and its time; `null`: not",
      'checked in).',
    ].join('\n'),
    responseBody: invitationListSchema,
    responses: {
      200: '{activityId, items: [{deputyId, name, levels, guest, answer, checkIn}]}',
      404: 'unknown activity, or another street',
      422: 'path',
    },
  },
  {
    ...routes.changeActivityRoute,
    summary: 'Change the time, place, details or invitees of an activity before it starts',
    description: [
      'Only while the workflow waits for the start (status `INVITATIONS_SENT`, before `startsAt`);',
      'otherwise 409. Checked at request time: a new `startsAt` lies in the future, `endsAt` after',
      'it, both before the stored attendance and findings deadlines; added deputies exist, are',
      `active and not invited; removed ones are invited; at most ${MAX_CHANGED_INVITEES} added and removed together.`,
      'An empty `description` removes it.',
      '',
      'The change, its chained audit event `ACTIVITY_CHANGED` and the invitations added and',
      'removed are one transaction, conditional on the activity not having changed since it was',
      'read (a concurrent change is re-read and re-checked). The workflow then emails, once each:',
      'a change notice with the calendar update (higher SEQUENCE) to the other invitees when the',
      'time, place or details changed, an invitation to each added deputy, a withdrawal with',
      'METHOD:CANCEL to each removed one; and its wait for the start follows the new time.',
      'Repeating a request changes nothing more.',
    ].join('\n'),
    responseBody: changeActivityAnswerSchema,
    responses: {
      200: '{activity: {id, revision, startsAt, endsAt, location, description, invitedCount}, changed, added, removed}',
      404: 'unknown activity, or another street',
      409: 'the activity has started, ended, or is still sending its invitations',
      422: '{message, issues: [{path, message}]}: every invalid field named',
    },
  },
  {
    ...routes.cancelActivityRoute,
    summary: 'Cancel an activity before completion: stop the workflow, tell the invitees',
    responseBody: cancelActivityAnswerSchema,
    responses: {
      200: '{activity, notices: {sent, pending: 0}}: every invitee told',
      202: '{activity, notices}: notices remain; repeat the request to send them',
      404: 'unknown activity',
      409: 'already completed or cancelled',
      422: 'body',
    },
  },
  {
    ...routes.redriveActivityRoute,
    summary: 'Run the failed step of a FAILED activity again, once its cause is removed',
    description: [
      'A step that still fails after its retries stops the workflow at that step and the',
      'activity shows `FAILED` with the error. Once the cause is fixed, this puts the activity',
      'back in the status the step left it in (event `WORKFLOW_REDRIVEN`, with the reason) and',
      'redrives the execution, which runs that step again; nothing done before it is repeated.',
      'Repeating the request while the workflow runs again answers 202 with `redrivenNow: false`.',
    ].join('\n'),
    responseBody: redriveActivityAnswerSchema,
    responses: {
      202: '{activityId, status, redriveCount, redrivenNow}',
      404: 'unknown activity, or another street',
      409: 'completed, cancelled, failed while scheduling, or its workflow is not redrivable',
      422: 'body',
    },
  },
];
