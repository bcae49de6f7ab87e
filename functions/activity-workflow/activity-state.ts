import {
  appendAuditEvent,
  streamHead,
  type AuditEventContent,
  type HeadChange,
} from '../shared/data/audit.js';
import { loadActivity } from '../shared/data/activities.js';
import type { ActivityItem } from '../shared/data/items.js';
import { keys } from '../shared/data/keys.js';
import { withConflictRetry, writeTransaction } from '../shared/data/transact.js';
import type { TableDeps } from '../shared/domain/deps.js';
import { FINAL_STATUSES, type ActivityStatus } from '../shared/domain/reference.js';
import { ConflictError } from '../shared/errors.js';
import { WORKFLOW_ACTOR } from '../shared/workflow/actor.js';

/**
 * What every step of the activity workflow does to the activity, in one place: who acts, which
 * activities it leaves alone, how a change and its audit event are written, and the list entry.
 */

/** A step never moves a cancelled or completed activity, nor one whose scheduling failed. */
export const assertNotFinal = (activity: ActivityItem) => {
  if (FINAL_STATUSES.includes(activity.status)) {
    throw new ConflictError(`Activity ${activity.id} is ${activity.status}`);
  }
  if (activity.status === 'FAILED' && activity.failure?.stage === 'SCHEDULING') {
    // The organiser was told scheduling failed: this activity must not go on.
    throw new ConflictError(`Activity ${activity.id} failed while being scheduled`);
  }
};

/**
 * A step that changes the activity once, run again on a lost race (it re-reads the activity):
 * when `doneAnswer` finds the change made already (a retry, a redrive after it) that answer and
 * nothing else; else, unless the activity is final (assertNotFinal), `change`.
 */
export const changeActivityOnce = <Activity extends ActivityItem, Answer>(
  deps: TableDeps,
  activityId: string,
  step: {
    doneAnswer: (activity: Activity) => Answer | undefined;
    change: (activity: Activity) => Promise<Answer>;
  },
): Promise<Answer> =>
  withConflictRetry(async () => {
    const activity = await loadActivity<Activity>(deps, activityId);
    const done = step.doneAnswer(activity);
    if (done !== undefined) return done;
    assertNotFinal(activity);
    return step.change(activity);
  });

/** Applies `change` to the activity with its audit event, in one transaction. */
export const changeActivity = async (
  deps: TableDeps,
  activity: ActivityItem,
  change: HeadChange,
  // The workflow acts unless a person is named (an organiser's redrive).
  event: Omit<AuditEventContent, 'at' | 'actor'> & { actor?: string },
  at: string,
  extraItems: Parameters<typeof writeTransaction>[1] = [],
) => {
  const { items } = appendAuditEvent({
    tableName: deps.tableName,
    streamId: keys.auditStreamOfActivity(activity.id),
    head: streamHead(keys.activity(activity.id), activity),
    change: { ...change, set: { ...change.set, updatedAt: at } },
    event: { actor: WORKFLOW_ACTOR, ...event, at },
  });
  await writeTransaction(deps.db, [...items, ...extraItems]);
};

/** The activity's entry in the organisers' list, under the status it moves to. */
export const listingFor = (activity: ActivityItem, status: ActivityStatus) =>
  keys.activityListing(status, activity.startsAt, activity.id);
