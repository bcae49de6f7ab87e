/**
 * Deadlines of referrals (docs/referral-workflow.md): due instants, reminder offsets, the
 * statutory limit on due dates and extensions. Pure functions; the configuration comes from
 * the environment (`REMINDER_DAYS_BEFORE`, `STATUTORY_LIMIT_DAYS`, `STATUTORY_MAX_DAYS`), and
 * both the referral workflow and the extension API parse it here.
 */

const DAY_SECONDS = 86_400;
const CHINA_OFFSET_MS = 8 * 3_600_000;

export const DEFAULT_REMINDER_DAYS_BEFORE = [7, 1] as const;
export const DEFAULT_STATUTORY_LIMIT_DAYS = 90;
export const DEFAULT_STATUTORY_MAX_DAYS = 180;
/** How long the raisers may rate a reply (`RATING_DAYS` of the referral workflow). */
export const DEFAULT_RATING_DAYS = 14;

export interface DeadlineConfig {
  /** Reminder offsets before the due instant, in seconds, largest first. */
  reminderSecondsBefore: number[];
  /** A due date lies at most this many days after dispatch (by default 3 months). */
  statutoryLimitDays: number;
  /** An extension moves it at most this many days after dispatch (by default 6 months). */
  statutoryMaxDays: number;
}

/**
 * `REMINDER_DAYS_BEFORE`: comma-separated positive days (fractions allowed, e.g. `0.5`), default
 * `7,1`; `none` (or an empty list) turns reminders off. Duplicates are dropped.
 */
export const parseReminderDays = (value: string | undefined): number[] => {
  if (value === undefined || value.trim() === '') return [...DEFAULT_REMINDER_DAYS_BEFORE];
  if (value.trim().toLowerCase() === 'none') return [];
  const days = value.split(',').map((part) => Number(part.trim()));
  if (days.some((day) => !Number.isFinite(day) || day <= 0 || day > 366)) {
    throw new Error(`REMINDER_DAYS_BEFORE must list positive days, got ${JSON.stringify(value)}`);
  }
  return [...new Set(days)].sort((a, b) => b - a);
};

const parseDays = (name: string, value: string | undefined, fallback: number): number => {
  if (value === undefined || value.trim() === '') return fallback;
  const days = Number(value.trim());
  if (!Number.isInteger(days) || days < 1 || days > 3660) {
    throw new Error(`${name} must be a whole number of days, got ${JSON.stringify(value)}`);
  }
  return days;
};

/** The deadline configuration from an environment (default: `process.env`). */
export const deadlineConfig = (
  env: Record<string, string | undefined> = process.env,
): DeadlineConfig => {
  const statutoryLimitDays = parseDays(
    'STATUTORY_LIMIT_DAYS',
    env.STATUTORY_LIMIT_DAYS,
    DEFAULT_STATUTORY_LIMIT_DAYS,
  );
  const statutoryMaxDays = parseDays(
    'STATUTORY_MAX_DAYS',
    env.STATUTORY_MAX_DAYS,
    DEFAULT_STATUTORY_MAX_DAYS,
  );
  if (statutoryMaxDays < statutoryLimitDays) {
    throw new Error('STATUTORY_MAX_DAYS must not be less than STATUTORY_LIMIT_DAYS');
  }
  return {
    reminderSecondsBefore: parseReminderDays(env.REMINDER_DAYS_BEFORE).map((days) =>
      Math.round(days * DAY_SECONDS),
    ),
    statutoryLimitDays,
    statutoryMaxDays,
  };
};

/** Today's (or `at`'s) date in China Standard Time, `YYYY-MM-DD`. */
export const chinaDateOf = (at: Date): string =>
  new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);

/**
 * A calendar year in China Standard Time as ISO instants `[from, to)`: a duty year runs from
 * 1 January 00:00 in Beijing, which is 31 December 16:00 UTC of the year before.
 */
export const chinaYearBounds = (year: number): { from: string; to: string } => ({
  from: new Date(Date.parse(`${year}-01-01T00:00:00+08:00`)).toISOString(),
  to: new Date(Date.parse(`${year + 1}-01-01T00:00:00+08:00`)).toISOString(),
});

/** The last instant of a `YYYY-MM-DD` day in China Standard Time (the day ends at 24:00). */
export const endOfChinaDay = (date: string): Date => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
    throw new Error(`Invalid date: ${JSON.stringify(date)}`);
  }
  return new Date(Date.parse(`${date}T00:00:00+08:00`) + DAY_SECONDS * 1000);
};

/**
 * When a referral is due: `dueAt` (a full timestamp, e.g. a deadline of seconds in tests) wins;
 * otherwise the end of `dueDate` in China time; otherwise `fallback`.
 */
export const dueInstantOf = (
  referral: { dueAt?: string | undefined; dueDate?: string | undefined },
  fallback?: Date,
): Date => {
  if (referral.dueAt && !Number.isNaN(Date.parse(referral.dueAt))) {
    return new Date(referral.dueAt);
  }
  if (referral.dueDate) return endOfChinaDay(referral.dueDate);
  if (fallback) return fallback;
  throw new Error('The referral has no due date');
};

/**
 * The calendar date (China time) of a due instant: the day by the end of which the referral is
 * due. A due date `2027-01-06` is due at `endOfChinaDay` (7 January 00:00 in Beijing), and that
 * instant belongs to 6 January here, so the date and the deadline checks never disagree.
 */
export const dueDateOfInstant = (due: Date): string => chinaDateOf(new Date(due.getTime() - 1));

/** The calendar date a referral is due by (see {@link dueInstantOf} for which instant). */
export const dueDateOf = (
  referral: { dueAt?: string | undefined; dueDate?: string | undefined },
  fallback?: Date,
): string => dueDateOfInstant(dueInstantOf(referral, fallback));

const MONTHS_EN = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

/**
 * The one rendering of a due date (`YYYY-MM-DD`, a China calendar date) for people: `zh`
 * 2027年1月6日, `en` 6 January 2027, `iso` 2027-01-06 (exports). Every email, page and export
 * shows a due date through this, so they all name the same day, never a time of the next one.
 */
export const formatDueDate = (date: string, style: 'zh' | 'en' | 'iso'): string => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new Error(`Invalid due date: ${JSON.stringify(date)}`);
  const [, year, month, day] = match as unknown as [string, string, string, string];
  if (style === 'iso') return date;
  if (style === 'zh') return `${year}年${Number(month)}月${Number(day)}日`;
  return `${Number(day)} ${MONTHS_EN[Number(month) - 1] ?? month} ${year}`;
};

/** Whole seconds from `now` to `at`, at least 1 (what `TimeoutSecondsPath` accepts). */
export const secondsUntil = (at: Date, now: Date): number =>
  Math.max(1, Math.ceil((at.getTime() - now.getTime()) / 1000));

export const addDays = (at: Date, days: number): Date =>
  new Date(at.getTime() + days * DAY_SECONDS * 1000);

/** The latest due date (China date) the statutory limit allows for a referral dispatched at `start`. */
export const statutoryLatestDueDate = (
  start: Date,
  config: Pick<DeadlineConfig, 'statutoryLimitDays' | 'statutoryMaxDays'>,
  extended = false,
): string =>
  chinaDateOf(addDays(start, extended ? config.statutoryMaxDays : config.statutoryLimitDays));

/**
 * Checks a requested extension: the new due date must lie after the current one and not past
 * the statutory maximum counted from dispatch. Returns the problem, or undefined when allowed.
 */
export const checkExtension = (
  input: { dispatchedAt: Date; currentDueDate: string; requestedDueDate: string },
  config: Pick<DeadlineConfig, 'statutoryLimitDays' | 'statutoryMaxDays'>,
): string | undefined => {
  const latest = statutoryLatestDueDate(input.dispatchedAt, config, true);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.requestedDueDate)) return 'must be a date (YYYY-MM-DD)';
  if (input.requestedDueDate <= input.currentDueDate) {
    return `must be after the current due date (${input.currentDueDate})`;
  }
  if (input.requestedDueDate > latest) {
    return `must not be after ${latest} (statutory limit of ${config.statutoryMaxDays} days)`;
  }
  return undefined;
};

/** What CheckDeadlines has to do now, and when it must look again. */
export type DeadlinePlan =
  | { action: 'REMIND'; offsetSeconds: number; nextCheckpoint: Date }
  | { action: 'ESCALATE'; nextCheckpoint: Date }
  | { action: 'NONE'; nextCheckpoint: Date };

/**
 * Plans a deadline check. Reminders are due `offset` seconds before `due`; only those whose
 * instant lies after `roundStartedAt` (the email went out) count, and of those that have passed
 * only the latest one is sent (a check that comes late never sends a stale reminder too).
 * At or after `due`, the referral is escalated once (`escalated` says it was, for this `due`);
 * afterwards it is re-checked every `recheckSeconds`.
 */
export const planDeadlineCheck = (input: {
  now: Date;
  due: Date;
  roundStartedAt: Date;
  reminderSecondsBefore: readonly number[];
  remindersSent: readonly number[];
  escalated: boolean;
  recheckSeconds: number;
}): DeadlinePlan => {
  const { now, due } = input;
  if (now.getTime() >= due.getTime()) {
    const nextCheckpoint = new Date(now.getTime() + input.recheckSeconds * 1000);
    return input.escalated
      ? { action: 'NONE', nextCheckpoint }
      : { action: 'ESCALATE', nextCheckpoint };
  }
  const instants = input.reminderSecondsBefore
    .map((offsetSeconds) => ({ offsetSeconds, at: due.getTime() - offsetSeconds * 1000 }))
    .filter(({ at }) => at > input.roundStartedAt.getTime());
  const future = instants.filter(({ at }) => at > now.getTime()).map(({ at }) => at);
  const nextCheckpoint = new Date(Math.min(due.getTime(), ...future));
  const passed = instants.filter(({ at }) => at <= now.getTime()).sort((a, b) => b.at - a.at)[0];
  if (passed && !input.remindersSent.includes(passed.offsetSeconds)) {
    return { action: 'REMIND', offsetSeconds: passed.offsetSeconds, nextCheckpoint };
  }
  return { action: 'NONE', nextCheckpoint };
};
