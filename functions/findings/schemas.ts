import * as z from 'zod/mini';
import { pure } from '../shared/pure.js';
import { findingContentShape } from '../shared/domain/finding-fields.js';
import { REFERRAL_STATUS_CODES } from '../shared/data/referrals.js';

export { activityId, activityPathSchema } from '../shared/http/path-schemas.js';
export {
  findingId,
  residentSchema,
  recordFindingBodySchema,
  type RecordFindingBody,
} from './record-schemas.js';

/** Headers the recording route reads: the one definition, re-exported for its routes. */
export { idempotencyHeadersSchema } from '../shared/http/idempotency-key.js';

// --- Answers (issue 15): FindingView and ReferralView are `z.output` of these ---------------

const decisionBase = /* @__PURE__ */ pure(() => ({
  reason: z.string(),
  decidedBy: z.string(),
  decidedAt: z.string(),
}));

/** What the chairmen's meeting decided for a finding. */
export const findingDecisionSchema = /* @__PURE__ */ pure(() =>
  z.discriminatedUnion('type', [
    z.object({ ...decisionBase, type: z.literal('REFER'), departmentId: z.string() }),
    z.object({ ...decisionBase, type: z.literal('MERGE'), intoFindingId: z.string() }),
    z.object({ ...decisionBase, type: z.literal('ANSWER_DIRECTLY'), answer: z.string() }),
    z.object({ ...decisionBase, type: z.literal('NO_ACTION') }),
  ]),
);

/**
 * A finding as the API shows it. The resident's name and contact only for organisers and the
 * finding's author; anyone else learns only that a resident raised it (`consentToContact`).
 */
export const findingViewSchema = /* @__PURE__ */ pure(() =>
  z.object({
    id: z.string(),
    activityId: z.string(),
    ...findingContentShape,
    raisedBy: z.object({
      deputyId: z.optional(z.string()),
      resident: z.optional(
        z.object({
          name: z.optional(z.string()),
          contact: z.optional(z.string()),
          consentToContact: z.boolean(),
        }),
      ),
    }),
    /** Cognito `sub` of whoever recorded it. */
    recordedBy: z.string(),
    recordedAt: z.string(),
    /** The draft (later approved) referral that lists it. */
    referralId: z.optional(z.string()),
    /** Triage found no routing rule (or only an inactive department) for it. */
    unrouted: z.optional(z.literal(true)),
    decision: z.optional(findingDecisionSchema),
    /** When the resident's name and contact were erased. */
    residentErasedAt: z.optional(z.string()),
  }),
);

export { REFERRAL_STATUS_CODES } from '../shared/data/referrals.js';

/** A referral of an activity's review, as the API shows it. */
export const reviewReferralViewSchema = /* @__PURE__ */ pure(() =>
  z.object({
    id: z.string(),
    activityId: z.string(),
    departmentId: z.string(),
    findingIds: z.array(z.string()),
    committeeId: z.optional(z.string()),
    /** `YYYY-MM-DD` (China time). */
    dueDate: z.optional(z.string()),
    status: z.enum(REFERRAL_STATUS_CODES),
    executionArn: z.optional(z.string()),
    approvedAt: z.optional(z.string()),
    dispatchedAt: z.optional(z.string()),
  }),
);

/** `201` of `POST /activities/{activityId}/findings`. */
export const findingAnswerSchema = /* @__PURE__ */ pure(() =>
  z.object({ finding: findingViewSchema }),
);
/** `200` of `GET /activities/{activityId}/findings`. */
export const findingListSchema = /* @__PURE__ */ pure(() =>
  z.object({ findings: z.array(findingViewSchema) }),
);
