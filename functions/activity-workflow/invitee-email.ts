import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  DEPUTY_EMAIL_FIELDS,
  deputyLanguageOf,
  getDeputies,
  type DeputyRecipient,
} from '../shared/data/deputies.js';
import { listInvitations } from '../shared/data/invitations.js';
import type { ActivityItem, InvitationItem } from '../shared/data/items.js';
import { jurisdictionOf, letterheadOf, type Jurisdiction } from '../shared/data/jurisdiction.js';
import { keys } from '../shared/data/keys.js';
import { clock, type TableDeps } from '../shared/domain/deps.js';
import type { Language } from '../shared/domain/reference.js';
import { activityCalendarEvent } from '../shared/email/calendar.js';
import type { EmailSenderDeps } from '../shared/email/deps.js';
import type { RenderedEmail } from '../shared/email/invitation.js';
import { isSafeEmailAddress } from '../shared/email/sanitize.js';
import {
  EmailRejectedError,
  getEmailClaim,
  isMessageRejection,
  sendEmailOnce,
  type SendEmailOnceDeps,
} from '../shared/email/send-once.js';
import { TransientError } from '../shared/errors.js';

/** What became of one invitee's email: sent (now or before), failed for good, or another attempt's. */
export type InviteeEmailOutcome = 'sent' | 'failed' | 'busy';

/**
 * One kind of email every invitee of an activity gets once, with the activity's calendar event:
 * the invitation (METHOD:REQUEST) and the cancellation notice (METHOD:CANCEL). Its outcome is
 * kept on the invitation, in the attributes named here.
 */
export interface InviteeEmailKind {
  purpose: 'INVITATION' | 'CANCELLATION';
  claimKey: (activityId: string, deputyId: string) => string;
  calendar: { method: 'REQUEST' | 'CANCEL'; filename?: string };
  /** Attributes of the invitation: the SES message id, when it was sent, why it was not. */
  fields: { messageId: string; sentAt: string; failure: string };
  /** An inactive deputy is not invited; a cancellation tells whoever was invited. */
  activeOnly: boolean;
}

/** The email to one invitee, in the deputy's language, signed as the district. */
export type RenderInviteeEmail = (
  invitation: InvitationItem,
  deputy: DeputyRecipient,
  language: Language,
  jurisdiction: Jurisdiction,
) => Promise<RenderedEmail>;

export type InviteeEmailDeps = TableDeps &
  EmailSenderDeps &
  Pick<SendEmailOnceDeps, 'maxAttempts' | 'baseDelayMs' | 'maxDelayMs' | 'sleep'>;

/**
 * Emails one invitee through the at-most-once path (its claim named by `kind`, the invitation
 * its owner, so a bounce marks it) and keeps the outcome on the invitation. A deputy not found
 * or without a usable address, or a message SES refused, is marked failed and the others go
 * on; a permanent code of the account or sender is thrown (shared/email/send-once.ts). A claim
 * another attempt holds (it may be sending right now) is left to that attempt: `busy`.
 */
export const emailInvitee = async (
  deps: InviteeEmailDeps,
  kind: InviteeEmailKind,
  activity: ActivityItem,
  invitation: InvitationItem,
  deputy: DeputyRecipient | undefined,
  render: RenderInviteeEmail,
): Promise<InviteeEmailOutcome> => {
  const { deputyId } = invitation;
  const mark = (update: string, values: Record<string, unknown>, onlyUnsent: boolean) =>
    deps.db.send(
      new UpdateCommand({
        TableName: deps.tableName,
        Key: keys.invitation(activity.id, deputyId),
        UpdateExpression: update,
        ConditionExpression: onlyUnsent
          ? `attribute_exists(pk) AND attribute_not_exists(${kind.fields.messageId})`
          : 'attribute_exists(pk)',
        ExpressionAttributeValues: values,
      }),
    );
  const markFailed = async (reason: string) => {
    deps.logger?.warn(`${kind.purpose} not emailed`, { deputyId, reason });
    await mark(`SET ${kind.fields.failure} = :reason`, { ':reason': reason }, true);
    return 'failed' as const;
  };

  const failure = !deputy
    ? 'DEPUTY_NOT_FOUND'
    : kind.activeOnly && !deputy.active
      ? 'DEPUTY_INACTIVE'
      : !isSafeEmailAddress(deputy.email)
        ? 'NO_USABLE_ADDRESS'
        : undefined;
  if (failure || !deputy) return markFailed(failure ?? 'DEPUTY_NOT_FOUND');

  const language = deputyLanguageOf(deputy);
  const jurisdiction = await jurisdictionOf(deps);
  const email = await render(invitation, deputy, language, jurisdiction);
  const calendar = activityCalendarEvent(activity, deputy, kind.calendar.method, {
    senderEmail: deps.senderEmail,
    stamp: clock(deps),
    language,
    letterhead: letterheadOf(jurisdiction),
  });
  const claimKey = kind.claimKey(activity.id, deputyId);
  let messageId: string;
  try {
    ({ messageId } = await sendEmailOnce(deps, {
      claimKey,
      to: deputy.email,
      ...email,
      from: deps.senderEmail,
      configurationSet: deps.configurationSet,
      owner: { kind: 'INVITATION', id: `${activity.id}/${deputyId}` },
      purpose: kind.purpose,
      calendar: { ...kind.calendar, content: calendar },
    }));
  } catch (error) {
    if (error instanceof EmailRejectedError && isMessageRejection(error.cause)) {
      return markFailed('REJECTED_BY_SES');
    }
    if (error instanceof TransientError) {
      const claim = await getEmailClaim(deps, claimKey);
      if (claim?.claimedAt && !claim.messageId && !claim.lastError) return 'busy';
    }
    throw error;
  }
  // Sent, now or by an earlier attempt (the claim gives back its message id): kept either way.
  await mark(
    `SET ${kind.fields.messageId} = :messageId, ${kind.fields.sentAt} = :sentAt`,
    { ':messageId': messageId, ':sentAt': clock(deps).toISOString() },
    false,
  );
  return 'sent';
};

/**
 * Emails every invitee `kind` has not reached yet (no message id, no failure kept), `concurrency`
 * at a time (default 8). No new email starts once an error was thrown (it is thrown when those
 * in flight settled) or once `outOfTime()` says so (`outOfTime` in the answer): a repeat sends
 * the rest. Returns what became of this run's emails.
 */
export const emailPendingInvitees = async (
  deps: InviteeEmailDeps & { concurrency?: number },
  kind: InviteeEmailKind,
  activity: ActivityItem,
  render: RenderInviteeEmail,
  outOfTime: () => boolean,
): Promise<Record<InviteeEmailOutcome, number> & { outOfTime: boolean }> => {
  const reached = (invitation: InvitationItem) => {
    const fields = invitation as unknown as Record<string, unknown>;
    return fields[kind.fields.messageId] !== undefined || fields[kind.fields.failure] !== undefined;
  };
  const pending = (await listInvitations(deps, activity.id)).filter((item) => !reached(item));
  const deputies = pending.length
    ? await getDeputies(
        deps,
        pending.map((item) => item.deputyId),
        DEPUTY_EMAIL_FIELDS,
      )
    : new Map<string, DeputyRecipient>();
  const outcomes = { sent: 0, failed: 0, busy: 0, outOfTime: false };
  let stop: unknown;
  const worker = async () => {
    for (let item = pending.shift(); item && stop === undefined; item = pending.shift()) {
      if (outOfTime()) {
        outcomes.outOfTime = true;
        return;
      }
      try {
        const deputy = deputies.get(item.deputyId);
        outcomes[await emailInvitee(deps, kind, activity, item, deputy, render)]++;
      } catch (error) {
        stop ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, deps.concurrency ?? 8) }, worker));
  if (stop !== undefined) throw stop;
  return outcomes;
};
