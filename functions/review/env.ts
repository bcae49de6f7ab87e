import * as z from 'zod/mini';

// Imported by the CDK app to type each function's `environment` (z.input<typeof schema>):
// zod only, no side effects.

const tableName = z.string().check(z.trim(), z.minLength(1));

export const getReviewEnvSchema = z.object({ TABLE_NAME: tableName });

export const decideFindingsEnvSchema = z.object({ TABLE_NAME: tableName });

export const updateReferralEnvSchema = z.object({ TABLE_NAME: tableName });

/** Approval ends the REVIEW step with the stored task token (SendTaskSuccess). */
export const approveReviewEnvSchema = z.object({ TABLE_NAME: tableName });
