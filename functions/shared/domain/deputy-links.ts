/**
 * Where a deputy's personal links lead and how long they live (issue 14).
 *
 * An activity link opens the deputy's page of that activity. It must outlive the activity's own
 * time: findings are recorded until they close (by default a week after the end), and the
 * deputy follows what became of them (merged, answered, referred, the department's reply, the
 * rating) for as long as a department may take to reply: {@link FOLLOW_UP_DAYS} after findings
 * close, the statutory maximum of a referral (docs/referral-workflow.md). Nothing on the page
 * acts outside its own window (answers before the start, check-in while open, findings while
 * open), so the long life only lets the deputy read.
 */
export const FOLLOW_UP_DAYS = 180;

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
