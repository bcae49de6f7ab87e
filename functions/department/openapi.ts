import { linkPageAnswers } from '../shared/openapi/link-pages.js';
import type { ApiOperation } from '../shared/openapi/types.js';
import * as routes from './routes.js';

const EXPIRED = 'the link expired or belongs to an earlier round';

/**
 * The pages opened from emailed links: the signed, expiring link is the credential, so they
 * carry no JWT. A GET only shows; a POST acts once (a repeat gets an "already received" page).
 */
export const DEPARTMENT_OPERATIONS: readonly ApiOperation[] = [
  {
    ...routes.respondPageContracts.show,
    summary: 'The department’s response page for a referral (shows, never changes anything)',
    ...linkPageAnswers(EXPIRED, { 200: 'the referral and its forms' }),
  },
  {
    ...routes.respondPageContracts.submit,
    summary: 'Acknowledge, return, ask for more time, post progress or give the final reply',
    ...linkPageAnswers(EXPIRED, {
      200: 'received, or already received',
      422: 'the form, field by field',
    }),
  },
  {
    ...routes.ratePageContracts.show,
    summary: 'The page where whoever raised a finding rates the reply',
    ...linkPageAnswers(EXPIRED, { 200: 'the reply and the rating form' }),
  },
  {
    ...routes.ratePageContracts.submit,
    summary: 'Rate the reply: satisfied, basically satisfied or not satisfied, with a comment',
    ...linkPageAnswers(EXPIRED, { 200: 'received, or already received', 422: 'the form' }),
  },
];
