import { DescribeExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { attendanceStatisticsOf } from '../attendance/statistics.js';
import { getActivity } from '../shared/data/activities.js';
import {
  countSentInvitations,
  getInvitation,
  listInvitations,
} from '../shared/data/invitations.js';
import { NotFoundError } from '../shared/errors.js';
import { scopeOf, type Caller } from '../shared/http/auth.js';
import type { DomainLogger } from '../shared/observability.js';
import type { WorkflowView } from './answers.js';
import {
  executionArnOf,
  toActivityView,
  type ActivityRecord,
  type ActivityView,
  type InvitationRecord,
} from './view.js';

export const isErrorNamed = (error: unknown, name: string): boolean =>
  error instanceof Error && error.name === name;

export interface ActivityDeps {
  db: DynamoDBDocumentClient;
  sfn: SFNClient;
  tableName: string;
  stateMachineArn: string;
  now?: () => Date;
  newId?: (now: Date) => string;
  logger?: DomainLogger;
}

export const readActivity = async (
  deps: Omit<ActivityDeps, 'newId'>,
  activityId: string,
  caller: Caller,
): Promise<{ activity: ActivityView; workflow: WorkflowView | null }> => {
  const notFound = () => new NotFoundError(`Activity ${activityId} not found`);
  const activity = (await getActivity(deps, activityId)) as ActivityRecord | undefined;
  if (!activity) throw notFound();

  const scope = scopeOf(caller);
  const asOrganiser =
    caller.roles.includes('organiser') && (scope === undefined || scope === activity.street);
  const asAuditor = caller.roles.includes('auditor');
  // A deputy's own invitation (also read for an organiser or auditor who is a deputy too).
  const invitation = caller.roles.includes('deputy')
    ? ((await getInvitation(deps, activityId, caller.deputyId)) as InvitationRecord | undefined)
    : undefined;
  if (!asOrganiser && !asAuditor && !invitation) throw notFound();

  // While invitations go out, count them live; afterwards the step has stored the total.
  const emailsSent =
    activity.emailsSent ??
    (activity.status === 'SCHEDULED' ? await countSentInvitations(deps, activityId) : 0);

  // While check-in is open nothing is sealed yet: organisers and auditors see the attendance
  // counted live from the invitations (the venue's screen and the console follow it); closing
  // attendance stores the sealed statistics, which are shown from then on.
  const now = (deps.now ?? (() => new Date()))();
  const attendance =
    activity.attendance ??
    ((asOrganiser || asAuditor) && activity.status === 'CHECK_IN_OPEN'
      ? await attendanceStatisticsOf(
          deps,
          (await listInvitations(deps, activityId)) as InvitationRecord[],
          now,
        )
      : undefined);

  return {
    activity: toActivityView(
      attendance ? { ...activity, attendance } : activity,
      { emailsSent },
      {
        organiser: asOrganiser,
        auditor: asAuditor,
        ...(invitation ? { invitation } : {}),
        now,
      },
    ),
    workflow: await describeWorkflow(deps, activityId),
  };
};

const describeWorkflow = async (
  deps: Pick<ActivityDeps, 'sfn' | 'stateMachineArn'>,
  activityId: string,
): Promise<WorkflowView | null> => {
  const executionArn = executionArnOf(deps.stateMachineArn, activityId);
  try {
    const execution = await deps.sfn.send(new DescribeExecutionCommand({ executionArn }));
    return {
      status: execution.status ?? 'UNKNOWN',
      executionArn,
      startDate: execution.startDate ? new Date(execution.startDate).toISOString() : null,
      stopDate: execution.stopDate ? new Date(execution.stopDate).toISOString() : null,
    };
  } catch (error) {
    if (isErrorNamed(error, 'ExecutionDoesNotExist')) return null;
    throw error;
  }
};
