import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { listActivityChanges, loadActivity } from '../shared/data/activities.js';
import { listInvitations } from '../shared/data/invitations.js';
import {
  DEPUTY_EMAIL_FIELDS,
  deputyLanguageOf,
  getDeputies,
  type DeputyRecipient,
} from '../shared/data/deputies.js';
import type { ActivityChangeItem, ActivityItem, InvitationItem } from '../shared/data/items.js';
import { deputyPageUrl } from '../shared/domain/deputy-links.js';
import type { Language } from '../shared/domain/reference.js';
import { keys } from '../shared/data/keys.js';
import {
  renderChangeNoticeEmail,
  renderReminderEmail,
  renderWithdrawalEmail,
} from '../shared/email/activity-notices.js';
import { activityCalendarEvent, type CalendarMethod } from '../shared/email/calendar.js';
import { jurisdictionOf, letterheadOf } from '../shared/data/jurisdiction.js';
import { renderInvitationEmail, type RenderedEmail } from '../shared/email/invitation.js';
import { isSafeEmailAddress } from '../shared/email/sanitize.js';
import { EmailRejectedError, sendEmailOnce } from '../shared/email/send-once.js';
import { mapLimit } from '../shared/map-limit.js';
import {
  assertNotFinal,
  changeActivity,
  clock,
  deputyPageLinkOf,
  secondsUntil,
  type WorkflowDeps,
} from './domain.js';
import { withConflictRetry } from '../shared/data/transact.js';
import type { EmailSenderDeps } from '../shared/email/deps.js';

/**
 * The steps around the wait for the start (docs/activity-workflow.md): PlanStart decides what
 * the workflow waits for next (the reminder time or the start, from the activity as it is now),
 * SendReminders emails the reminder, SendChangeNotices emails what the organiser's changes ask
 * for. A change moves the wait by ending it (`rescheduled`), so the loop plans again.
 */

/** How long before the start the reminder goes out by default (CDK context overrides it). */
export const DEFAULT_REMINDER_LEAD_SECONDS = 24 * 3600;

export type StartPlan = {
  activityId: string;
  /** The revision the plan was made from; AwaitStart refuses to wait for an older one. */
  revision: number;
  /**
   * `NOTIFY`: a change's notices are not out yet (it came while no wait was stored), send them.
   * `REMIND`: send reminders now. Otherwise wait `secondsToWait` for the reminder or the start.
   */
  next: 'NOTIFY' | 'REMIND' | 'AWAIT_REMINDER' | 'AWAIT_START';
  secondsToWait: number;
  secondsUntilStart: number;
};

type ReminderState = ActivityItem & { remindersSentAt?: string };

/**
 * What to wait for. A reminder is due once per activity, `leadSeconds` before the start, when
 * the activity was scheduled more than that ahead (one scheduled for tomorrow morning gets its
 * invitation, not a reminder an instant later).
 */
export const planStart = async (
  deps: WorkflowDeps,
  activityId: string,
  leadSeconds: number,
): Promise<StartPlan> => {
  const activity = (await loadActivity(deps, activityId)) as ReminderState;
  assertNotFinal(activity);
  const now = clock(deps);
  const startsAt = Date.parse(activity.startsAt);
  const reminderAt = startsAt - leadSeconds * 1000;
  const plan = { activityId, revision: activity.revision ?? 0 };
  const secondsUntilStart = secondsUntil(activity.startsAt, now);
  if ((await listActivityChanges(deps, activityId)).some((change) => !change.noticesSentAt)) {
    return { ...plan, next: 'NOTIFY', secondsToWait: 1, secondsUntilStart };
  }
  const reminderDue =
    !activity.remindersSentAt &&
    Date.parse(activity.createdAt) < reminderAt &&
    now.getTime() < startsAt;
  if (reminderDue && now.getTime() >= reminderAt) {
    return { ...plan, next: 'REMIND', secondsToWait: 1, secondsUntilStart };
  }
  if (reminderDue) {
    return {
      ...plan,
      next: 'AWAIT_REMINDER',
      secondsToWait: secondsUntil(new Date(reminderAt).toISOString(), now),
      secondsUntilStart,
    };
  }
  return { ...plan, next: 'AWAIT_START', secondsToWait: secondsUntilStart, secondsUntilStart };
};

export interface NoticeDeps extends WorkflowDeps, EmailSenderDeps {
  concurrency?: number;
  /** Signs the personal page links of deputies added by a change (SendChangeNotices). */
  deputyPage?: { signingKey: () => Promise<string>; publicBaseUrl: string };
}

type Outcome = 'sent' | 'failed';

/**
 * One email about the activity to one deputy, at most once (its claim key), with its calendar
 * event, both in the deputy's language.
 */
const sendToDeputy = async (
  deps: NoticeDeps,
  activity: ActivityItem,
  deputy: DeputyRecipient | undefined,
  claimKey: string,
  purpose: string,
  email: (deputy: DeputyRecipient, language: Language) => RenderedEmail,
  calendar: CalendarMethod,
): Promise<Outcome> => {
  if (!deputy || !isSafeEmailAddress(deputy.email)) {
    deps.logger?.warn('Activity email not sent: no usable address', { purpose });
    return 'failed';
  }
  const language = deputyLanguageOf(deputy);
  const letterhead = letterheadOf(await jurisdictionOf(deps));
  try {
    await sendEmailOnce(deps, {
      claimKey,
      to: deputy.email,
      ...email(deputy, language),
      from: deps.senderEmail,
      configurationSet: deps.configurationSet,
      owner: { kind: 'INVITATION', id: `${activity.id}/${deputy.id}` },
      purpose,
      calendar: {
        method: calendar,
        content: activityCalendarEvent(activity, deputy, calendar, {
          senderEmail: deps.senderEmail,
          stamp: clock(deps),
          language,
          letterhead,
        }),
        filename: calendar === 'CANCEL' ? 'cancel.ics' : 'invite.ics',
      },
    });
    return 'sent';
  } catch (error) {
    // Refused for good (a bad address): the others still get theirs; passing faults throw.
    if (error instanceof EmailRejectedError) return 'failed';
    throw error;
  }
};

const tally = (outcomes: readonly Outcome[]) => ({
  sent: outcomes.filter((o) => o === 'sent').length,
  failed: outcomes.filter((o) => o === 'failed').length,
});

/**
 * SendReminders: the reminder to each invitee who accepted or has not answered, once per
 * deputy per activity (claim key), then REMINDERS_SENT on the activity's chain.
 */
export const sendReminders = async (
  deps: NoticeDeps,
  activityId: string,
): Promise<{ activityId: string; sent: number; failed: number }> => {
  const activity = (await loadActivity(deps, activityId)) as ReminderState;
  assertNotFinal(activity);
  if (activity.remindersSentAt || activity.status !== 'INVITATIONS_SENT') {
    return { activityId, sent: 0, failed: 0 };
  }
  const invitations = (await listInvitations(deps, activityId)).filter(
    (invitation) => invitation.response !== 'DECLINED',
  );
  const deputies = await getDeputies(
    deps,
    invitations.map((i) => i.deputyId),
    DEPUTY_EMAIL_FIELDS,
  );
  const jurisdiction = await jurisdictionOf(deps);
  const outcomes = await mapLimit(invitations, deps.concurrency ?? 8, (invitation) =>
    sendToDeputy(
      deps,
      activity,
      deputies.get(invitation.deputyId),
      keys.activityEmailClaimKey(activityId, invitation.deputyId, 'REMINDER'),
      'REMINDER',
      (deputy, language) => renderReminderEmail(activity, deputy, language, jurisdiction),
      'REQUEST',
    ),
  );
  const counts = tally(outcomes);
  await withConflictRetry(async () => {
    const current = (await loadActivity(deps, activityId)) as ReminderState;
    if (current.remindersSentAt) return;
    const at = clock(deps).toISOString();
    await changeActivity(
      deps,
      current,
      {
        set: { remindersSentAt: at },
        condition: {
          expression: 'attribute_not_exists(#remindersSentAt)',
          names: { '#remindersSentAt': 'remindersSentAt' },
          values: {},
        },
      },
      {
        action: 'REMINDERS_SENT',
        before: { status: current.status },
        after: { status: current.status, recipients: invitations.length, ...counts },
      },
      at,
    );
  });
  return { activityId, ...counts };
};

/**
 * SendChangeNotices: for each change whose notices are not out yet, oldest first: a withdrawal
 * (with METHOD:CANCEL) to each removed invitee, an invitation to each added one, a change notice
 * (with the update of higher SEQUENCE) to every other invitee when the time, place or details
 * changed. Each email has its claim key, so a retried step sends only what is missing. Then the
 * invitations' ownership keys follow the start time (a deputy's invitations sort by it).
 */
export const sendChangeNotices = async (
  deps: NoticeDeps,
  activityId: string,
): Promise<{ activityId: string; changes: number; sent: number; failed: number }> => {
  const activity = await loadActivity(deps, activityId);
  assertNotFinal(activity);
  const jurisdiction = await jurisdictionOf(deps);
  const pending = (await listActivityChanges(deps, activityId)).filter((c) => !c.noticesSentAt);
  let sent = 0;
  let failed = 0;
  const invitations = await listInvitations(deps, activityId);
  const invited = new Set(invitations.map((i) => i.deputyId));
  for (const change of pending) {
    const everyone = [...new Set([...invited, ...change.removed, ...change.added])];
    const deputies = await getDeputies(deps, everyone, DEPUTY_EMAIL_FIELDS);
    const planned = plannedEmails(change, invited);
    const pageUrls = await invitationPageUrls(deps, activity, invitations, planned);
    const outcomes = await mapLimit(planned, deps.concurrency ?? 8, ({ deputyId, kind }) =>
      sendToDeputy(
        deps,
        activity,
        deputies.get(deputyId),
        kind === 'WITHDRAWAL'
          ? keys.activityEmailClaimKey(activityId, deputyId, { withdrawal: change.revision })
          : kind === 'INVITATION'
            ? keys.invitationEmailClaimKey(activityId, deputyId)
            : keys.activityEmailClaimKey(activityId, deputyId, { change: change.revision }),
        kind,
        (deputy, language) =>
          kind === 'WITHDRAWAL'
            ? renderWithdrawalEmail(activity, deputy, language, jurisdiction)
            : kind === 'INVITATION'
              ? renderInvitationEmail(
                  activity,
                  deputy,
                  pageUrls.get(deputyId) ?? '',
                  language,
                  jurisdiction,
                )
              : renderChangeNoticeEmail(activity, deputy, change.changed, language, jurisdiction),
        kind === 'WITHDRAWAL' ? 'CANCEL' : 'REQUEST',
      ),
    );
    const counts = tally(outcomes);
    sent += counts.sent;
    failed += counts.failed;
    await deps.db.send(
      new UpdateCommand({
        TableName: deps.tableName,
        Key: keys.activityChange(activityId, change.revision),
        UpdateExpression: 'SET noticesSentAt = :at, notices = :notices',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(noticesSentAt)',
        ExpressionAttributeValues: { ':at': clock(deps).toISOString(), ':notices': counts },
      }),
    );
  }
  await followStartTime(deps, activity, invitations);
  return { activityId, changes: pending.length, sent, failed };
};

/**
 * The personal page link of each deputy a change invites (issued once and kept on the
 * invitation, as SendInvitations does), so an added invitee answers as the others do.
 */
const invitationPageUrls = async (
  deps: NoticeDeps,
  activity: ActivityItem,
  invitations: readonly InvitationItem[],
  planned: readonly { deputyId: string; kind: string }[],
): Promise<Map<string, string>> => {
  const urls = new Map<string, string>();
  const invited = planned.filter((p) => p.kind === 'INVITATION');
  if (invited.length === 0) return urls;
  if (!deps.deputyPage) throw new Error('SendChangeNotices needs deputyPage to invite deputies');
  const { signingKey, publicBaseUrl } = deps.deputyPage;
  const secret = await signingKey();
  for (const { deputyId } of invited) {
    const invitation = invitations.find((i) => i.deputyId === deputyId);
    if (!invitation) continue;
    const link = await deputyPageLinkOf(deps, secret, activity, invitation);
    urls.set(deputyId, deputyPageUrl(publicBaseUrl, link.token));
  }
  return urls;
};

/** Who gets what for one change; invitees added by it get the invitation, not the notice. */
export const plannedEmails = (
  change: Pick<ActivityChangeItem, 'changed' | 'added' | 'removed'>,
  invited: ReadonlySet<string>,
): { deputyId: string; kind: 'WITHDRAWAL' | 'INVITATION' | 'CHANGE' }[] => {
  const added = new Set(change.added);
  return [
    // A deputy removed by this change and added back by a later one is not withdrawn.
    ...change.removed
      .filter((id) => !invited.has(id))
      .map((deputyId) => ({ deputyId, kind: 'WITHDRAWAL' as const })),
    ...change.added
      .filter((id) => invited.has(id))
      .map((deputyId) => ({ deputyId, kind: 'INVITATION' as const })),
    ...(change.changed.length > 0
      ? [...invited]
          .filter((id) => !added.has(id))
          .map((deputyId) => ({ deputyId, kind: 'CHANGE' as const }))
      : []),
  ];
};

/** The ownership keys of the invitations follow the activity's start time. */
const followStartTime = async (
  deps: NoticeDeps,
  activity: ActivityItem,
  invitations: readonly { deputyId: string; ownerSk?: string }[],
) => {
  const stale = invitations.filter(
    (i) =>
      i.ownerSk !== keys.invitationOwnership(i.deputyId, activity.startsAt, activity.id).ownerSk,
  );
  await mapLimit(stale, deps.concurrency ?? 8, async ({ deputyId }) => {
    const ownership = keys.invitationOwnership(deputyId, activity.startsAt, activity.id);
    try {
      await deps.db.send(
        new UpdateCommand({
          TableName: deps.tableName,
          Key: keys.invitation(activity.id, deputyId),
          UpdateExpression: 'SET ownerSk = :ownerSk',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':ownerSk': ownership.ownerSk },
        }),
      );
    } catch (error) {
      // Removed meanwhile: nothing to move.
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
  });
};
