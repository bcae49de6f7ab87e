import * as z from 'zod/mini';
import { pure } from '../pure.js';
import { ID_PATTERN } from '../ids.js';

/**
 * The `{activityId}` of a route's path, for every area that serves one. Here rather than in an
 * area's schemas, so a function that only reads the id does not build (at each cold start) the
 * schemas of the area that declared it.
 */
export const activityId = /* @__PURE__ */ pure(() =>
  z.string().check(z.regex(ID_PATTERN, { message: 'must be an activity id' })),
);

export const activityPathSchema = /* @__PURE__ */ pure(() => z.strictObject({ activityId }));

/** A referral's id, in `{referralId}` and in the referral workflow's inputs, for the same reason. */
export const referralId = /* @__PURE__ */ pure(() =>
  z.string().check(z.regex(ID_PATTERN, { message: 'must be a referral id' })),
);

/**
 * A campaign's id, in `{campaignId}` and in the body of an activity that belongs to one. Here for
 * the same reason: an activity route that reads it must not build the campaign area's schemas
 * and, through them, the statistics schemas at each cold start.
 */
export const campaignIdSchema = /* @__PURE__ */ pure(() =>
  z
    .string()
    .check(z.regex(ID_PATTERN, { message: 'must be a campaign id (GET /campaigns lists them)' })),
);
