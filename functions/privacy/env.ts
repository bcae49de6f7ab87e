import * as z from 'zod/mini';
import { residentLookupEnv, tableEnv, tableEnvSchema } from '../shared/env-fields.js';

// Imported by the CDK app to type each function's `environment` (z.input<typeof schema>):
// zod only, no side effects.

/** `POST /residents/findings/search` and `.../export`: the lookup key files names by HMAC. */
export const residentFindingsEnvSchema = z.object({ ...tableEnv, ...residentLookupEnv });

/** `POST /activities/{activityId}/findings/{findingId}/resident/erasure`. */
export const eraseResidentEnvSchema = tableEnvSchema;

/** The scheduled retention job. */
export const eraseDueResidentsEnvSchema = tableEnvSchema;

/**
 * Steps after which a resident's retention may start (a referral closed, an activity
 * completed): `RESIDENT_RETENTION` is the ISO 8601 duration (default P6M, functions/privacy/
 * retention.ts).
 */
export const residentRetentionEnv = {
  RESIDENT_RETENTION: z.optional(z.string().check(z.trim(), z.minLength(2))),
};
