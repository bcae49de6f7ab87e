import { tableEnvSchema } from '../shared/env-fields.js';

// Imported by the CDK app to type each function's `environment` (z.input<typeof schema>):
// zod only, no side effects.

/** The campaign routes (functions/campaigns/handler.ts): one function serves them. */
export const campaignsEnvSchema = tableEnvSchema;
