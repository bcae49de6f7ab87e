import * as z from 'zod/mini';
import { emailEnv } from '../shared/email/env.js';
import { residentRetentionEnv } from '../privacy/env.js';

// Imported by the CDK app to type each function's `environment` (z.input<typeof schema>):
// zod only, no side effects.

const tableName = z.string().check(z.trim(), z.minLength(1));

export const sendInvitationsEnvSchema = z.object({
  TABLE_NAME: tableName,
  ...emailEnv,
  /** The secret (ARN) of the key that signs the deputies' personal links. */
  LINK_SIGNING_SECRET_ARN: z.string().check(z.trim(), z.minLength(1)),
  /** Origin of the deputies' pages (the API's URL). */
  PUBLIC_BASE_URL: z.optional(z.url()),
});

export const awaitPhaseEnvSchema = z.object({ TABLE_NAME: tableName });

export const openCheckInEnvSchema = z.object({ TABLE_NAME: tableName });

export const recordFailureEnvSchema = z.object({ TABLE_NAME: tableName });

export const closeAttendanceEnvSchema = z.object({ TABLE_NAME: tableName });

export type SendInvitationsEnv = z.output<typeof sendInvitationsEnvSchema>;

// --- findings, triage, dispatch, completion (issue 3) ---

export const closeFindingsEnvSchema = z.object({ TABLE_NAME: tableName });

export const triageEnvSchema = z.object({ TABLE_NAME: tableName });

export const dispatchReferralsEnvSchema = z.object({
  TABLE_NAME: tableName,
  REFERRAL_STATE_MACHINE_ARN: z.string().check(
    z.regex(/^arn:[\w-]+:states:[\w-]+:\d{12}:stateMachine:[\w-]{1,80}$/, {
      message: 'must be a Step Functions state machine ARN',
    }),
  ),
});

/** `RESIDENT_RETENTION`: residents no referral carries start their retention at completion. */
export const completeActivityEnvSchema = z.object({
  TABLE_NAME: tableName,
  ...residentRetentionEnv,
});

// --- the wait for the start: reminders and change notices ---

/** PlanStart: `REMINDER_LEAD_SECONDS` before the start the reminder goes out (default 24 h). */
export const planStartEnvSchema = z.object({
  TABLE_NAME: tableName,
  REMINDER_LEAD_SECONDS: z._default(
    z.coerce.number().check(z.int(), z.minimum(60), z.maximum(30 * 86_400)),
    24 * 3600,
  ),
});

/** SendReminders and SendChangeNotices email invitees through the at-most-once path. */
export const activityNoticesEnvSchema = z.object({
  TABLE_NAME: tableName,
  ...emailEnv,
});

/** SendChangeNotices also invites deputies added by a change: with their personal page link. */
export const changeNoticesEnvSchema = z.object({
  ...activityNoticesEnvSchema.shape,
  LINK_SIGNING_SECRET_ARN: z.string().check(z.trim(), z.minLength(1)),
  PUBLIC_BASE_URL: z.optional(z.url()),
});
