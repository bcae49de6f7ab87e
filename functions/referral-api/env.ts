import * as z from 'zod/mini';

// Imported by the CDK app to type each function's `environment` (z.input<typeof schema>):
// zod only, no side effects.

const tableName = z.string().check(z.trim(), z.minLength(1));
const days = z.string().check(z.regex(/^\d{1,4}$/, { message: 'must be a whole number of days' }));

/** `GET /referrals/{referralId}`: reads only. */
export const getReferralEnvSchema = z.object({ TABLE_NAME: tableName });

/**
 * Reroute, extension decision, committee closure, redrive. `STATUTORY_LIMIT_DAYS` /
 * `STATUTORY_MAX_DAYS` (defaults 90 / 180, parsed by functions/shared/domain/deadlines.ts) bound
 * a granted extension; give them the same values as the referral workflow's functions.
 */
export const referralActionsEnvSchema = z.object({
  TABLE_NAME: tableName,
  /** The referral workflow: a redrive names its execution (execution name = referral id). */
  REFERRAL_STATE_MACHINE_ARN: z.string().check(
    z.regex(/^arn:[\w-]+:states:[\w-]+:\d{12}:stateMachine:[\w-]{1,80}$/, {
      message: 'must be a Step Functions state machine ARN',
    }),
  ),
  STATUTORY_LIMIT_DAYS: z.optional(days),
  STATUTORY_MAX_DAYS: z.optional(days),
});

/** `GET /referrals`: Queries of the listing and ownership indexes only. */
export const listReferralsEnvSchema = z.object({ TABLE_NAME: tableName });
