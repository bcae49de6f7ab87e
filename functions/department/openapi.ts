import { FORM_CONTENT_TYPE, linkRefusals } from '../shared/openapi/link-pages.js';
import type { ApiOperation } from '../shared/openapi/types.js';
import { departmentFormSchema, ratingFormSchema, TOKEN_PARAM_SCHEMA } from './form.js';

const refusals = linkRefusals('the link expired or belongs to an earlier round');

/**
 * The pages opened from emailed links: the signed, expiring link is the credential, so they
 * carry no JWT. A GET only shows; a POST acts once (a repeat gets an "already received" page).
 */
export const DEPARTMENT_OPERATIONS: readonly ApiOperation[] = [
  {
    route: 'GET /respond/{token}',
    summary: 'The department’s response page for a referral (shows, never changes anything)',
    roles: 'public',
    path: TOKEN_PARAM_SCHEMA,
    responseContentType: 'text/html',
    responses: { 200: 'the referral and its forms', ...refusals },
  },
  {
    route: 'POST /respond/{token}',
    summary: 'Acknowledge, return, ask for more time, post progress or give the final reply',
    roles: 'public',
    path: TOKEN_PARAM_SCHEMA,
    body: departmentFormSchema,
    contentType: FORM_CONTENT_TYPE,
    responseContentType: 'text/html',
    responses: {
      200: 'received, or already received',
      422: 'the form, field by field',
      ...refusals,
    },
  },
  {
    route: 'GET /rate/{token}',
    summary: 'The page where whoever raised a finding rates the reply',
    roles: 'public',
    path: TOKEN_PARAM_SCHEMA,
    responseContentType: 'text/html',
    responses: { 200: 'the reply and the rating form', ...refusals },
  },
  {
    route: 'POST /rate/{token}',
    summary: 'Rate the reply: satisfied, basically satisfied or not satisfied, with a comment',
    roles: 'public',
    path: TOKEN_PARAM_SCHEMA,
    body: ratingFormSchema,
    contentType: FORM_CONTENT_TYPE,
    responseContentType: 'text/html',
    responses: { 200: 'received, or already received', 422: 'the form', ...refusals },
  },
];
