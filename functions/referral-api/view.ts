import type { ActivityItem } from '../shared/data/items.js';
import type { FindingItem } from '../shared/data/findings.js';
import type { ReferralItem, RoutingEntry } from '../shared/data/referrals.js';
import { departmentFindingOf } from '../shared/domain/finding-fields.js';
import { causeWithoutTrace } from '../shared/workflow/failure-cause.js';
import { toReferralListItem } from './list.js';
import type { ReferralView } from './schemas.js';
import { fieldsOrNull, presentFields } from '../shared/domain/fields.js';

/** The routing history, starting with the first department when nothing was re-routed yet. */
export const routingOf = (referral: ReferralItem): RoutingEntry[] =>
  referral.routing && referral.routing.length > 0
    ? referral.routing
    : [
        {
          departmentId: referral.departmentId,
          at: referral.dispatchedAt ?? referral.createdAt,
          by: 'workflow',
        },
      ];

type Reply = ReferralView['reply'] & object;

const replyOf = (reply: Record<string, unknown>): Reply => ({
  round: reply.round as number,
  departmentId: reply.departmentId as string,
  result: reply.result as Reply['result'],
  text: reply.text as string,
  at: reply.at as string,
});

/**
 * The public view of a stored referral (`GET /referrals/{referralId}`): each field named here,
 * so what the workflow keeps for itself — the table's and its indexes' keys, the task token,
 * email message ids, the deputies' rating links, reminder offsets — never leaves the server,
 * and a field a later step adds stays private until it is named here and in its schema.
 * `findings` are the referral's own, as its department reads them (never who raised them).
 */
export const referralViewOf = (
  referral: ReferralItem,
  related: { activity: ActivityItem | undefined; findings: readonly FindingItem[]; now: Date },
): ReferralView => {
  // What the 督办 list says of it (due, overdue, what it waits on), said the same way here.
  const listed = toReferralListItem(referral, related.now);
  const { activity, findings } = related;
  const pending = referral.pendingTask;
  const failure = referral.failure;
  const extension = referral.extensionRequest;
  return {
    id: referral.id,
    activity: activity
      ? {
          id: activity.id,
          title: activity.title,
          street: activity.street,
          ...(activity.type ? { type: activity.type } : {}),
          ...(activity.startsAt ? { startsAt: activity.startsAt } : {}),
        }
      : null,
    activityId: referral.activityId,
    findings: findings
      .filter((finding) => referral.findingIds.includes(finding.id))
      .map((finding) => {
        const { description, category, place } = departmentFindingOf(finding);
        return { id: finding.id, kind: finding.kind, category, description, place };
      }),
    findingIds: referral.findingIds,
    departmentId: referral.departmentId,
    committeeId: listed.committeeId,
    street: listed.street,
    status: referral.status,
    round: listed.round,
    dueDate: listed.dueDate,
    dueAt: listed.dueAt,
    overdue: listed.overdue,
    waitingOn: listed.waitingOn,
    // Which step waits, since when: never its task token.
    pendingTask: pending
      ? { phase: pending.phase, since: pending.since, deadline: pending.deadline ?? null }
      : null,
    createdAt: referral.createdAt,
    updatedAt: referral.updatedAt,
    ...fieldsOrNull(referral, [
      'approvedAt',
      'dispatchedAt',
      'acknowledgedAt',
      'repliedAt',
      'overdueAt',
      'closedAt',
    ]),
    routing: routingOf(referral).map(({ departmentId, at, by, reason }) => ({
      departmentId,
      at,
      by,
      ...(reason === undefined ? {} : { reason }),
    })),
    emails: (referral.emails ?? []).map(({ round, departmentId, departmentLevel, at }) => ({
      round,
      departmentId,
      ...(departmentLevel === undefined ? {} : { departmentLevel }),
      at,
    })),
    reminders: (referral.reminders ?? []).map(({ round, due: dueOf, at }) => ({
      round,
      due: dueOf,
      at,
    })),
    escalation: referral.escalation
      ? {
          round: referral.escalation.round,
          due: referral.escalation.due,
          at: referral.escalation.at,
          recipients: referral.escalation.recipients,
        }
      : null,
    returned: referral.returned
      ? {
          round: referral.returned.round,
          departmentId: referral.returned.departmentId,
          reason: referral.returned.reason,
          at: referral.returned.at,
        }
      : null,
    reply: referral.reply ? replyOf({ ...referral.reply }) : null,
    previousReplies: (referral.previousReplies ?? []).map(replyOf),
    extensionRequest: extension
      ? {
          round: extension.round,
          days: extension.days,
          reason: extension.reason,
          requestedAt: extension.requestedAt,
          status: extension.status,
          ...presentFields(extension, ['decidedAt', 'decidedBy', 'decisionReason', 'newDueDate']),
        }
      : null,
    feedback: referral.feedback
      ? {
          round: referral.feedback.round,
          emailed: referral.feedback.emailed,
          at: referral.feedback.at,
          ratingDeadline: referral.feedback.ratingDeadline,
        }
      : null,
    reopenCount: referral.reopenCount ?? 0,
    committeeClosure: referral.committeeClosure
      ? {
          by: referral.committeeClosure.by,
          reason: referral.committeeClosure.reason,
          at: referral.committeeClosure.at,
          round: referral.committeeClosure.round,
        }
      : null,
    outcome: referral.outcome
      ? {
          status: referral.outcome.status,
          result: referral.outcome.result,
          answeredAt: referral.outcome.answeredAt,
          answeredOnTime: referral.outcome.answeredOnTime,
          reopened: referral.outcome.reopened,
          rounds: referral.outcome.rounds,
          ratings: { ...referral.outcome.ratings },
        }
      : null,
    // Failures recorded before causes were cleaned may still hold a trace: cleaned when read.
    failure: failure
      ? {
          error: failure.error,
          cause: causeWithoutTrace(failure.cause),
          at: failure.at,
          ...(failure.requestId ? { requestId: failure.requestId } : {}),
        }
      : null,
    auditSeq: referral.auditSeq,
    auditHash: referral.auditHash,
  };
};
