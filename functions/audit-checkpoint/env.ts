import * as z from 'zod/mini';
import { nonBlank, tableEnv } from '../shared/env-fields.js';

// Imported by the CDK app to type each function's `environment` (z.input<typeof schema>):
// zod only, no side effects.

/** The checkpoint job: the table, the signing key (ARN) and the Object Lock bucket. */
export const auditCheckpointEnvSchema = z.object({
  ...tableEnv,
  CHECKPOINT_KEY_ID: nonBlank,
  CHECKPOINT_BUCKET: nonBlank,
});
