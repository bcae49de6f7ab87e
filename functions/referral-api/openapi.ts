import type { ApiOperation } from '../shared/openapi/types.js';
import {
  committeeCloseAnswerSchema,
  extensionAnswerSchema,
  redriveReferralAnswerSchema,
  referralDetailSchema,
  rerouteAnswerSchema,
  referralListSchema,
} from './schemas.js';
import * as routes from './routes.js';

const endsWaitingStep = {
  404: 'unknown referral, or outside the organiser’s street',
  409: 'the referral is not waiting for this (its current status is named)',
};

/** The organisers' side of a referral: read it, re-route it, decide an extension, close it. */
export const REFERRAL_OPERATIONS: readonly ApiOperation[] = [
  {
    ...routes.listReferralsRoute,
    summary: 'The 督办 list: referrals by committee, status, overdue, department, activity, due',
    description: [
      'Open referrals first, each by due instant (so overdue ones lead a committee’s list), then',
      'closed ones; one activity’s referrals by department. `from`/`to` bound the due date (a',
      'day is China time). Each item says whether it is overdue and what it waits on',
      '(`waitingOn.party`; for an organiser, `waitingOn.path` is the action that ends the wait).',
      'Filters may make a page short while `nextCursor` follows: go on while there is one. A',
      'cursor is accepted only by the same query from the same scope.',
    ].join('\n'),
    responseBody: referralListSchema,
    responses: {
      200: '{items, nextCursor?}',
      400: 'a cursor of another query or scope, or an edited one',
      403: 'a street organiser asking for another street',
      422: 'query parameters',
    },
  },
  {
    ...routes.getReferralRoute,
    responseBody: referralDetailSchema,
    summary: 'A referral with its routing, responses, ratings and verified audit history',
    responses: {
      200: '{referral, responses, ratings, history, chain}',
      404: 'unknown referral, or outside the organiser’s street',
    },
  },
  {
    ...routes.rerouteReferralRoute,
    responseBody: rerouteAnswerSchema,
    summary: 'Send a referral the department returned as not theirs to another department',
    responses: {
      200: '{referralId, departmentId, round, routing}: a new round starts with a new email',
      ...endsWaitingStep,
      422: 'body',
    },
  },
  {
    ...routes.decideExtensionRoute,
    responseBody: extensionAnswerSchema,
    summary:
      'Grant or refuse the extension a department asked for (never past the statutory limit)',
    responses: {
      200: '{referralId, extension, dueDate}: the due date moved (granted) or stayed (refused)',
      ...endsWaitingStep,
      422: 'body, or a due date past the statutory limit',
    },
  },
  {
    ...routes.closeByCommitteeRoute,
    responseBody: committeeCloseAnswerSchema,
    summary: 'Close a referral for the supervising committee (督办工委), with a reason',
    responses: {
      200: '{referralId, committeeClosure}: the workflow closes it next',
      ...endsWaitingStep,
      422: 'body',
    },
  },
  {
    ...routes.redriveReferralRoute,
    responseBody: redriveReferralAnswerSchema,
    summary: 'Run the failed step of a referral workflow again, once its cause is removed',
    description: [
      'A referral whose workflow failed carries `failure` (its status stays). Once the cause is',
      "fixed (e.g. the department's address), this clears the failure (event",
      '`REFERRAL_REDRIVEN`, with the reason) and redrives the execution, which runs the failed',
      'step again; an email already sent is never sent twice.',
    ].join('\n'),
    responses: {
      200: '{referralId, status, redriveCount, redrivenNow}',
      404: 'unknown referral, or another street',
      409: 'closed, or its workflow has not failed or is not redrivable',
      422: 'body',
    },
  },
];
