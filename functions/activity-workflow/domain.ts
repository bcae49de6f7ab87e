import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { getActivity, loadActivity } from '../shared/data/activities.js';
import { getInvitation, listInvitations } from '../shared/data/invitations.js';
import type { ActivityFailure, ActivityItem, InvitationItem } from '../shared/data/items.js';
import { keys } from '../shared/data/keys.js';
import { clock, type TableDeps } from '../shared/domain/deps.js';
import { withConflictRetry } from '../shared/data/transact.js';
import { endedActivityPuts } from '../audit/listing.js';
import { FINAL_STATUSES } from '../shared/domain/reference.js';
import { renderInvitationEmail } from '../shared/email/invitation.js';
import { type SendEmailOnceDeps } from '../shared/email/send-once.js';
import { deputyLinkExpiryOf, deputyPageUrl } from '../shared/domain/deputy-links.js';
import { createDeputyLink, MAX_LINK_TTL_SECONDS, tokenOfLink } from '../shared/data/links.js';
import { AppError, ConflictError, NotFoundError, TransientError } from '../shared/errors.js';
import type { ActivityRecord } from '../activities/view.js';
import { failureForOrganisers } from '../shared/workflow/failure-cause.js';
import {
  listInvitationResponseAuditRecords,
  sealOfInvitationResponseRecords,
} from '../attendance/statistics.js';
import {
  attendanceDeadlineOf,
  findingsDeadlineOf,
  secondsUntilDeadline,
} from './attendance-steps.js';
import type { AwaitPhaseInput, RecordFailureInput } from './schemas.js';
import type { EmailSenderDeps } from '../shared/email/deps.js';
import {
  assertNotFinal,
  changeActivity,
  changeActivityOnce,
  listingFor,
} from './activity-state.js';
import {
  emailPendingInvitees,
  type InviteeEmailKind,
  type RenderInviteeEmail,
} from './invitee-email.js';

/** AwaitStart was planned for an older revision of the activity: the workflow plans again. */
export class RescheduledError extends AppError {
  override readonly name = 'RescheduledError';
  readonly statusCode = 409;
}

/** Stop taking new invitations when less than this remains of the invocation. */
const TIME_RESERVE_MS = 20_000;

export type WorkflowDeps = TableDeps;

export { WORKFLOW_ACTOR } from '../shared/workflow/actor.js';
export { assertNotFinal, changeActivity, listingFor } from './activity-state.js';

export { clock };

// --- SendInvitations ---------------------------------------------------------------------

/** The email path's tuning (retries, backoff) passes through to sendEmailOnce. */
export interface SendInvitationsDeps
  extends
    WorkflowDeps,
    EmailSenderDeps,
    Pick<SendEmailOnceDeps, 'maxAttempts' | 'baseDelayMs' | 'maxDelayMs' | 'sleep'> {
  /** The key that signs the deputies' personal links (functions/shared/data/links.ts). */
  signingKey: () => Promise<string>;
  /** Origin of the deputies' pages, e.g. the API's URL. */
  publicBaseUrl: string;
  /** Milliseconds left in this invocation (Lambda context); stops early to leave a reserve. */
  remainingMs?: () => number;
  concurrency?: number;
}

export interface SendInvitationsResult {
  activityId: string;
  secondsUntilStart: number;
}

/**
 * Seconds from now until the activity starts, for `TimeoutSecondsPath` of the AwaitStart
 * state. At least 1: Step Functions requires a positive integer there, and a start time that
 * has already passed should end the wait at once.
 */
export const secondsUntil = (startsAt: string, now: Date): number =>
  Math.max(1, Math.floor((Date.parse(startsAt) - now.getTime()) / 1000));

/**
 * Emails every invited deputy who has not been emailed yet, then marks the activity
 * INVITATIONS_SENT with its audit event.
 *
 * Each deputy gets exactly one email however often the step is retried or redriven: each goes
 * through the at-most-once path (functions/shared/email/send-once.ts, claim key
 * `INVITATION#<activityId>#<deputyId>`, which also lets bounces be marked), carrying the
 * deputy's personal page link (issued once, kept on the invitation); the SES message id is then
 * copied to the invitation, and invitations with one are skipped. A send SES refused for now
 * fails the step with TransientError, so the state machine retries and only the rest are sent.
 */
export const sendInvitations = async (
  deps: SendInvitationsDeps,
  activityId: string,
): Promise<SendInvitationsResult & { sentNow: number; failed: number }> => {
  const activity = await loadActivity(deps, activityId);
  assertNotFinal(activity);
  const result = (sentNow = 0, failed = 0) => ({
    activityId,
    secondsUntilStart: secondsUntil(activity.startsAt, clock(deps)),
    sentNow,
    failed,
  });
  if (activity.status !== 'SCHEDULED' && activity.status !== 'FAILED') {
    // Already past this step (a retry after success, or a redrive): nothing to do.
    return result();
  }

  const outcomes = await emailPendingInvitees(
    deps,
    INVITATION_EMAIL,
    activity,
    renderInvitation(deps, activity),
    () => deps.remainingMs !== undefined && deps.remainingMs() < TIME_RESERVE_MS,
  );
  if (outcomes.outOfTime) {
    throw new TransientError('Time budget used up; the retry sends the rest');
  }

  // Re-read rather than trust our tally: another attempt may have finished claims we saw busy.
  const final = await listInvitations(deps, activityId);
  const sent = final.filter((item) => item.emailMessageId).length;
  const failed = final.filter((item) => !item.emailMessageId && item.emailFailure).length;
  const unsent = final.length - sent - failed;
  if (unsent > 0) {
    throw new TransientError(`${unsent} invitations are still being sent by another attempt`);
  }

  await withConflictRetry(async () => {
    const current = await loadActivity(deps, activityId);
    if (current.status !== 'SCHEDULED' && current.status !== 'FAILED') return;
    assertNotFinal(current);
    await changeActivity(
      deps,
      current,
      {
        set: {
          status: 'INVITATIONS_SENT',
          emailsSent: sent,
          emailFailures: failed,
          ...listingFor(current, 'INVITATIONS_SENT'),
        },
        remove: ['failure'],
        condition: {
          expression: '#expectedStatus = :expectedStatus',
          names: { '#expectedStatus': 'status' },
          values: { ':expectedStatus': current.status },
        },
      },
      {
        action: 'INVITATIONS_SENT',
        before: { status: current.status },
        after: {
          status: 'INVITATIONS_SENT',
          counts: { invited: final.length, sent, failed, sentNow: outcomes.sent },
        },
      },
      clock(deps).toISOString(),
    );
  });
  return result(outcomes.sent, failed);
};

/** The invitation email: its claim, its calendar request, its outcome on the invitation. */
const INVITATION_EMAIL: InviteeEmailKind = {
  purpose: 'INVITATION',
  claimKey: keys.invitationEmailClaimKey,
  calendar: { method: 'REQUEST' },
  fields: { messageId: 'emailMessageId', sentAt: 'emailSentAt', failure: 'emailFailure' },
  activeOnly: true,
};

/** The invitation email, carrying the deputy's personal page link (issued once). */
const renderInvitation =
  (deps: SendInvitationsDeps, activity: ActivityItem): RenderInviteeEmail =>
  async (invitation, deputy, language, jurisdiction) => {
    const link = await deputyPageLinkOf(deps, await deps.signingKey(), activity, invitation);
    return renderInvitationEmail(
      activity as ActivityItem & { details?: Record<string, unknown> },
      deputy,
      deputyPageUrl(deps.publicBaseUrl, link.token),
      language,
      jurisdiction,
    );
  };

/**
 * The deputy's page link of this invitation: issued once and kept on the invitation (its id and
 * expiry, not the token), so a retried step emails the same link and a page can show it again.
 */
export const deputyPageLinkOf = async (
  deps: WorkflowDeps,
  secret: string,
  activity: ActivityItem,
  invitation: InvitationItem,
): Promise<{ token: string }> => {
  const stored = invitation.pageLink;
  if (stored) return { token: tokenOfLink(secret, stored.linkId, stored.expiresAt) };
  const now = clock(deps);
  const expiresAt = deputyLinkExpiryOf(findingsDeadlineOf(activity as ActivityRecord));
  const created = await createDeputyLink(deps, secret, {
    purpose: 'DEPUTY_ACTIVITY',
    deputyId: invitation.deputyId,
    activityId: activity.id,
    ttlSeconds: Math.min(
      MAX_LINK_TTL_SECONDS,
      Math.max(60, Math.floor((Date.parse(expiresAt) - now.getTime()) / 1000)),
    ),
  });
  try {
    await deps.db.send(
      new UpdateCommand({
        TableName: deps.tableName,
        Key: keys.invitation(activity.id, invitation.deputyId),
        UpdateExpression: 'SET pageLink = :link',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(pageLink)',
        ExpressionAttributeValues: {
          ':link': { linkId: created.linkId, expiresAt: created.expiresAt },
        },
      }),
    );
    return created;
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    // A concurrent attempt stored its link first: email that one.
    const current = await getInvitation(deps, activity.id, invitation.deputyId);
    if (!current?.pageLink) throw new NotFoundError(`Invitation ${invitation.deputyId} vanished`);
    return { token: tokenOfLink(secret, current.pageLink.linkId, current.pageLink.expiresAt) };
  }
};

// --- AwaitPhase --------------------------------------------------------------------------

/**
 * Stores the task token of a human step on the activity (server-side: links and pages only
 * ever carry opaque ids) with its audit event. Called again with the same token, it changes
 * nothing. The token itself is kept out of the audit event, which auditors can read.
 */
export const awaitPhase = (deps: WorkflowDeps, input: AwaitPhaseInput): Promise<object> =>
  changeActivityOnce(deps, input.activityId, {
    doneAnswer: (activity) => (activity.pendingTask?.token === input.taskToken ? {} : undefined),
    change: async (activity) => {
      // The start wait was planned from `input.revision`: a change since then moves it, so the
      // workflow plans again (the state catches RescheduledError) rather than wait for old times.
      const planned = input.revision;
      if (planned !== undefined && (activity.revision ?? 0) !== planned) {
        throw new RescheduledError(
          `Activity ${activity.id} changed (revision ${activity.revision ?? 0}, planned ${planned})`,
        );
      }

      const since = clock(deps).toISOString();
      const deadline = input.deadline ?? defaultDeadlineOf(activity as ActivityRecord, input.phase);
      const pendingTask = {
        phase: input.phase,
        token: input.taskToken,
        since,
        ...(deadline ? { deadline } : {}),
        ...(planned !== undefined ? { revision: planned } : {}),
      };
      await changeActivity(
        deps,
        activity,
        {
          set: { pendingTask, phase: input.phase },
          // Written only if no change came in between: a change after this write finds the
          // token and ends the wait itself (PATCH /activities/{id}).
          ...(planned !== undefined
            ? {
                condition: {
                  expression:
                    planned === 0
                      ? 'attribute_not_exists(#revision) OR #revision = :planned'
                      : '#revision = :planned',
                  names: { '#revision': 'revision' },
                  values: { ':planned': planned },
                },
              }
            : {}),
        },
        {
          action: `AWAITING_${input.phase}`,
          before: { phase: activity.phase, pendingPhase: activity.pendingTask?.phase ?? null },
          after: { phase: input.phase, since, deadline: deadline ?? null },
        },
        since,
      );
      return {};
    },
  });

// --- OpenCheckIn -------------------------------------------------------------------------

/**
 * When a human step ends by itself, for the `deadline` shown with the pending task: the start
 * time, the attendance deadline, the findings deadline; REVIEW has none.
 */
const defaultDeadlineOf = (activity: ActivityRecord, phase: string): string | undefined => {
  if (phase === 'START') return activity.startsAt;
  if (phase === 'ATTENDANCE') return attendanceDeadlineOf(activity);
  if (phase === 'FINDINGS') return findingsDeadlineOf(activity);
  return undefined;
};

export interface OpenCheckInResult {
  activityId: string;
  /** For `TimeoutSecondsPath` of AwaitAttendanceClose: ≥ 1. */
  secondsUntilAttendanceDeadline: number;
}

/**
 * State `OpenCheckIn`, in two chained steps so that no invitation response can slip between
 * the seal and the opening:
 *
 * 1. `CHECK_IN_OPENED`: status → CHECK_IN_OPEN, pending START task cleared. Responses are
 *    conditional (ConditionCheck) on the status they read, before check-in, so once this
 *    commits no response record can be added.
 * 2. `INVITATION_RESPONSES_SEALED`: reads every `AUDIT_RESPONSE#*` record and stores their seal
 *    (count + SHA-256 digest in key order, as for check-ins) on the activity, conditional on no
 *    seal existing yet.
 *
 * A retry after success changes nothing; a retry after step 1 only seals. Returns the seconds
 * until attendance closes by itself (`attendanceClosesAt`, else `endsAt`).
 */
export const openCheckIn = async (
  deps: WorkflowDeps,
  activityId: string,
): Promise<OpenCheckInResult> => {
  const result = await withConflictRetry(async () => {
    const activity = await loadActivity(deps, activityId);
    const result = {
      activityId,
      secondsUntilAttendanceDeadline: secondsUntilDeadline(
        attendanceDeadlineOf(activity as ActivityRecord),
        clock(deps),
      ),
    };
    if (activity.status === 'CHECK_IN_OPEN') return result;
    assertNotFinal(activity);
    if (activity.status !== 'INVITATIONS_SENT' && activity.status !== 'FAILED') {
      throw new ConflictError(`Activity ${activityId} is ${activity.status}: cannot open check-in`);
    }
    const at = clock(deps).toISOString();
    await changeActivity(
      deps,
      activity,
      {
        set: {
          status: 'CHECK_IN_OPEN',
          phase: 'CHECK_IN',
          checkInOpenedAt: at,
          ...listingFor(activity, 'CHECK_IN_OPEN'),
        },
        remove: ['pendingTask', 'failure'],
      },
      {
        action: 'CHECK_IN_OPENED',
        before: { status: activity.status, phase: activity.phase },
        after: { status: 'CHECK_IN_OPEN', phase: 'CHECK_IN' },
      },
      at,
    );
    return result;
  });
  await sealInvitationResponses(deps, activityId);
  return result;
};

/** Step 2 of {@link openCheckIn}: one chained event sealing the invitation response records. */
const sealInvitationResponses = async (deps: WorkflowDeps, activityId: string): Promise<void> =>
  withConflictRetry(async () => {
    const activity = (await loadActivity(deps, activityId)) as ActivityItem & {
      invitationResponsesSeal?: unknown;
    };
    if (activity.invitationResponsesSeal) return;
    if (activity.status !== 'CHECK_IN_OPEN') {
      throw new ConflictError(
        `Activity ${activityId} is ${activity.status}: cannot seal the invitation responses`,
      );
    }
    const at = clock(deps).toISOString();
    const records = await listInvitationResponseAuditRecords(deps, activityId);
    const seal = { ...sealOfInvitationResponseRecords(records), sealedAt: at };
    await changeActivity(
      deps,
      activity,
      {
        set: { invitationResponsesSeal: seal },
        condition: {
          expression: 'attribute_not_exists(#seal) AND #expectedStatus = :expectedStatus',
          names: { '#seal': 'invitationResponsesSeal', '#expectedStatus': 'status' },
          values: { ':expectedStatus': 'CHECK_IN_OPEN' },
        },
      },
      {
        action: 'INVITATION_RESPONSES_SEALED',
        before: { status: activity.status },
        after: { status: activity.status, seal: { count: seal.count, digest: seal.digest } },
      },
      at,
    );
    deps.logger?.info('Invitation responses sealed', { responses: seal.count });
  });

// --- RecordFailure -----------------------------------------------------------------------

/**
 * Marks the activity FAILED with the workflow's error (the cause as organisers may read it: no
 * trace, no server path, what to do; it lands in the table and the audit trail) and drops any
 * pending task token. Recording the same failure
 * twice changes nothing; a missing activity is logged, not thrown, since this runs in the
 * workflow's Catch and has nobody left to report to.
 */
export const recordFailure = async (
  deps: WorkflowDeps,
  input: RecordFailureInput,
): Promise<{ activityId: string }> =>
  withConflictRetry(async () => {
    const { activityId } = input;
    const activity = await getActivity(deps, activityId);
    if (!activity) {
      deps.logger?.warn('Failure of an unknown activity not recorded', { activityId });
      return { activityId };
    }
    // Organisers read it: no stack trace, no server path (the full cause is in the log).
    const { error, cause, requestId } = failureForOrganisers(input.error, input.requestId);
    if (FINAL_STATUSES.includes(activity.status)) return { activityId };
    if (
      activity.status === 'FAILED' &&
      activity.failure?.error === error &&
      activity.failure.cause === cause
    ) {
      return { activityId };
    }
    const at = clock(deps).toISOString();
    const statusBefore =
      activity.status === 'FAILED' ? activity.failure?.statusBefore : activity.status;
    const failure: ActivityFailure = {
      stage: activity.failure?.stage === 'SCHEDULING' ? 'SCHEDULING' : 'WORKFLOW',
      error,
      cause,
      at,
      ...(requestId ? { requestId } : {}),
      ...(statusBefore ? { statusBefore } : {}),
    };
    await changeActivity(
      deps,
      activity,
      {
        set: { status: 'FAILED', failure, ...listingFor(activity, 'FAILED') },
        remove: ['pendingTask'],
      },
      {
        action: 'WORKFLOW_FAILED',
        before: { status: activity.status, phase: activity.phase },
        after: { status: 'FAILED', error, cause },
      },
      at,
      // Audit listing entries of the ended activity (functions/audit/listing.ts).
      endedActivityPuts(deps.tableName, activity, 'FAILED', at, { reason: error }),
    );
    return { activityId };
  });
