import { FORM_CONTENT_TYPE, TOKEN_PARAM_SCHEMA } from '../department/form.js';
import { linkPageContracts } from '../department/routes.js';
import type { RouteContract } from '../shared/http/contract.js';
import { deputyFormSchema, homeLinkRequestSchema } from './form.js';

// The pages' and the API route's contracts: the page handlers check the token and read the form
// with them; also read by ./openapi.ts and infra/constructs/deputy-pages.ts. Written as
// ../shared/http/contract.ts says (plain literals).

/** Why the activity page needs no JWT: the personal link is the credential. */
const PERSONAL_LINK_IS_THE_CREDENTIAL =
  "Opened from the deputy's emailed personal link: an opaque, signed, expiring id is the credential (no deputy id in the URL); GET only reads, each POST acts once";

/** Why asking for a home link needs no JWT, and why that tells no one who is a deputy. */
const HOME_LINK_REQUEST =
  'A deputy who lost the invitation asks for a home link by email address: the answer is always the same (no one learns who is a deputy), requests are rate-limited per address, and the link goes only to the address on record';

export const activityPageContracts = linkPageContracts(
  'deputy',
  deputyFormSchema,
  PERSONAL_LINK_IS_THE_CREDENTIAL,
);

export const homeRequestFormRoute = {
  route: 'GET /my-activities',
  roles: 'public',
  publicReason: HOME_LINK_REQUEST,
} satisfies RouteContract;

export const homeRequestRoute = {
  route: 'POST /my-activities',
  roles: 'public',
  publicReason: HOME_LINK_REQUEST,
  body: homeLinkRequestSchema,
  contentType: FORM_CONTENT_TYPE,
  maxBodyBytes: 32_768,
} satisfies RouteContract;

export const homePageRoute = {
  route: 'GET /my-activities/{token}',
  roles: 'public',
  publicReason:
    'Opened from the emailed home link: an opaque, signed, expiring id is the credential; GET only reads',
  path: TOKEN_PARAM_SCHEMA,
} satisfies RouteContract;

export const meActivitiesRoute = {
  route: 'GET /me/activities',
  roles: ['deputy'],
} satisfies RouteContract;
