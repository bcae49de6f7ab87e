import * as z from 'zod/mini';
import { emailEnv } from '../shared/email/env.js';
import { residentRetentionEnv } from '../privacy/env.js';
import {
  emailedLinksEnv,
  stateMachineArn,
  tableEnv,
  tableEnvSchema,
} from '../shared/env-fields.js';

// Imported by the CDK app to type each function's `environment` (z.input<typeof schema>):
// zod only, no side effects.

/** Invitations carry the deputies' personal page links. */
export const sendInvitationsEnvSchema = z.object({
  ...tableEnv,
  ...emailEnv,
  ...emailedLinksEnv,
});

export const awaitPhaseEnvSchema = tableEnvSchema;

export const openCheckInEnvSchema = tableEnvSchema;

export const recordFailureEnvSchema = tableEnvSchema;

export const closeAttendanceEnvSchema = tableEnvSchema;

// --- findings, triage, dispatch, completion (issue 3) ---

export const closeFindingsEnvSchema = tableEnvSchema;

export const triageEnvSchema = tableEnvSchema;

export const dispatchReferralsEnvSchema = z.object({
  ...tableEnv,
  REFERRAL_STATE_MACHINE_ARN: stateMachineArn,
});

/** `RESIDENT_RETENTION`: residents no referral carries start their retention at completion. */
export const completeActivityEnvSchema = z.object({
  ...tableEnv,
  ...residentRetentionEnv,
});

// --- the wait for the start: reminders and change notices ---

/** PlanStart: `REMINDER_LEAD_SECONDS` before the start the reminder goes out (default 24 h). */
export const planStartEnvSchema = z.object({
  ...tableEnv,
  REMINDER_LEAD_SECONDS: z._default(
    z.coerce.number().check(z.int(), z.minimum(60), z.maximum(30 * 86_400)),
    24 * 3600,
  ),
});

/** SendReminders and SendChangeNotices email invitees through the at-most-once path. */
export const activityNoticesEnvSchema = z.object({ ...tableEnv, ...emailEnv });

/** SendChangeNotices also invites deputies added by a change: with their personal page link. */
export const changeNoticesEnvSchema = z.object({
  ...activityNoticesEnvSchema.shape,
  ...emailedLinksEnv,
});
