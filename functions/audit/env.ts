import * as z from 'zod/mini';
import { nonBlank, tableEnv, tableEnvSchema } from '../shared/env-fields.js';

// Imported by the CDK app to type each function's `environment` (z.input<typeof schema>):
// zod only, no side effects.

export const listAuditActivitiesEnvSchema = tableEnvSchema;
/** The trail and `/verify`: the table, and the checkpoint key whose public half `/verify` reads. */
export const readAuditTrailEnvSchema = z.object({
  ...tableEnv,
  CHECKPOINT_KEY_ID: nonBlank,
});
