import * as z from 'zod/mini';
import { referralDeadlineEnv } from '../shared/domain/deadline-env.js';
import { emailEnv } from '../shared/email/env.js';
import { residentRetentionEnv } from '../privacy/env.js';

// Imported by the CDK app to type each function's `environment` (z.input<typeof schema>):
// zod only, no side effects. Deadline variables are parsed by shared/domain/deadlines.ts.

const tableName = z.string().check(z.trim(), z.minLength(1));
const days = z.string().check(z.regex(/^\d+$/, { message: 'must be a whole number of days' }));

const links = {
  /** ARN (or name) of the Secrets Manager secret that signs response and rating links. */
  LINK_SIGNING_SECRET_ARN: z.string().check(z.trim(), z.minLength(1)),
  /** Base URL of the public pages (`https://…`, no trailing slash needed). */
  PUBLIC_BASE_URL: z.optional(z.url()),
};

export const sendReferralEmailEnvSchema = z.object({
  TABLE_NAME: tableName,
  ...emailEnv,
  ...links,
  ...referralDeadlineEnv,
});

export const awaitReferralEnvSchema = z.object({ TABLE_NAME: tableName });

export const checkReferralDeadlinesEnvSchema = z.object({
  TABLE_NAME: tableName,
  ...emailEnv,
  ...referralDeadlineEnv,
  /** Comma-separated addresses of the organisers (standing committee office) for escalations. */
  ORGANISER_EMAILS: z.optional(z.string()),
  /** Days between re-checks of an overdue referral (default 7). */
  OVERDUE_RECHECK_DAYS: z.optional(days),
});

export const sendReferralFeedbackEnvSchema = z.object({
  TABLE_NAME: tableName,
  ...emailEnv,
  ...links,
  /** Days the raisers have to rate the reply (default 14). */
  RATING_DAYS: z.optional(days),
});

export const reopenReferralEnvSchema = z.object({
  TABLE_NAME: tableName,
  ...referralDeadlineEnv,
  /** Days the department has for the re-handling after a reopening (default 30). */
  REOPEN_DUE_DAYS: z.optional(days),
});

/** `RESIDENT_RETENTION`: the residents' retention starts when their last referral closes. */
export const closeReferralEnvSchema = z.object({
  TABLE_NAME: tableName,
  ...residentRetentionEnv,
});

export const recordReferralFailureEnvSchema = z.object({ TABLE_NAME: tableName });

export type SendReferralEmailEnv = z.output<typeof sendReferralEmailEnvSchema>;
export type CheckReferralDeadlinesEnv = z.output<typeof checkReferralDeadlinesEnvSchema>;
export type SendReferralFeedbackEnv = z.output<typeof sendReferralFeedbackEnvSchema>;
