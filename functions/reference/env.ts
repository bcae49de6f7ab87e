import * as z from 'zod/mini';
import { emailEnv } from '../shared/email/env.js';

// Imported by the CDK app to type each function's `environment` (z.input<typeof schema>):
// zod only, no side effects.

const tableName = z.string().check(z.trim(), z.minLength(1));

export const readReferenceEnvSchema = z.object({ TABLE_NAME: tableName });
export const writeReferenceEnvSchema = z.object({
  TABLE_NAME: tableName,
  /** Sender of the notice to a department's previous addresses when they change. */
  ...emailEnv,
});
export const importDeputiesEnvSchema = z.object({ TABLE_NAME: tableName });

export type ReadReferenceEnv = z.output<typeof readReferenceEnvSchema>;
export type WriteReferenceEnv = z.output<typeof writeReferenceEnvSchema>;
export type ImportDeputiesEnv = z.output<typeof importDeputiesEnvSchema>;
