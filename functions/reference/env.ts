import * as z from 'zod/mini';
import { emailEnv } from '../shared/email/env.js';
import { tableEnv, tableEnvSchema } from '../shared/env-fields.js';

// Imported by the CDK app to type each function's `environment` (z.input<typeof schema>):
// zod only, no side effects.

export const readReferenceEnvSchema = tableEnvSchema;
export const writeReferenceEnvSchema = z.object({
  ...tableEnv,
  /** Sender of the notice to a department's previous addresses when they change. */
  ...emailEnv,
});
export const importDeputiesEnvSchema = tableEnvSchema;
