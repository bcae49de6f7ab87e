import type { SFNClient } from '@aws-sdk/client-sfn';
import { referralListingOf } from '../referrals/listing.js';
import { keys } from '../shared/data/keys.js';
import { MAX_TRANSACTION_ITEMS, withConflictRetry } from '../shared/data/transact.js';
import { ConflictError, ValidationError } from '../shared/errors.js';
import type { Caller } from '../shared/http/auth.js';
import { clock, type TableDeps } from '../shared/domain/deps.js';
import { endHumanStep } from '../shared/workflow/phase-control.js';
import { toFindingView, toReferralView } from '../findings/model.js';
import {
  assertOrganiserFor,
  changeActivity,
  getActiveFlags,
  hasStatus,
  isOrganiserFor,
  statusOf,
  type ActivityRecord,
  type TransactItem,
} from '../findings/store.js';
import { listFindings } from '../shared/data/findings.js';
import {
  applyDecisions,
  applyReferralUpdate,
  checkApproval,
  type ApprovalCheck,
  type ReviewChanges,
  type ReviewState,
} from './decisions.js';
import type { z } from 'zod/mini';
import type {
  approvedReviewSchema,
  DecisionInput,
  reviewViewSchema,
  UpdateReferralBody,
} from './schemas.js';
import { loadActivity } from '../shared/data/activities.js';
import { type ReferralItem, getReferrals } from '../shared/data/referrals.js';

export type ReviewDeps = TableDeps;

/**
 * Reads the activity (the chain head) first, then its findings and their referrals: every
 * review change is conditional on the head, so what was read after it is what the change acts
 * on, or the change fails and is retried.
 */
export const loadReviewState = async (
  deps: ReviewDeps,
  activityId: string,
): Promise<{ activity: ActivityRecord; state: ReviewState }> => {
  const activity = await loadActivity<ActivityRecord>(deps, activityId);
  const findings = await listFindings(deps, activityId);
  const referralIds = findings.map((f) => f.referralId).filter((id): id is string => !!id);
  const referrals = await getReferrals(deps, [
    ...referralIds,
    ...(activity.approvedReferralIds ?? []),
  ]);
  return {
    activity,
    state: {
      activityId,
      findings: new Map(findings.map((finding) => [finding.id, finding])),
      referrals,
    },
  };
};

export type ReviewView = z.output<typeof reviewViewSchema>;

/** `GET .../review`: findings with their draft referrals, unrouted flags and decisions. */
export const readReview = async (
  deps: ReviewDeps,
  activityId: string,
  caller: Caller,
): Promise<ReviewView> => {
  const { activity, state } = await loadReviewState(deps, activityId);
  if (!isOrganiserFor(caller, activity) && !caller.roles.includes('auditor')) {
    assertOrganiserFor(caller, activity);
  }
  const full = isOrganiserFor(caller, activity);
  return {
    activity: {
      id: activity.id,
      status: activity.status,
      phase: activity.phase,
      ...(activity.reviewApprovedAt ? { reviewApprovedAt: activity.reviewApprovedAt } : {}),
    },
    findings: [...state.findings.values()].map((f) => toFindingView(f, { full, sub: caller.sub })),
    referrals: [...state.referrals.values()]
      .sort((a, b) => (a.departmentId < b.departmentId ? -1 : 1))
      .map(toReferralView),
    approval: checkApproval(state),
  };
};

/** Review changes are allowed while the activity is in review and not yet approved. */
const assertReviewOpen = (activity: ActivityRecord) => {
  if (activity.reviewApprovedAt) {
    throw new ConflictError(`The review of activity ${activity.id} is already approved`);
  }
  if (!hasStatus(activity, 'IN_REVIEW')) {
    throw new ConflictError(
      `Activity ${activity.id} is not in review (status ${statusOf(activity)})`,
    );
  }
};

/**
 * A referral as the review writes it: with its activity's street (a street organiser's 督办
 * list shows only its street's referrals) and its listing entry, which follows the committee
 * and due date the review sets.
 */
const listedReferral = (referral: ReferralItem, activity: Pick<ActivityRecord, 'street'>) => ({
  ...referral,
  street: activity.street,
  ...referralListingOf(referral),
});

/** The transaction entries of a review change (findings and referrals are replaced whole). */
const changeItems = (
  tableName: string,
  changes: ReviewChanges,
  activity: Pick<ActivityRecord, 'street'>,
): TransactItem[] => [
  ...changes.findings.map((finding) => ({
    Put: { TableName: tableName, Item: finding, ConditionExpression: 'attribute_exists(pk)' },
  })),
  ...changes.referrals.map((referral) => ({
    Put: { TableName: tableName, Item: listedReferral(referral, activity) },
  })),
  ...changes.deletedReferralIds.map((id) => ({
    Delete: { TableName: tableName, Key: keys.referral(id) },
  })),
];

const assertFits = (items: readonly TransactItem[]) => {
  if (items.length + 2 > MAX_TRANSACTION_ITEMS) {
    throw new ValidationError(
      `This request changes ${items.length} items; one request may change at most ${
        MAX_TRANSACTION_ITEMS - 2
      }: send fewer decisions at a time`,
    );
  }
};

const referralSummary = (referrals: readonly ReferralItem[]) =>
  referrals.map((r) => ({
    referralId: r.id,
    departmentId: r.departmentId,
    findingIds: r.findingIds,
    ...(r.committeeId ? { committeeId: r.committeeId } : {}),
    ...(r.dueDate ? { dueDate: r.dueDate } : {}),
  }));

/** `POST .../review/decisions`: applies the decisions with one chained audit event. */
export const decideFindings = async (
  deps: ReviewDeps,
  activityId: string,
  decisions: readonly DecisionInput[],
  caller: Caller,
): Promise<ReviewView> => {
  const departmentIds = decisions.flatMap((d) => (d.decision === 'REFER' ? [d.departmentId] : []));
  const departments = await getActiveFlags(deps, 'department', departmentIds);
  return changeReview(deps, activityId, caller, ({ activity, state }, now) => {
    const changes = applyDecisions(state, decisions, {
      actor: caller.sub,
      at: now.toISOString(),
      departments,
    });
    return {
      action: 'REVIEW_DECISIONS_RECORDED',
      before: { status: activity.status },
      after: { decisions: decisions.map((d) => ({ ...d })) },
      changes,
    };
  });
};

/**
 * One organiser's change of the open review: the review read (the activity first), `decide`
 * applies the change at `now`, and the findings and referrals it changed are written with one
 * chained audit event (its `after` ends with the referrals as they are then), conditional on
 * the review still open; retried whole on a lost race. Answers the review as it is then.
 */
const changeReview = async (
  deps: ReviewDeps,
  activityId: string,
  caller: Caller,
  decide: (
    review: Awaited<ReturnType<typeof loadReviewState>>,
    now: Date,
  ) => {
    action: string;
    before: Record<string, unknown>;
    after: Record<string, unknown>;
    changes: ReviewChanges;
  },
): Promise<ReviewView> => {
  await withConflictRetry(async () => {
    const review = await loadReviewState(deps, activityId);
    const { activity } = review;
    assertOrganiserFor(caller, activity);
    assertReviewOpen(activity);
    const now = clock(deps);
    const { action, before, after, changes } = decide(review, now);
    const items = changeItems(deps.tableName, changes, activity);
    assertFits(items);
    await changeActivity(
      deps,
      activity,
      {
        actor: caller.sub,
        action,
        before,
        after: {
          ...after,
          referrals: referralSummary(changes.referrals),
          deletedReferralIds: changes.deletedReferralIds,
        },
        change: { condition: statusIs('IN_REVIEW') },
        items,
      },
      now.toISOString(),
    );
  });
  return readReview(deps, activityId, caller);
};

const statusIs = (status: string) => ({
  expression: '#expectedStatus = :expectedStatus AND attribute_not_exists(#approvedAt)',
  names: { '#expectedStatus': 'status', '#approvedAt': 'reviewApprovedAt' },
  values: { ':expectedStatus': status },
});

/**
 * `POST .../review/referrals/{referralId}`: sets the supervising committee and due date of a
 * draft referral and moves findings into it.
 */
export const updateReferral = async (
  deps: ReviewDeps,
  activityId: string,
  referralId: string,
  update: UpdateReferralBody,
  caller: Caller,
): Promise<ReviewView> => {
  const committees = update.committeeId
    ? await getActiveFlags(deps, 'committee', [update.committeeId])
    : new Map<string, boolean>();
  return changeReview(deps, activityId, caller, ({ state }, now) => {
    const changes = applyReferralUpdate(state, referralId, update, {
      actor: caller.sub,
      at: now.toISOString(),
      departments: new Map(),
      committees,
      now,
    });
    return {
      action: 'REFERRAL_UPDATED',
      before: { referral: referralSummary([state.referrals.get(referralId)!])[0] ?? null },
      after: {
        referralId,
        ...(update.committeeId ? { committeeId: update.committeeId } : {}),
        ...(update.dueDate ? { dueDate: update.dueDate } : {}),
        ...(update.moveFindingIds
          ? { movedFindingIds: update.moveFindingIds, reason: update.reason ?? null }
          : {}),
      },
      changes,
    };
  });
};

const describeProblems = (check: ApprovalCheck): string => {
  const parts: string[] = [];
  if (check.undecided.length > 0) {
    parts.push(
      `${check.undecided.length} findings needing referral are undecided (${check.undecided
        .slice(0, 10)
        .join(', ')}${check.undecided.length > 10 ? ', …' : ''})`,
    );
  }
  for (const entry of check.incomplete.slice(0, 10)) {
    parts.push(`referral ${entry.referralId} lacks ${entry.missing.join(' and ')}`);
  }
  if (check.incomplete.length > 10)
    parts.push(`and ${check.incomplete.length - 10} more referrals`);
  return parts.join('; ');
};

/**
 * `POST .../review/approve`: 409 unless every finding needing referral is decided and every
 * referral has a committee and a due date; then the referrals are APPROVED (one transaction
 * with the chained REVIEW_APPROVED event) and the REVIEW step ends, so the workflow dispatches.
 * Nothing is emailed before this. A retry after the approval was stored only ends the step.
 */
export const approveReview = async (
  deps: ReviewDeps & { sfn: SFNClient },
  activityId: string,
  caller: Caller,
): Promise<z.output<typeof approvedReviewSchema>> => {
  const approved = await withConflictRetry(async () => {
    const { activity, state } = await loadReviewState(deps, activityId);
    assertOrganiserFor(caller, activity);
    if (activity.reviewApprovedAt) return activity.approvedReferralIds?.length ?? 0;
    assertReviewOpen(activity);
    if (activity.pendingTask?.phase !== 'REVIEW') {
      throw new ConflictError(
        `Activity ${activityId} is not waiting for REVIEW: it is in phase ${activity.phase}`,
      );
    }
    const check = checkApproval(state);
    if (!check.ready) {
      throw new ConflictError(`The review cannot be approved yet: ${describeProblems(check)}`);
    }
    const at = clock(deps).toISOString();
    const referrals = [...state.referrals.values()]
      .filter((referral) => referral.findingIds.length > 0)
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    if (referrals.length + 2 > MAX_TRANSACTION_ITEMS) {
      throw new ValidationError(
        `An activity may have at most ${MAX_TRANSACTION_ITEMS - 2} referrals to approve`,
      );
    }
    await changeActivity(
      deps,
      activity,
      {
        actor: caller.sub,
        action: 'REVIEW_APPROVED',
        before: { status: activity.status },
        after: { referrals: referralSummary(referrals) },
        change: {
          set: { reviewApprovedAt: at, approvedReferralIds: referrals.map((r) => r.id) },
          condition: statusIs('IN_REVIEW'),
        },
        items: referrals.map((referral) => ({
          Put: {
            TableName: deps.tableName,
            Item: {
              ...listedReferral(referral, activity),
              status: 'APPROVED',
              approvedAt: at,
              approvedBy: caller.sub,
              updatedAt: at,
            },
            ConditionExpression: '#status = :draft',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':draft': 'DRAFT' },
          },
        })),
      },
      at,
    );
    return referrals.length;
  });
  const ended = await endHumanStep(deps, {
    activityId,
    phase: 'REVIEW',
    actor: caller.sub,
    authorize: (activity) => assertOrganiserFor(caller, activity),
  });
  return { activityId, approvedReferrals: approved, endedAt: ended.endedAt };
};
