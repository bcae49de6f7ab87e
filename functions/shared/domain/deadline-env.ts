import * as z from 'zod/mini';

// Imported by the CDK app (through the areas' env.ts and the referral constructs): zod only, no
// side effects. The values are parsed by ./deadlines.ts (`deadlineConfig`).

const days = z.string().check(z.regex(/^\d{1,4}$/, { message: 'must be a whole number of days' }));
const reminderDays = z.string().check(
  z.regex(/^(none|\s*\d+(\.\d+)?\s*(,\s*\d+(\.\d+)?\s*)*)$/, {
    message: 'must list days, e.g. 7,1 (or none)',
  }),
);

/**
 * The referral deadline settings, one set for every function that computes a due date or a
 * reminder: the referral workflow's steps and the organisers' referral actions (a granted
 * extension is bounded by the same statutory limits the workflow set the due date by).
 */
export const referralDeadlineEnv = {
  /** Days before the due date a reminder goes out (default `7,1`; `none`). */
  REMINDER_DAYS_BEFORE: z.optional(reminderDays),
  /** Days from dispatch a due date may be set to (default 90). */
  STATUTORY_LIMIT_DAYS: z.optional(days),
  /** Days from dispatch an extension may reach (default 180). */
  STATUTORY_MAX_DAYS: z.optional(days),
};

/** The settings as the CDK app gives them (each absent one keeps its default). */
export interface ReferralDeadlineSettings {
  readonly reminderDaysBefore?: string;
  readonly statutoryLimitDays?: number;
  readonly statutoryMaxDays?: number;
}

/** The functions' environment for `settings`: only what is set. */
export const referralDeadlineEnvironment = (
  settings: ReferralDeadlineSettings = {},
): z.input<z.ZodMiniObject<typeof referralDeadlineEnv>> => ({
  ...(settings.reminderDaysBefore !== undefined
    ? { REMINDER_DAYS_BEFORE: settings.reminderDaysBefore }
    : {}),
  ...(settings.statutoryLimitDays !== undefined
    ? { STATUTORY_LIMIT_DAYS: String(settings.statutoryLimitDays) }
    : {}),
  ...(settings.statutoryMaxDays !== undefined
    ? { STATUTORY_MAX_DAYS: String(settings.statutoryMaxDays) }
    : {}),
});
