import * as z from 'zod/mini';
import { referralDeadlineEnv } from '../shared/domain/deadline-env.js';

// Imported by the CDK app to type each function's `environment` (z.input<typeof schema>):
// zod only, no side effects.

const tableName = z.string().check(z.trim(), z.minLength(1));

/** `GET /referrals/{referralId}`: reads only. */
export const getReferralEnvSchema = z.object({ TABLE_NAME: tableName });

/**
 * Reroute, extension decision, committee closure, redrive. The referral deadline settings
 * (functions/shared/domain/deadline-env.ts) bound a granted extension: the CDK app gives this
 * function the same set as the referral workflow's.
 */
export const referralActionsEnvSchema = z.object({
  TABLE_NAME: tableName,
  /** The referral workflow: a redrive names its execution (execution name = referral id). */
  REFERRAL_STATE_MACHINE_ARN: z.string().check(
    z.regex(/^arn:[\w-]+:states:[\w-]+:\d{12}:stateMachine:[\w-]{1,80}$/, {
      message: 'must be a Step Functions state machine ARN',
    }),
  ),
  ...referralDeadlineEnv,
});

/** `GET /referrals`: Queries of the listing and ownership indexes only. */
export const listReferralsEnvSchema = z.object({ TABLE_NAME: tableName });
