import { z } from 'zod';

// Imported by the CDK app to type each function's `environment` (z.input<typeof schema>):
// zod only, no side effects.

const tableName = z.string().trim().min(1);

export const sendInvitationsEnvSchema = z.object({
  TABLE_NAME: tableName,
  SENDER_EMAIL: z.email({ message: 'must be an email address' }),
  SES_CONFIGURATION_SET: z.string().trim().min(1),
});

export const awaitPhaseEnvSchema = z.object({ TABLE_NAME: tableName });

export const openCheckInEnvSchema = z.object({ TABLE_NAME: tableName });

export const recordFailureEnvSchema = z.object({ TABLE_NAME: tableName });

export type SendInvitationsEnv = z.output<typeof sendInvitationsEnvSchema>;
