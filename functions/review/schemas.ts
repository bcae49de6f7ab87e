import * as z from 'zod/mini';
import { pure } from '../shared/pure.js';
import {
  activityId,
  findingId,
  findingViewSchema,
  reviewReferralViewSchema,
} from '../findings/schemas.js';
import { referenceId } from '../shared/reference-ids.js';

export { activityPathSchema } from '../findings/schemas.js';

const reason = /* @__PURE__ */ pure(() =>
  z.string().check(z.trim(), z.minLength(1), z.maxLength(1000)),
);

export const MAX_DECISIONS_PER_REQUEST = 50;

export const decisionSchema = /* @__PURE__ */ pure(() =>
  z.discriminatedUnion('decision', [
    z.strictObject({
      findingId,
      decision: z.literal('REFER'),
      departmentId: referenceId('department'),
      reason,
    }),
    z.strictObject({
      findingId,
      decision: z.literal('MERGE'),
      intoFindingId: findingId,
      reason,
    }),
    z.strictObject({
      findingId,
      decision: z.literal('ANSWER_DIRECTLY'),
      answer: z.string().check(z.trim(), z.minLength(1), z.maxLength(4000)),
      reason,
    }),
    z.strictObject({ findingId, decision: z.literal('NO_ACTION'), reason }),
  ]),
);

export type DecisionInput = z.output<typeof decisionSchema>;

/** Body of `POST /activities/{activityId}/review/decisions`. */
export const decisionsBodySchema = /* @__PURE__ */ pure(() =>
  z.strictObject({
    decisions: z
      .array(decisionSchema)
      .check(z.minLength(1), z.maxLength(MAX_DECISIONS_PER_REQUEST)),
  }),
);

export type DecisionsBody = z.output<typeof decisionsBodySchema>;

export const referralPathSchema = /* @__PURE__ */ pure(() =>
  z.strictObject({
    activityId,
    referralId: z
      .string()
      .check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, { message: 'must be a referral id' })),
  }),
);

/** Body of `POST /activities/{activityId}/review/referrals/{referralId}`. */
export const updateReferralBodySchema = /* @__PURE__ */ pure(() =>
  z
    .strictObject({
      committeeId: z.optional(referenceId('committee')),
      /** The day the department must have answered by (China Standard Time). */
      dueDate: z.optional(z.iso.date({ message: 'must be a date such as 2020-09-30' })),
      /** Findings to move into this referral from wherever they are. */
      moveFindingIds: z.optional(
        z.array(findingId).check(z.minLength(1), z.maxLength(MAX_DECISIONS_PER_REQUEST)),
      ),
      /** Why the findings are moved (required with moveFindingIds). */
      reason: z.optional(reason),
    })
    .check(
      z.superRefine((body, context) => {
        if (!body.committeeId && !body.dueDate && !body.moveFindingIds) {
          context.addIssue({
            code: 'custom',
            path: [],
            message: 'set committeeId, dueDate or moveFindingIds',
          });
        }
        if (body.moveFindingIds && !body.reason) {
          context.addIssue({
            code: 'custom',
            path: ['reason'],
            message: 'required when moving findings',
          });
        }
      }),
    ),
);

export type UpdateReferralBody = z.output<typeof updateReferralBodySchema>;

// --- Answers (issue 15): ReviewView and ApprovalCheck are `z.output` of these ---------------

/** Whether the review may be approved, and what still stops it. */
export const approvalCheckSchema = /* @__PURE__ */ pure(() =>
  z.object({
    ready: z.boolean(),
    /** Findings needing referral that are neither decided nor in a referral. */
    undecided: z.array(z.string()),
    /** Referrals without a supervising committee or a due date. */
    incomplete: z.array(
      z.object({
        referralId: z.string(),
        missing: z.array(z.enum(['committeeId', 'dueDate'])),
      }),
    ),
  }),
);

/** The review (主任会议) of an activity: findings, draft referrals, what approval waits for. */
export const reviewViewSchema = /* @__PURE__ */ pure(() =>
  z.object({
    activity: z.object({
      id: z.string(),
      status: z.string(),
      phase: z.string(),
      reviewApprovedAt: z.optional(z.string()),
    }),
    findings: z.array(findingViewSchema),
    referrals: z.array(reviewReferralViewSchema),
    approval: approvalCheckSchema,
  }),
);

/** `200` of `POST /activities/{activityId}/review/approve`. */
export const approvedReviewSchema = /* @__PURE__ */ pure(() =>
  z.object({
    activityId: z.string(),
    approvedReferrals: z.number(),
    endedAt: z.string(),
  }),
);
