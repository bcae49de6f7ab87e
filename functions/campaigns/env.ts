import * as z from 'zod/mini';

// Imported by the CDK app to type each function's `environment` (z.input<typeof schema>):
// zod only, no side effects.

const tableName = z.string().check(z.trim(), z.minLength(1));

/** The campaign routes (functions/campaigns/handler.ts): one function serves them. */
export const campaignsEnvSchema = z.object({ TABLE_NAME: tableName });
