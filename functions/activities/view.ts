import type { ActivityItem } from '../shared/data/items.js';

/**
 * What the API shows of an activity: its own fields, never the task token and never personal
 * data of deputies (they appear as ids, if at all).
 */
export const toActivityView = (activity: ActivityItem, counts: { emailsSent: number }) => ({
  id: activity.id,
  title: activity.title,
  type: activity.type,
  street: activity.street,
  location: activity.location,
  ...(activity.description ? { description: activity.description } : {}),
  startsAt: activity.startsAt,
  endsAt: activity.endsAt,
  language: activity.language,
  organiserId: activity.organiserId,
  status: activity.status,
  phase: activity.phase,
  ...(activity.pendingTask
    ? {
        pendingTask: {
          phase: activity.pendingTask.phase,
          since: activity.pendingTask.since,
          ...(activity.pendingTask.deadline ? { deadline: activity.pendingTask.deadline } : {}),
        },
      }
    : {}),
  ...(activity.failure ? { failure: activity.failure } : {}),
  counts: { invited: activity.invitedCount, emailsSent: counts.emailsSent },
  createdAt: activity.createdAt,
  updatedAt: activity.updatedAt,
});

export type ActivityView = ReturnType<typeof toActivityView>;

/** Execution ARN of the activity's workflow: execution name = activity id. */
export const executionArnOf = (stateMachineArn: string, activityId: string): string => {
  const parts = stateMachineArn.split(':');
  // arn:partition:states:region:account:stateMachine:name
  if (parts.length !== 7 || parts[5] !== 'stateMachine') {
    throw new Error(`Not a state machine ARN: ${stateMachineArn}`);
  }
  parts[5] = 'execution';
  return `${parts.join(':')}:${activityId}`;
};
