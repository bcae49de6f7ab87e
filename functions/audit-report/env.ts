import * as z from 'zod/mini';
import { emailEnv } from '../shared/email/env.js';
import { tableEnv, tableEnvSchema } from '../shared/env-fields.js';

// Imported by the CDK app to type each function's `environment` (z.input<typeof schema>):
// zod only, no side effects.

/** `GET /audit/activities/{activityId}/report`: reads only. */
export const activityReportEnvSchema = tableEnvSchema;

/** State `SendActivityReport`: reads the report, emails it (claims in the table). */
export const sendActivityReportEnvSchema = z.object({
  ...tableEnv,
  ...emailEnv,
  /**
   * Comma-separated organiser office mailboxes (the standing committee office), filled the
   * way the referral escalation's `ORGANISER_EMAILS` is. Empty: the report is not emailed.
   */
  ORGANISER_EMAILS: z.optional(z.string()),
});
