import { SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { loadActivity, type ActivityRequest } from '../shared/data/activities.js';
import { listInvitations } from '../shared/data/invitations.js';
import { getDeputies } from '../shared/data/deputies.js';
import type { ActivityChangeItem, InvitationItem } from '../shared/data/items.js';
import { keys } from '../shared/data/keys.js';
import {
  ConflictError,
  TransientError,
  ValidationError,
  type FieldIssue,
} from '../shared/errors.js';
import type { DomainLogger } from '../shared/observability.js';
import {
  assertOrganiserFor,
  changeActivity,
  put,
  statusOf,
  type ActivityRecord,
  type TransactItem,
} from '../findings/store.js';
import type { z } from 'zod/mini';
import type { changeActivityAnswerSchema } from './answers.js';
import { MAX_DAYS_AHEAD, type ChangeActivityBody } from './schemas.js';
import { withConflictRetry } from '../shared/data/transact.js';

export interface ChangeDeps {
  db: DynamoDBDocumentClient;
  sfn: SFNClient;
  tableName: string;
  now?: () => Date;
  logger?: DomainLogger;
}

export type ChangeResult = z.output<typeof changeActivityAnswerSchema>;

const DAY_MS = 86_400_000;

/** The request's times checked against the clock and the activity's stored deadlines. */
const checkTimes = (
  activity: ActivityRecord & { attendanceClosesAt?: string; findingsCloseAt?: string },
  startsAt: string,
  endsAt: string,
  now: Date,
) => {
  const issues: FieldIssue[] = [];
  const start = Date.parse(startsAt);
  const end = Date.parse(endsAt);
  if (start <= now.getTime()) issues.push({ path: 'startsAt', message: 'must be in the future' });
  else if (start > now.getTime() + MAX_DAYS_AHEAD * DAY_MS) {
    issues.push({ path: 'startsAt', message: `must be within ${MAX_DAYS_AHEAD} days from now` });
  }
  if (end <= start) issues.push({ path: 'endsAt', message: 'must be after startsAt' });
  const attendance = activity.attendanceClosesAt;
  if (attendance && Date.parse(attendance) <= start) {
    issues.push({ path: 'startsAt', message: `must be before attendanceClosesAt (${attendance})` });
  }
  const findings = activity.findingsCloseAt;
  if (findings && Date.parse(findings) <= Math.max(end, Date.parse(attendance ?? endsAt))) {
    issues.push({ path: 'endsAt', message: `must be before findingsCloseAt (${findings})` });
  }
  if (issues.length > 0) throw new ValidationError('Invalid times', issues);
};

/** Added invitees must exist, be active and not be invited; removed ones must be invited. */
const checkInvitees = async (
  deps: ChangeDeps,
  invited: ReadonlySet<string>,
  added: readonly string[],
  removed: readonly string[],
) => {
  const issues: FieldIssue[] = [];
  const found = added.length ? await getDeputies(deps, added, ['active']) : new Map();
  added.forEach((id, index) => {
    const deputy = found.get(id) as { active?: boolean } | undefined;
    if (invited.has(id)) {
      issues.push({ path: `addDeputyIds.${index}`, message: `deputy ${id} is already invited` });
    } else if (!deputy) {
      issues.push({ path: `addDeputyIds.${index}`, message: `unknown deputy ${id}` });
    } else if (!deputy.active) {
      issues.push({ path: `addDeputyIds.${index}`, message: `deputy ${id} is not active` });
    }
  });
  removed.forEach((id, index) => {
    if (!invited.has(id)) {
      issues.push({ path: `removeDeputyIds.${index}`, message: `deputy ${id} is not invited` });
    }
  });
  if (invited.size + added.length - removed.length < 1) {
    issues.push({ path: 'removeDeputyIds', message: 'an activity keeps at least one invitee' });
  }
  if (issues.length > 0) throw new ValidationError('Invalid invitee changes', issues);
};

/**
 * `PATCH /activities/{id}`: changes the time, place, details or invitees of an activity that
 * has not started (its workflow waits for the start: status INVITATIONS_SENT), 409 otherwise.
 *
 * One transaction, conditional on the activity's audit chain head (so a concurrent change, or a
 * workflow step moving the activity on, makes it re-read and re-check): the activity with its
 * new revision, listing and ownership keys; the chained event ACTIVITY_CHANGED; the change item
 * the workflow's SendChangeNotices step works from; the invitations added and removed. Then the
 * workflow's start wait is ended with `{rescheduled}`, so it sends the notices and plans the
 * wait again from the new times. A wait that was being planned meanwhile finds the new revision
 * itself (AwaitStart refuses to wait for an older one).
 */
export const changeActivitySchedule = async (
  deps: ChangeDeps,
  { activityId, body, caller }: ActivityRequest<ChangeActivityBody>,
): Promise<ChangeResult> => {
  const result = await withConflictRetry(async () => {
    const activity = await loadActivity<ActivityRecord>(deps, activityId);
    assertOrganiserFor(caller, activity);
    const now = (deps.now ?? (() => new Date()))();
    if (
      statusOf(activity) !== 'INVITATIONS_SENT' ||
      Date.parse(activity.startsAt) <= now.getTime()
    ) {
      throw new ConflictError(
        statusOf(activity) === 'SCHEDULED'
          ? `Activity ${activityId} is still sending its invitations; change it once they are out`
          : `Activity ${activityId} has started or ended (status ${activity.status}): it can only be changed before it starts`,
      );
    }
    const startsAt = body.startsAt ?? activity.startsAt;
    const endsAt = body.endsAt ?? activity.endsAt;
    if (body.startsAt !== undefined || body.endsAt !== undefined) {
      checkTimes(activity, startsAt, endsAt, now);
    }
    const invitations = await listInvitations(deps, activityId);
    const invited = new Set(invitations.map((i) => i.deputyId));
    const added = body.addDeputyIds ?? [];
    const removed = body.removeDeputyIds ?? [];
    await checkInvitees(deps, invited, added, removed);

    const next = {
      startsAt,
      endsAt,
      location: body.location ?? activity.location,
      description:
        body.description === undefined ? activity.description : body.description || undefined,
    };
    const changed = (['startsAt', 'endsAt', 'location', 'description'] as const).filter((field) =>
      field.endsWith('At')
        ? Date.parse(next[field]!) !== Date.parse(activity[field] ?? '')
        : next[field] !== activity[field],
    );
    const invitedCount = invited.size + added.length - removed.length;
    const view = (revision: number) => ({
      id: activityId,
      revision,
      startsAt: next.startsAt,
      endsAt: next.endsAt,
      location: next.location,
      ...(next.description ? { description: next.description } : {}),
      invitedCount,
    });
    if (changed.length === 0 && added.length === 0 && removed.length === 0) {
      return { activity: view(activity.revision ?? 0), changed, added, removed };
    }

    const revision = (activity.revision ?? 0) + 1;
    const at = now.toISOString();
    const changeItem: ActivityChangeItem = {
      ...keys.activityChange(activityId, revision),
      entity: 'ACTIVITY_CHANGE',
      activityId,
      revision,
      at,
      actor: caller.sub,
      changed,
      added,
      removed,
    };
    const items: TransactItem[] = [
      put(
        deps.tableName,
        changeItem as unknown as Record<string, unknown>,
        'attribute_not_exists(pk)',
      ),
      ...added.map((deputyId) => {
        const invitation: InvitationItem = {
          ...keys.invitation(activityId, deputyId),
          ...keys.invitationOwnership(deputyId, next.startsAt, activityId),
          entity: 'INVITATION',
          activityId,
          deputyId,
          invitedAt: at,
        };
        return put(
          deps.tableName,
          invitation as unknown as Record<string, unknown>,
          'attribute_not_exists(pk)',
        );
      }),
      ...removed.map((deputyId) => ({
        Delete: {
          TableName: deps.tableName,
          Key: keys.invitation(activityId, deputyId),
          ConditionExpression: 'attribute_exists(pk)',
        },
      })),
    ];
    const fieldsBefore = Object.fromEntries(changed.map((f) => [f, activity[f] ?? null]));
    const fieldsAfter = Object.fromEntries(changed.map((f) => [f, next[f] ?? null]));
    await changeActivity(
      deps,
      activity,
      {
        actor: caller.sub,
        action: 'ACTIVITY_CHANGED',
        before: { revision: activity.revision ?? 0, ...fieldsBefore },
        after: { revision, ...fieldsAfter, addedDeputyIds: added, removedDeputyIds: removed },
        change: {
          set: {
            startsAt: next.startsAt,
            endsAt: next.endsAt,
            location: next.location,
            ...(next.description ? { description: next.description } : {}),
            revision,
            invitedCount,
            ...keys.activityListing(activity.status, next.startsAt, activityId),
            ...keys.activityOwnership(activity.organiserId, next.startsAt, activityId),
          },
          ...(next.description ? {} : { remove: ['description'] }),
          condition: {
            expression: '#changeStatus = :invitationsSent',
            names: { '#changeStatus': 'status' },
            values: { ':invitationsSent': 'INVITATIONS_SENT' },
          },
        },
        items,
      },
      at,
    );
    return { activity: view(revision), changed, added, removed };
  });
  // Also when nothing changed now: a repeated request finishes what a failed one began.
  await endStartWait(deps, activityId);
  return result;
};

/**
 * Ends the workflow's start wait with `{rescheduled}` when it was planned from an older revision:
 * the workflow then sends the notices and plans the wait from the new times. No wait stored, or
 * one that already ended, is fine: the workflow is between two waits, and the next plan reads the
 * new revision (AwaitStart refuses to wait for an older one).
 */
const endStartWait = async (deps: ChangeDeps, activityId: string) => {
  const activity = await loadActivity<ActivityRecord>(deps, activityId);
  const pending = activity.pendingTask;
  const revision = activity.revision ?? 0;
  if (!pending || pending.phase !== 'START' || (pending.revision ?? 0) >= revision) return;
  try {
    await deps.sfn.send(
      new SendTaskSuccessCommand({
        taskToken: pending.token,
        output: JSON.stringify({ rescheduled: revision }),
      }),
    );
  } catch (error) {
    const name = (error as { name?: string }).name ?? '';
    if (name === 'TaskTimedOut' || name === 'TaskDoesNotExist') return;
    if (
      name === 'ThrottlingException' ||
      ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0) >= 500
    ) {
      deps.logger?.warn('Could not end the start wait after a change', { activityId, name });
      throw new TransientError(
        'The change is saved but Step Functions is busy; repeat the request to apply it',
        { cause: error },
      );
    }
    throw error;
  }
};
