import * as z from 'zod/mini';
import { referralDeadlineEnv } from '../shared/domain/deadline-env.js';
import { emailEnv } from '../shared/email/env.js';
import { residentRetentionEnv } from '../privacy/env.js';
import { emailedLinksEnv, tableEnv, tableEnvSchema } from '../shared/env-fields.js';

// Imported by the CDK app to type each function's `environment` (z.input<typeof schema>):
// zod only, no side effects. Deadline variables are parsed by shared/domain/deadlines.ts.

const days = z.string().check(z.regex(/^\d+$/, { message: 'must be a whole number of days' }));

export const sendReferralEmailEnvSchema = z.object({
  ...tableEnv,
  ...emailEnv,
  ...emailedLinksEnv,
  ...referralDeadlineEnv,
});

export const awaitReferralEnvSchema = tableEnvSchema;

export const checkReferralDeadlinesEnvSchema = z.object({
  ...tableEnv,
  ...emailEnv,
  ...referralDeadlineEnv,
  /** Comma-separated addresses of the organisers (standing committee office) for escalations. */
  ORGANISER_EMAILS: z.optional(z.string()),
  /** Days between re-checks of an overdue referral (default 7). */
  OVERDUE_RECHECK_DAYS: z.optional(days),
});

export const sendReferralFeedbackEnvSchema = z.object({
  ...tableEnv,
  ...emailEnv,
  ...emailedLinksEnv,
  /** Days the raisers have to rate the reply (default 14). */
  RATING_DAYS: z.optional(days),
});

export const reopenReferralEnvSchema = z.object({
  ...tableEnv,
  ...referralDeadlineEnv,
  /** Days the department has for the re-handling after a reopening (default 30). */
  REOPEN_DUE_DAYS: z.optional(days),
});

/** `RESIDENT_RETENTION`: the residents' retention starts when their last referral closes. */
export const closeReferralEnvSchema = z.object({
  ...tableEnv,
  ...residentRetentionEnv,
});

export const recordReferralFailureEnvSchema = tableEnvSchema;
