// Helpers for driving activities through the local cloud: scheduling, polling for a status or a
// human step, the audit chain and the raw item in DynamoDB Local, the execution in the local
// Step Functions service.
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  type DescribeExecutionCommandOutput,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import { executionArnOf } from '../../../functions/activities/view';
import type { AuditEvent } from '../../../functions/shared/data/audit';
import { keys } from '../../../functions/shared/data/keys';
import type { ApiClient } from './api';
import { eventually, sleep } from '../../support/poll';
import { ddbDoc, sfnClient } from './aws';
import { stateMachineArn, tableName } from './cloud';

export const inSeconds = (seconds: number): string =>
  new Date(Date.now() + seconds * 1000).toISOString();

/** A date `days` from now (YYYY-MM-DD), e.g. a referral's due date. */
export const inDays = (days: number): string =>
  new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

// The kit's one polling helper, re-exported where the integration and chaos files import it.
export { eventually, sleep };

export interface ActivityJson {
  id: string;
  title: string;
  status: string;
  phase: string;
  pendingTask?: { phase: string; since: string; deadline?: string };
  attendance?: {
    invited: number;
    accepted: number;
    declined: number;
    attended: number;
    personTimesTotal: number;
    personTimesByLevel: Record<string, number>;
    madeUp: number;
  };
}

/** A body for `POST /activities`: a thematic research in Wenchong, starting in an hour. */
export function activityBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: '河涌整治专题调研',
    type: 'THEMATIC_RESEARCH',
    street: 'WENCHONG',
    location: '文冲街道文冲村',
    startsAt: inSeconds(3600),
    endsAt: inSeconds(3 * 3600),
    invitedDeputyIds: ['dep-0001', 'dep-0041'],
    ...overrides,
  };
}

/** Schedules an activity as `organiser` and returns its id (asserts 201). */
export async function scheduleActivity(
  organiser: ApiClient,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const res = await organiser.post<{ activity: { id: string } }>(
    '/activities',
    activityBody(overrides),
  );
  expect(res.status, res.text).toBe(201);
  return res.json.activity.id;
}

export async function readActivity(client: ApiClient, id: string): Promise<ActivityJson> {
  const res = await client.get<{ activity: ActivityJson }>(`/activities/${id}`);
  expect(res.status, res.text).toBe(200);
  return res.json.activity;
}

/** Waits until the activity has one of `statuses`; returns the activity. */
export const waitForStatus = (
  client: ApiClient,
  id: string,
  statuses: string | readonly string[],
  ms = 30_000,
): Promise<ActivityJson> => {
  const wanted = typeof statuses === 'string' ? [statuses] : statuses;
  return eventually(
    () => readActivity(client, id),
    (activity) => wanted.includes(activity.status),
    ms,
  );
};

/** Waits until the workflow is parked on the human step of `phase` (its token is stored). */
export const waitForPhase = (
  client: ApiClient,
  id: string,
  phase: 'START' | 'ATTENDANCE' | 'FINDINGS' | 'REVIEW',
  ms = 30_000,
): Promise<ActivityJson> =>
  eventually(
    () => readActivity(client, id),
    (activity) => activity.pendingTask?.phase === phase,
    ms,
  );

/** The chained audit events of an activity, in sequence order (strongly consistent). */
export async function auditEvents(activityId: string): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await ddbDoc().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
        ExpressionAttributeValues: { ':pk': `ACTIVITY#${activityId}`, ':audit': 'AUDIT#' },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    events.push(...((out.Items ?? []) as AuditEvent[]));
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return events;
}

/** The activity item as stored (the head of its audit chain). */
export async function activityItem(activityId: string): Promise<Record<string, unknown>> {
  const out = await ddbDoc().send(
    new GetCommand({
      TableName: tableName(),
      Key: keys.activity(activityId),
      ConsistentRead: true,
    }),
  );
  if (!out.Item) throw new Error(`no activity item ${activityId}`);
  return out.Item;
}

/** Any item by key, as stored (strongly consistent). */
export async function rawItem(key: {
  pk: string;
  sk: string;
}): Promise<Record<string, unknown> | undefined> {
  const out = await ddbDoc().send(
    new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }),
  );
  return out.Item;
}

export const activityExecutionArn = (activityId: string): string =>
  executionArnOf(stateMachineArn('ActivityWorkflow'), activityId);

export const describeExecution = (executionArn: string): Promise<DescribeExecutionCommandOutput> =>
  sfnClient().send(new DescribeExecutionCommand({ executionArn }));

/**
 * Waits until the execution has ended and returns it. The activity is COMPLETED before its
 * execution ends (SendActivityReport runs after CompleteActivity), so a test that reads the
 * execution right after the status would race.
 */
export const waitForExecutionEnd = (
  executionArn: string,
  ms = 60_000,
): Promise<DescribeExecutionCommandOutput> =>
  eventually(
    () => describeExecution(executionArn),
    (execution) => execution.status !== 'RUNNING',
    ms,
  );

/** Every event of an execution's history, all pages. */
export async function executionHistory(executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const out = await sfnClient().send(
      new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, nextToken }),
    );
    events.push(...(out.events ?? []));
    nextToken = out.nextToken;
  } while (nextToken);
  return events;
}

/** A body for `POST /activities/{id}/findings`. */
export const findingBody = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  kind: 'PROBLEM',
  category: 'DRAINAGE',
  description: '暴雨后村道积水严重',
  place: '文冲村主干道',
  needsReferral: true,
  ...overrides,
});

/** Records a finding and returns its id (asserts 201). */
export async function recordFinding(
  client: ApiClient,
  activityId: string,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const res = await client.post<{ finding: { id: string } }>(
    `/activities/${activityId}/findings`,
    findingBody(overrides),
  );
  expect(res.status, res.text).toBe(201);
  return res.json.finding.id;
}

export interface ReviewJson {
  activity: { id: string; status: string };
  findings: { id: string; referralId?: string; unrouted?: boolean; decision?: unknown }[];
  referrals: {
    id: string;
    departmentId: string;
    findingIds: string[];
    status?: string;
    committeeId?: string;
    dueDate?: string;
  }[];
  approval: {
    ready: boolean;
    undecided: string[];
    incomplete: { referralId: string; missing: string[] }[];
  };
}

/** Opens check-in early (ends START) and waits for the ATTENDANCE step. */
export async function openCheckIn(organiser: ApiClient, id: string): Promise<void> {
  await waitForPhase(organiser, id, 'START');
  const res = await organiser.post(`/activities/${id}/check-in/open`);
  expect(res.status, res.text).toBe(202);
  await waitForPhase(organiser, id, 'ATTENDANCE');
}

/** Closes attendance early (ends ATTENDANCE) and waits for the FINDINGS step. */
export async function closeAttendance(organiser: ApiClient, id: string): Promise<void> {
  const res = await organiser.post(`/activities/${id}/attendance/close`);
  expect(res.status, res.text).toBe(202);
  await waitForPhase(organiser, id, 'FINDINGS');
}

/** Closes findings early (ends FINDINGS) and waits for the REVIEW step after triage. */
export async function closeFindings(organiser: ApiClient, id: string): Promise<void> {
  const res = await organiser.post(`/activities/${id}/findings/close`);
  expect(res.status, res.text).toBe(200);
  await waitForPhase(organiser, id, 'REVIEW');
}

/** Sets committee and due date on every referral of the review, then approves (asserts 200). */
export async function completeReview(
  organiser: ApiClient,
  id: string,
  committeeId: string,
): Promise<ReviewJson> {
  const review = await organiser.get<ReviewJson>(`/activities/${id}/review`);
  expect(review.status, review.text).toBe(200);
  for (const referral of review.json.referrals) {
    const res = await organiser.post(`/activities/${id}/review/referrals/${referral.id}`, {
      committeeId,
      dueDate: inDays(30),
    });
    expect(res.status, res.text).toBe(200);
  }
  const approved = await organiser.post(`/activities/${id}/review/approve`);
  expect(approved.status, approved.text).toBe(200);
  return review.json;
}
