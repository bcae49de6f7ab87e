import * as z from 'zod/mini';
import { pure } from '../shared/pure.js';
import { referralId } from '../shared/http/path-schemas.js';
import { REFERRAL_PHASES } from '../shared/data/referrals.js';

// Workflow inputs are parsed leniently (unknown keys stripped): the state machine carries
// fields a step does not use. Payloads hold the referral id and numbers (and outcome codes).

export const referralStepInputSchema = /* @__PURE__ */ pure(() => z.object({ referralId }));

export const awaitReferralInputSchema = /* @__PURE__ */ pure(() =>
  z.object({
    referralId,
    phase: z.enum(REFERRAL_PHASES),
    taskToken: z.string().check(z.minLength(1), z.maxLength(8192)),
  }),
);

export const closeReferralInputSchema = /* @__PURE__ */ pure(() =>
  z.object({
    referralId,
    /** `$.decision` of the last human step: CLOSED_BY_COMMITTEE closes on the committee's word. */
    decision: z.optional(
      z.object({
        outcome: z.optional(z.string().check(z.maxLength(40))),
      }),
    ),
  }),
);

export type ReferralStepInput = z.output<typeof referralStepInputSchema>;
export type AwaitReferralInput = z.output<typeof awaitReferralInputSchema>;
export type CloseReferralInput = z.output<typeof closeReferralInputSchema>;
/** What RecordReferralFailure records (as RecordFailureInput of the activity workflow). */
export interface RecordReferralFailureInput {
  referralId: string;
  error: { Error: string; Cause: string };
  /** The recorder's invocation, whose log line holds the full cause. */
  requestId?: string;
}
