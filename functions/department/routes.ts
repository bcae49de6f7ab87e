import type { RouteContract } from '../shared/http/contract.js';
import {
  departmentFormSchema,
  FORM_CONTENT_TYPE,
  ratingFormSchema,
  TOKEN_PARAM_SCHEMA,
} from './form.js';

// The department pages' contracts (../shared/http/contract.ts): each read by its page handler
// (./handler.ts validates the path and the form with them), by ./openapi.ts and by
// infra/constructs/referral-api.ts. Plain literals, no spreads: esbuild keeps an unused object
// that spreads another, and with it the schemas it names.

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
