import { StopExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type * as z from 'zod/mini';
import { loadActivity, type ActivityRequest } from '../shared/data/activities.js';
import { listInvitations } from '../shared/data/invitations.js';
import type { InvitationItem } from '../shared/data/items.js';
import { keys } from '../shared/data/keys.js';
import { renderCancellationEmail } from '../shared/email/cancellation.js';
import { ConflictError } from '../shared/errors.js';
import type { DomainLogger } from '../shared/observability.js';
import {
  assertOrganiserFor,
  changeActivityNow,
  hasStatus,
  statusOf,
  type ActivityRecord,
} from '../findings/store.js';
import { endedActivityPuts } from '../audit/listing.js';
import { stepFunctionsFault } from '../shared/transient.js';
import type { cancelActivityAnswerSchema } from './answers.js';
import type { CancelActivityBody } from './schemas.js';
import { executionArnOf } from './view.js';
import type { EmailSenderDeps } from '../shared/email/deps.js';
import { emailPendingInvitees, type InviteeEmailKind } from '../activity-workflow/invitee-email.js';

/** Body of `POST /activities/{activityId}/cancel`. */

export interface CancelDeps extends EmailSenderDeps {
  db: DynamoDBDocumentClient;
  sfn: SFNClient;
  tableName: string;
  stateMachineArn: string;
  now?: () => Date;
  remainingMs?: () => number;
  concurrency?: number;
  logger?: DomainLogger;
}

/** API Gateway gives up after 30 s: stop sending with this much left and answer 202. */
const TIME_RESERVE_MS = 5_000;

export type CancelResult = z.output<typeof cancelActivityAnswerSchema>;

const errorName = (error: unknown) => (error as { name?: string }).name ?? '';

/** Stops the activity's execution; one that does not exist or already ended is fine. */
const stopWorkflow = async (deps: CancelDeps, activityId: string) => {
  try {
    await deps.sfn.send(
      new StopExecutionCommand({
        executionArn: executionArnOf(deps.stateMachineArn, activityId),
        error: 'ActivityCancelled',
        // The organiser's reason stays in the table: execution history is kept apart from it.
        cause: 'The organiser cancelled the activity',
      }),
    );
  } catch (error) {
    if (errorName(error) === 'ExecutionDoesNotExist') return;
    throw stepFunctionsFault(error);
  }
};

/**
 * Cancels an activity before it completes: stops its execution, marks it CANCELLED with the
 * chained ACTIVITY_CANCELLED event, then emails each invitee once (the at-most-once email path, as for
 * invitations). 409 when completed or already cancelled; a cancel whose notices are not all
 * out yet (time budget, SES throttling) may be repeated and only sends the rest.
 */
export const cancelActivity = async (
  deps: CancelDeps,
  { activityId, body: input, caller }: ActivityRequest<CancelActivityBody>,
): Promise<CancelResult> => {
  let activity = await loadActivity<ActivityRecord>(deps, activityId);
  assertOrganiserFor(caller, activity);
  if (hasStatus(activity, 'COMPLETED')) {
    throw new ConflictError(`Activity ${activityId} is completed and cannot be cancelled`);
  }
  if (hasStatus(activity, 'CANCELLED') && activity.cancellation?.noticesComplete !== false) {
    throw new ConflictError(`Activity ${activityId} is already cancelled`);
  }

  if (!hasStatus(activity, 'CANCELLED')) {
    await stopWorkflow(deps, activityId);
    await changeActivityNow(deps, activityId, (current, at) => {
      if (hasStatus(current, 'COMPLETED', 'CANCELLED')) {
        throw new ConflictError(`Activity ${activityId} is ${statusOf(current)}`);
      }
      return {
        actor: caller.sub,
        action: 'ACTIVITY_CANCELLED',
        before: { status: current.status, phase: current.phase },
        after: { status: 'CANCELLED', reason: input.reason },
        change: {
          set: {
            status: 'CANCELLED',
            phase: 'CANCELLED',
            cancellation: { reason: input.reason, by: caller.sub, at, noticesComplete: false },
            ...keys.activityListing('CANCELLED', current.startsAt, activityId),
          },
          remove: ['pendingTask'],
          condition: {
            expression: 'NOT (#current IN (:completed, :cancelled))',
            names: { '#current': 'status' },
            values: { ':completed': 'COMPLETED', ':cancelled': 'CANCELLED' },
          },
        },
        // Audit listing entries of the ended activity (functions/audit/listing.ts).
        items: endedActivityPuts(deps.tableName, current, 'CANCELLED', at, {
          reason: input.reason,
        }),
      };
    });
    activity = await loadActivity<ActivityRecord>(deps, activityId);
  }

  const notices = await sendNotices(deps, activity);
  if (notices.pending === 0) {
    await changeActivityNow(deps, activityId, (current) =>
      current.cancellation?.noticesComplete !== false
        ? undefined
        : {
            actor: caller.sub,
            action: 'CANCELLATION_NOTICES_SENT',
            before: { status: current.status },
            after: { sent: notices.sent, failed: notices.failed },
            change: { set: { cancellation: { ...current.cancellation, noticesComplete: true } } },
          },
    );
  }
  return {
    activity: { id: activityId, status: 'CANCELLED', cancelledAt: activity.cancellation!.at },
    notices,
  };
};

type NoticeInvitation = InvitationItem & {
  cancelNoticeMessageId?: string;
  cancelNoticeFailure?: string;
};

/** Emails the invitees not yet told, each through the at-most-once path: one email each. */
const sendNotices = async (
  deps: CancelDeps,
  activity: ActivityRecord,
): Promise<CancelResult['notices']> => {
  const reason = activity.cancellation?.reason ?? '';
  await emailPendingInvitees(
    // One attempt: the organiser's request has 30 s, and repeating the cancel sends the rest.
    { ...deps, maxAttempts: 1 },
    CANCELLATION_EMAIL,
    activity,
    async (_invitation, deputy, language, jurisdiction) =>
      renderCancellationEmail(activity, deputy, reason, language, jurisdiction),
    () => deps.remainingMs !== undefined && deps.remainingMs() < TIME_RESERVE_MS,
  );

  const final = (await listInvitations(deps, activity.id)) as NoticeInvitation[];
  const sent = final.filter((i) => i.cancelNoticeMessageId).length;
  const failed = final.filter((i) => !i.cancelNoticeMessageId && i.cancelNoticeFailure).length;
  return { sent, failed, pending: final.length - sent - failed };
};

/** The cancellation notice: its claim, its calendar cancel, its outcome on the invitation. */
const CANCELLATION_EMAIL: InviteeEmailKind = {
  purpose: 'CANCELLATION',
  claimKey: (activityId, deputyId) =>
    keys.activityEmailClaimKey(activityId, deputyId, 'CANCELLATION'),
  // METHOD:CANCEL under the activity's UID takes the event out of the deputy's calendar.
  calendar: { method: 'CANCEL', filename: 'cancel.ics' },
  fields: {
    messageId: 'cancelNoticeMessageId',
    sentAt: 'cancelNoticeSentAt',
    failure: 'cancelNoticeFailure',
  },
  activeOnly: false,
};
