import type { SFNClient } from '@aws-sdk/client-sfn';
import {
  changeActivity,
  clock,
  listingFor,
  type WorkflowDeps,
} from '../activity-workflow/domain.js';
import { ENDED_DIMENSIONS } from '../audit/listing.js';
import { getActivity, loadActivity } from '../shared/data/activities.js';
import type { ActivityItem } from '../shared/data/items.js';
import { keys } from '../shared/data/keys.js';
import { withConflictRetry } from '../shared/data/transact.js';
import { FINAL_STATUSES } from '../shared/domain/reference.js';
import { ConflictError, NotFoundError } from '../shared/errors.js';
import { checkRedrive, redrive } from '../shared/workflow/execution-failure.js';
import type { z } from 'zod/mini';
import type { redriveActivityAnswerSchema } from './answers.js';
import { executionArnOf } from './view.js';

export interface RedriveDeps extends WorkflowDeps {
  sfn: SFNClient;
  stateMachineArn: string;
}

export type RedriveResult = z.output<typeof redriveActivityAnswerSchema>;

/**
 * `POST /activities/{id}/redrive`: once the cause of a failure is removed, the organiser runs
 * the failed step again. The activity is put back in the status the failed step left it in
 * (with a WORKFLOW_REDRIVEN event, and out of the audit listing of ended activities) before
 * RedriveExecution, so the step finds it as it was; both halves are idempotent, so a repeated
 * request finishes what a failed one began. The caller's scope is checked by `authorize`.
 */
export const redriveActivity = async (
  deps: RedriveDeps,
  activityId: string,
  request: { actor: string; reason: string },
  authorize: (activity: ActivityItem) => void,
): Promise<RedriveResult> => {
  const found = await getActivity(deps, activityId);
  if (!found) throw new NotFoundError(`Activity ${activityId} not found`);
  authorize(found);
  if (FINAL_STATUSES.includes(found.status)) {
    throw new ConflictError(`Activity ${activityId} is ${found.status}: nothing to redrive`);
  }
  if (found.failure?.stage === 'SCHEDULING') {
    throw new ConflictError(
      `Activity ${activityId} failed while being scheduled: schedule it again instead`,
    );
  }
  const executionArn = executionArnOf(deps.stateMachineArn, activityId);
  const check = await checkRedrive(deps.sfn, executionArn);
  if (check.state === 'RUNNING' && found.status !== 'FAILED') {
    return {
      activityId,
      status: found.status,
      redriveCount: check.redriveCount,
      redrivenNow: false,
    };
  }
  const restored = await withConflictRetry(async () => {
    const activity = await loadActivity(deps, activityId);
    if (activity.status !== 'FAILED') return activity.status;
    const status = activity.failure?.statusBefore ?? 'FAILED';
    if (status === 'FAILED') return status; // failed before statusBefore was kept: the step moves it
    const endedEntries = ENDED_DIMENSIONS.map((dimension) => ({
      Delete: { TableName: deps.tableName, Key: keys.endedActivityEntry(activity.id, dimension) },
    }));
    await changeActivity(
      deps,
      activity,
      {
        set: { status, ...listingFor(activity, status) },
        remove: ['failure'],
        condition: {
          expression: '#failedStatus = :failed',
          names: { '#failedStatus': 'status' },
          values: { ':failed': 'FAILED' },
        },
      },
      {
        actor: request.actor,
        action: 'WORKFLOW_REDRIVEN',
        before: { status: 'FAILED', error: activity.failure?.error ?? null },
        after: { status, redriveCount: check.redriveCount + 1, reason: request.reason },
      },
      clock(deps).toISOString(),
      endedEntries,
    );
    return status;
  });
  const redriveCount =
    check.state === 'REDRIVABLE'
      ? await redrive(deps.sfn, executionArn, check.redriveCount)
      : check.redriveCount;
  deps.logger?.info('Activity workflow redriven', { redriveCount, status: restored });
  return {
    activityId,
    status: restored,
    redriveCount,
    redrivenNow: check.state === 'REDRIVABLE',
  };
};
