import type { RouteContract } from '../shared/http/contract.js';
import {
  departmentFormSchema,
  FORM_CONTENT_TYPE,
  ratingFormSchema,
  TOKEN_PARAM_SCHEMA,
} from './form.js';

// The pages' contracts: ./handler.ts checks the token and reads the form with them; also read by
// ./openapi.ts and infra/constructs/referral-api.ts. Written as ../shared/http/contract.ts says.

/** Why the pages need no JWT: the emailed link is the credential. */
const LINK_IS_THE_CREDENTIAL =
  'Opened from an emailed link by a department or a resident who has no account: the link carries an opaque, signed, expiring id that is the credential; GET only reads, POST acts once';

export const respondPageRoute = {
  route: 'GET /respond/{token}',
  roles: 'public',
  publicReason: LINK_IS_THE_CREDENTIAL,
  path: TOKEN_PARAM_SCHEMA,
} satisfies RouteContract;

export const respondSubmitRoute = {
  route: 'POST /respond/{token}',
  roles: 'public',
  publicReason: LINK_IS_THE_CREDENTIAL,
  path: TOKEN_PARAM_SCHEMA,
  body: departmentFormSchema,
  contentType: FORM_CONTENT_TYPE,
  maxBodyBytes: 32_768,
} satisfies RouteContract;

export const ratePageRoute = {
  route: 'GET /rate/{token}',
  roles: 'public',
  publicReason: LINK_IS_THE_CREDENTIAL,
  path: TOKEN_PARAM_SCHEMA,
} satisfies RouteContract;

export const rateSubmitRoute = {
  route: 'POST /rate/{token}',
  roles: 'public',
  publicReason: LINK_IS_THE_CREDENTIAL,
  path: TOKEN_PARAM_SCHEMA,
  body: ratingFormSchema,
  contentType: FORM_CONTENT_TYPE,
  maxBodyBytes: 32_768,
} satisfies RouteContract;
