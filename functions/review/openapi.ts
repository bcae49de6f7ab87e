import type { ApiOperation } from '../shared/openapi/types.js';
import {
  approvedReviewSchema,
  reviewViewSchema,
  activityPathSchema,
  decisionsBodySchema,
  MAX_DECISIONS_PER_REQUEST,
  referralPathSchema,
  updateReferralBodySchema,
} from './schemas.js';

const reviewChange = {
  200: '{activity, findings, referrals, approval}: the review after the change',
  404: 'unknown activity',
  409: 'not in review, or already approved',
};

/** The review (主任会议): decisions per finding, referrals' committees and due dates, approval. */
export const REVIEW_OPERATIONS: readonly ApiOperation[] = [
  {
    route: 'GET /activities/{activityId}/review',
    responseBody: reviewViewSchema,
    summary:
      'The review: findings, draft referrals, unrouted flags, decisions, what blocks approval',
    roles: ['organiser', 'auditor'],
    rolesNote: "auditors without residents' details",
    path: activityPathSchema,
    responses: {
      200: '{activity, findings, referrals, approval: {ready, undecided, incomplete}}',
      404: 'unknown activity',
      422: 'path',
    },
  },
  {
    route: 'POST /activities/{activityId}/review/decisions',
    responseBody: reviewViewSchema,
    summary: 'Decide findings: REFER, MERGE, ANSWER_DIRECTLY or NO_ACTION, each with a reason',
    description: `At most ${MAX_DECISIONS_PER_REQUEST} decisions a request, applied in order; if any is invalid (unknown finding or department, merge cycles, ...) nothing changes and every invalid one is named (422). MERGE puts the finding into the referral of the finding it joins and it moves with that finding from then on, so the department sees it, its raiser is told and may rate, and its duty record counts it. A draft referral left without findings is removed.`,
    roles: ['organiser'],
    path: activityPathSchema,
    body: decisionsBodySchema,
    responses: { ...reviewChange, 422: 'body, or invalid decisions (each named)' },
  },
  {
    route: 'POST /activities/{activityId}/review/referrals/{referralId}',
    responseBody: reviewViewSchema,
    summary:
      "Set a draft referral's supervising committee (督办工委) and due date; move findings into it",
    roles: ['organiser'],
    path: referralPathSchema,
    body: updateReferralBodySchema,
    responses: {
      ...reviewChange,
      409: 'not in review, already approved, or not a referral of this review',
      422: 'body: unknown or inactive committee, due date not after today (China time) or beyond a year',
    },
  },
  {
    route: 'POST /activities/{activityId}/review/approve',
    responseBody: approvedReviewSchema,
    summary: 'Approve the review: referrals APPROVED, the workflow dispatches them',
    description:
      'Refused (409) while a finding needing referral is undecided or a referral lacks a committee or a due date. Nothing is emailed to departments before approval.',
    roles: ['organiser'],
    path: activityPathSchema,
    responses: {
      200: '{activityId, approvedReferrals, endedAt}',
      404: 'unknown activity',
      409: 'not ready (undecided findings, incomplete referrals), not in review, or already approved',
      422: 'path',
    },
  },
];
