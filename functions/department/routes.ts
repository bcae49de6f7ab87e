import type { z } from 'zod/mini';
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

/**
 * The two routes of a page opened from an emailed link (`/{page}/{token}`): GET shows it, POST
 * acts on its form. The link's signed, expiring token is the credential, so both are public,
 * for `publicReason`. Marked free of side effects so a bundle keeps only the pages it serves.
 */
/* @__NO_SIDE_EFFECTS__ */
export function linkPageContracts<const Page extends string, Form extends z.ZodMiniType>(
  page: Page,
  form: Form,
  publicReason: string,
) {
  return {
    show: {
      route: `GET /${page}/{token}`,
      roles: 'public',
      publicReason,
      path: TOKEN_PARAM_SCHEMA,
    },
    submit: {
      route: `POST /${page}/{token}`,
      roles: 'public',
      publicReason,
      path: TOKEN_PARAM_SCHEMA,
      body: form,
      contentType: FORM_CONTENT_TYPE,
      maxBodyBytes: 32_768,
    },
  } as const satisfies Record<string, RouteContract>;
}

export const respondPageContracts = linkPageContracts(
  'respond',
  departmentFormSchema,
  LINK_IS_THE_CREDENTIAL,
);

export const ratePageContracts = linkPageContracts(
  'rate',
  ratingFormSchema,
  LINK_IS_THE_CREDENTIAL,
);
