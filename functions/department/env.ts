import * as z from 'zod/mini';

// Imported by the CDK app to type each function's `environment` (z.input<typeof schema>):
// zod only, no side effects.

/**
 * The response and rating pages: the table, and the ARN of the Secrets Manager secret holding
 * the link signing key (read with Powertools Parameters, cached; functions/shared/secrets.ts).
 */
export const linkPageEnvSchema = z.object({
  TABLE_NAME: z.string().check(z.trim(), z.minLength(1)),
  LINK_SIGNING_SECRET_ARN: z.string().check(z.trim(), z.minLength(1)),
});

export type LinkPageEnv = z.output<typeof linkPageEnvSchema>;
