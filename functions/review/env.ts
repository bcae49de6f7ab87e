import { tableEnvSchema } from '../shared/env-fields.js';

// Imported by the CDK app to type each function's `environment` (z.input<typeof schema>):
// zod only, no side effects.

export const getReviewEnvSchema = tableEnvSchema;

export const decideFindingsEnvSchema = tableEnvSchema;

export const updateReferralEnvSchema = tableEnvSchema;

/** Approval ends the REVIEW step with the stored task token (SendTaskSuccess). */
export const approveReviewEnvSchema = tableEnvSchema;
