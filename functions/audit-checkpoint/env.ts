import * as z from 'zod/mini';

// Imported by the CDK app to type each function's `environment` (z.input<typeof schema>):
// zod only, no side effects.

const nonEmpty = z.string().check(z.trim(), z.minLength(1));

/** The checkpoint job: the table, the signing key (ARN) and the Object Lock bucket. */
export const auditCheckpointEnvSchema = z.object({
  TABLE_NAME: nonEmpty,
  CHECKPOINT_KEY_ID: nonEmpty,
  CHECKPOINT_BUCKET: nonEmpty,
});

export type AuditCheckpointEnv = z.output<typeof auditCheckpointEnvSchema>;
