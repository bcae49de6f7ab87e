import type { ApiOperation } from '../shared/openapi/types.js';
import { approvedReviewSchema, reviewViewSchema, MAX_DECISIONS_PER_REQUEST } from './schemas.js';
import * as routes from './routes.js';

const reviewChange = {
  200: '{activity, findings, referrals, approval}: the review after the change',
  404: 'unknown activity',
  409: 'not in review, or already approved',
};

/** The review (主任会议): decisions per finding, referrals' committees and due dates, approval. */
export const REVIEW_OPERATIONS: readonly ApiOperation[] = [
  {
    ...routes.getReviewRoute,
    responseBody: reviewViewSchema,
    summary:
      'The review: findings, draft referrals, unrouted flags, decisions, what blocks approval',
    responses: {
      200: '{activity, findings, referrals, approval: {ready, undecided, incomplete}}',
      404: 'unknown activity',
      422: 'path',
    },
  },
  {
    ...routes.decideFindingsRoute,
    responseBody: reviewViewSchema,
    summary: 'Decide findings: REFER, MERGE, ANSWER_DIRECTLY or NO_ACTION, each with a reason',
    description: `At most ${MAX_DECISIONS_PER_REQUEST} decisions a request, applied in order; if any is invalid (unknown finding or department, merge cycles, ...) nothing changes and every invalid one is named (422). MERGE puts the finding into the referral of the finding it joins and it moves with that finding from then on, so the department sees it, its raiser is told and may rate, and its duty record counts it. A draft referral left without findings is removed.`,
    responses: { ...reviewChange, 422: 'body, or invalid decisions (each named)' },
  },
  {
    ...routes.updateReferralRoute,
    responseBody: reviewViewSchema,
    summary:
      "Set a draft referral's supervising committee (督办工委) and due date; move findings into it",
    responses: {
      ...reviewChange,
      409: 'not in review, already approved, or not a referral of this review',
      422: 'body: unknown or inactive committee, due date not after today (China time) or beyond a year',
    },
  },
  {
    ...routes.approveReviewRoute,
    responseBody: approvedReviewSchema,
    summary: 'Approve the review: referrals APPROVED, the workflow dispatches them',
    description:
      'Refused (409) while a finding needing referral is undecided or a referral lacks a committee or a due date. Nothing is emailed to departments before approval.',
    responses: {
      200: '{activityId, approvedReferrals, endedAt}',
      404: 'unknown activity',
      409: 'not ready (undecided findings, incomplete referrals), not in review, or already approved',
      422: 'path',
    },
  },
];
