import * as z from 'zod/mini';

// Imported by the CDK app to type each function's `environment` (z.input<typeof schema>):
// zod only, no side effects.

const tableName = z.string().check(z.trim(), z.minLength(1));

export const listAuditActivitiesEnvSchema = z.object({ TABLE_NAME: tableName });
/** The trail and `/verify`: the table, and the checkpoint key whose public half `/verify` reads. */
export const readAuditTrailEnvSchema = z.object({
  TABLE_NAME: tableName,
  CHECKPOINT_KEY_ID: z.string().check(z.trim(), z.minLength(1)),
});

export type ListAuditActivitiesEnv = z.output<typeof listAuditActivitiesEnvSchema>;
export type ReadAuditTrailEnv = z.output<typeof readAuditTrailEnvSchema>;
