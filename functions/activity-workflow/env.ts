import * as z from 'zod/mini';

// Imported by the CDK app to type each function's `environment` (z.input<typeof schema>):
// zod only, no side effects.

const tableName = z.string().check(z.trim(), z.minLength(1));

export const sendInvitationsEnvSchema = z.object({
  TABLE_NAME: tableName,
  SENDER_EMAIL: z.email({ message: 'must be an email address' }),
  SES_CONFIGURATION_SET: z.string().check(z.trim(), z.minLength(1)),
  /** The secret (ARN) of the key that signs the deputies' personal links. */
  LINK_SIGNING_SECRET_ARN: z.string().check(z.trim(), z.minLength(1)),
  /** Origin of the deputies' pages (the API's URL). */
  PUBLIC_BASE_URL: z.optional(z.url()),
});

export const awaitPhaseEnvSchema = z.object({ TABLE_NAME: tableName });

export const openCheckInEnvSchema = z.object({ TABLE_NAME: tableName });

export const recordFailureEnvSchema = z.object({ TABLE_NAME: tableName });

export const closeAttendanceEnvSchema = z.object({ TABLE_NAME: tableName });

export type SendInvitationsEnv = z.output<typeof sendInvitationsEnvSchema>;

// --- findings, triage, dispatch, completion (issue 3) ---

export const closeFindingsEnvSchema = z.object({ TABLE_NAME: tableName });

export const triageEnvSchema = z.object({ TABLE_NAME: tableName });

export const dispatchReferralsEnvSchema = z.object({
  TABLE_NAME: tableName,
  REFERRAL_STATE_MACHINE_ARN: z.string().check(
    z.regex(/^arn:[\w-]+:states:[\w-]+:\d{12}:stateMachine:[\w-]{1,80}$/, {
      message: 'must be a Step Functions state machine ARN',
    }),
  ),
});

export const completeActivityEnvSchema = z.object({ TABLE_NAME: tableName });
