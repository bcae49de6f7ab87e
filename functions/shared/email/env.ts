import * as z from 'zod/mini';

// Imported by the CDK app through the areas' env.ts: zod only, no side effects.

/** The environment of every function that sends email: its sender and SES configuration set. */
export const emailEnv = {
  SENDER_EMAIL: z.email({ message: 'must be an email address' }),
  SES_CONFIGURATION_SET: z.string().check(z.trim(), z.minLength(1)),
};

export type EmailEnv = z.output<z.ZodMiniObject<typeof emailEnv>>;
