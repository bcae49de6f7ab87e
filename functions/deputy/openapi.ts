import { linkPageAnswers } from '../shared/openapi/link-pages.js';
import type { ApiOperation } from '../shared/openapi/types.js';
import * as routes from './routes.js';
import { meActivitiesAnswerSchema } from './schemas.js';

const EXPIRED = 'the link expired';

/**
 * The deputy's side (issue 14): pages opened from the personal link in each invitation and from
 * an emailed home link (no JWT: the signed, expiring link is the credential; a GET only shows, a
 * POST acts once), and the same lists for signed-in deputies.
 */
export const DEPUTY_OPERATIONS: readonly ApiOperation[] = [
  {
    ...routes.activityPageContracts.show,
    summary:
      "A deputy's page of one activity: details, answer, check-in, findings and their outcome",
    description:
      'Sets an HttpOnly cookie (path /check-in) with the link, so the venue QR page checks this phone in with one tap.',
    ...linkPageAnswers(EXPIRED, { 200: 'the activity page' }),
  },
  {
    ...routes.activityPageContracts.submit,
    summary:
      'Answer the invitation (until the start), check in with the venue code, record a finding',
    ...linkPageAnswers(EXPIRED, {
      200: 'done, or already done (nothing changed)',
      409: 'not possible now (answers closed, check-in not open, findings closed); nothing changed',
      422: 'the form, field by field, or a wrong venue code',
    }),
  },
  {
    ...routes.homeRequestFormRoute,
    summary: 'The form where a deputy asks for a link to their activities by email',
    responseContentType: 'text/html',
    responses: { 200: 'the form' },
  },
  {
    ...routes.homeRequestRoute,
    summary: 'Email a home link to the address, if it is a deputy’s (always the same answer)',
    description:
      'Rate-limited per address; the answer never tells whether the address is a deputy’s.',
    responseContentType: 'text/html',
    responses: { 200: 'the same page for every address', 422: 'not an email address' },
  },
  {
    ...routes.homePageRoute,
    summary: "A deputy's home page: pending invitations, upcoming and past activities, duty record",
    ...linkPageAnswers(EXPIRED, { 200: 'the lists, each activity linking to its page' }),
  },
  {
    ...routes.meActivitiesRoute,
    summary:
      "The signed-in deputy's {pending, upcoming, past} activities (past with the duty record)",
    responseBody: meActivitiesAnswerSchema,
    responses: { 200: '{pending, upcoming, past}' },
  },
];
