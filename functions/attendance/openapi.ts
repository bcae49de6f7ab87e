import type { ApiOperation } from '../shared/openapi/types.js';
import { endedHumanStepSchema } from '../shared/workflow/phase-control.js';
import {
  checkInAnswerSchema,
  checkInQrSchema,
  communityCountsAnswerSchema,
  invitationAnswerSchema,
  makeUpCheckInAnswerSchema,
} from './schemas.js';
import * as routes from './routes.js';

const humanStep = {
  202: '{activityId, phase, endedAt}: the step ended; the workflow makes the change next',
  404: 'unknown activity',
  409: 'the activity is in another phase (named), or the deadline already closed it',
  422: 'path',
};

/** Invitation responses, check-in (API, QR, make-up), counts, and the organiser's early closes. */
export const ATTENDANCE_OPERATIONS: readonly ApiOperation[] = [
  {
    ...routes.respondInvitationRoute,
    summary: 'Accept or decline an invitation (changeable until check-in opens)',
    responseBody: invitationAnswerSchema,
    responses: {
      200: '{invitation}',
      404: 'unknown activity or not invited',
      409: 'check-in already opened',
      422: 'body',
    },
  },
  {
    ...routes.checkInRoute,
    summary: 'Check in, once, while check-in is open (the QR page sends its code)',
    responseBody: checkInAnswerSchema,
    responses: {
      201: '{checkIn}',
      400: 'malformed or forged check-in code',
      404: 'unknown activity or not invited',
      409: 'check-in not open, or already checked in',
      410: 'check-in code expired',
      422: 'body',
    },
  },
  {
    ...routes.makeUpCheckInRoute,
    summary: 'Record a make-up check-in for a deputy, with a reason',
    responseBody: makeUpCheckInAnswerSchema,
    responses: {
      201: '{checkIn}: method MAKE_UP',
      404: 'unknown activity or deputy not invited',
      409: 'outside the window (check-in open, or after attendance closed until findings close), or already checked in',
      422: 'body',
    },
  },
  {
    ...routes.checkInQrRoute,
    responseBody: checkInQrSchema,
    summary: 'A short-lived check-in code and the QR code of the public check-in page',
    responses: {
      200: '{code, expiresAt, venueCode, venueCodeExpiresAt, url, svg}: the QR code and the six-digit venue code deputies type on their personal page',
      404: 'unknown activity',
      409: 'invitations still being sent, or check-in is over',
      422: 'path',
    },
  },
  {
    ...routes.checkInPageRoute,
    summary: 'The check-in page opened from a QR code (public; the check-in itself needs a JWT)',
    description:
      'The signed, expiring code names the activity only; it is not a credential. The page posts to `POST /activities/{activityId}/check-ins` with the signed-in deputy token.',
    responseContentType: 'text/html',
    responses: {
      200: 'the check-in page (HTML)',
      400: 'not a valid check-in code (HTML)',
      410: 'the code expired (HTML)',
    },
  },
  {
    ...routes.checkInPageSubmitRoute,
    summary: 'One-tap check-in on a phone that opened its personal link (no JWT, no token typed)',
    description:
      'Identity from the personal-link cookie the deputy page set, presence from the signed, expiring code: neither alone checks anyone in.',
    responseContentType: 'text/html',
    responses: {
      200: 'checked in, or already checked in (HTML)',
      400: 'not a valid check-in code (HTML)',
      403: 'this phone has not opened a personal link of this activity (HTML)',
      409: 'check-in is not open (HTML)',
      410: 'the code expired (HTML)',
    },
  },
  {
    ...routes.openCheckInEarlyRoute,
    summary: 'Open check-in now, before the start time (ends the START step)',
    responseBody: endedHumanStepSchema,
    responses: humanStep,
  },
  {
    ...routes.closeAttendanceRoute,
    summary: 'Close attendance now, before its deadline (ends the ATTENDANCE step)',
    responseBody: endedHumanStepSchema,
    responses: humanStep,
  },
  {
    ...routes.updateCountsRoute,
    summary:
      'Record consultations answered (解答咨询) and residents received (community visits, reception days)',
    responseBody: communityCountsAnswerSchema,
    responses: {
      200: '{communityCounts}',
      404: 'unknown activity',
      409: 'not a community visit or reception day, or outside check-in to completion',
      422: 'body',
    },
  },
];
