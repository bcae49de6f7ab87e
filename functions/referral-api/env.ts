import * as z from 'zod/mini';
import { referralDeadlineEnv } from '../shared/domain/deadline-env.js';
import { stateMachineArn, tableEnv, tableEnvSchema } from '../shared/env-fields.js';

// Imported by the CDK app to type each function's `environment` (z.input<typeof schema>):
// zod only, no side effects.

/** `GET /referrals/{referralId}`: reads only. */
export const getReferralEnvSchema = tableEnvSchema;

/**
 * Reroute, extension decision, committee closure, redrive. The referral deadline settings
 * (functions/shared/domain/deadline-env.ts) bound a granted extension: the CDK app gives this
 * function the same set as the referral workflow's.
 */
export const referralActionsEnvSchema = z.object({
  ...tableEnv,
  /** The referral workflow: a redrive names its execution (execution name = referral id). */
  REFERRAL_STATE_MACHINE_ARN: stateMachineArn,
  ...referralDeadlineEnv,
});

/** `GET /referrals`: Queries of the listing and ownership indexes only. */
export const listReferralsEnvSchema = tableEnvSchema;
