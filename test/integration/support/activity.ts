// Helpers for driving activities through the local cloud: scheduling, polling for a status or a
// human step, the audit chain and the raw item in DynamoDB Local, the execution in the local
// Step Functions service.
import { DescribeExecutionCommand, type DescribeExecutionCommandOutput } from '@aws-sdk/client-sfn';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import { executionArnOf } from '../../../functions/activities/view';
import { verifyChain, type AuditEvent } from '../../../functions/shared/data/audit';
import { keys } from '../../../functions/shared/data/keys';
import type { ApiClient } from './api';
import { activityBody, findingBody, inDays } from '../../support/bodies';
import { eventually, sleep } from '../../support/poll';
import { ddbDoc, queryItems, sfnClient } from './aws';
import { stateMachineArn, tableName } from './cloud';

// The request bodies and times the tests, the benchmarks and the demo share.
export { activityBody, findingBody, inDays, inSeconds } from '../../support/bodies';

// The kit's one polling helper, re-exported where the integration and chaos files import it.
export { eventually, sleep };
export { executionHistory } from './aws';

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
export const auditEvents = async (activityId: string): Promise<AuditEvent[]> =>
  (await queryItems({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
    ExpressionAttributeValues: { ':pk': `ACTIVITY#${activityId}`, ':audit': 'AUDIT#' },
  })) as unknown as AuditEvent[];

/** The activity's audit chain, which must verify and name each of `actions` (in any order). */
export async function verifiedTrail(activityId: string, actions: string[]): Promise<AuditEvent[]> {
  const events = await auditEvents(activityId);
  expect(verifyChain(events)).toMatchObject({ ok: true });
  const named = events.map((event) => event.action);
  for (const action of actions) expect(named).toContain(action);
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

/**
 * Sets committee and due date (30 days ahead unless given) on every referral of the review, then
 * approves (asserts 200); returns the review as approved and the number of referrals the
 * approval dispatched.
 */
export async function completeReview(
  organiser: ApiClient,
  id: string,
  committeeId: string,
  dueDate = inDays(30),
): Promise<ReviewJson & { approvedReferrals: number }> {
  const review = await organiser.get<ReviewJson>(`/activities/${id}/review`);
  expect(review.status, review.text).toBe(200);
  for (const referral of review.json.referrals) {
    const res = await organiser.post(`/activities/${id}/review/referrals/${referral.id}`, {
      committeeId,
      dueDate,
    });
    expect(res.status, res.text).toBe(200);
  }
  const approved = await organiser.post<{ approvedReferrals: number }>(
    `/activities/${id}/review/approve`,
  );
  expect(approved.status, approved.text).toBe(200);
  return { ...review.json, approvedReferrals: approved.json.approvedReferrals };
}

/** Each deputy answers the invitation to the activity with `response` (asserts 200). */
export async function answerInvitation(
  deputies: ApiClient[],
  activityId: string,
  response: 'ACCEPTED' | 'DECLINED' = 'ACCEPTED',
): Promise<void> {
  for (const deputy of deputies) {
    const res = await deputy.post(`/activities/${activityId}/invitation/response`, { response });
    expect(res.status, res.text).toBe(200);
  }
}

/** Each deputy checks in to the activity (asserts 201). */
export async function checkIn(deputies: ApiClient[], activityId: string): Promise<void> {
  for (const deputy of deputies) {
    const res = await deputy.post(`/activities/${activityId}/check-ins`);
    expect(res.status, res.text).toBe(201);
  }
}

export type HumanStep = 'START' | 'ATTENDANCE' | 'FINDINGS' | 'REVIEW';

/**
 * Schedules an activity and ends each human step before `step` early, so that its workflow waits
 * on `step`'s token; returns its id. `whileOpen` runs once check-in is open (check-ins, findings)
 * on the way to FINDINGS or REVIEW.
 */
export async function activityAtStep(
  organiser: ApiClient,
  step: HumanStep,
  overrides: Record<string, unknown> = {},
  whileOpen?: (id: string) => Promise<unknown>,
): Promise<string> {
  const id = await scheduleActivity(organiser, overrides);
  await waitForPhase(organiser, id, 'START');
  if (step === 'START') return id;
  await openCheckIn(organiser, id);
  if (step === 'ATTENDANCE') return id;
  await whileOpen?.(id);
  await closeAttendance(organiser, id);
  if (step === 'FINDINGS') return id;
  await closeFindings(organiser, id);
  return id;
}

/**
 * An activity run to COMPLETED through the organiser's routes: scheduled, `whileOpen` once
 * check-in is open, each step ended early, `decide` at the review, every referral given the
 * committee and a due date, approved. Returns its id and the review as it was approved.
 */
export async function completedActivity(
  organiser: ApiClient,
  committeeId: string,
  overrides: Record<string, unknown> = {},
  steps: {
    whileOpen?: (id: string) => Promise<unknown>;
    decide?: (id: string) => Promise<unknown>;
  } = {},
): Promise<{ id: string; review: ReviewJson }> {
  const id = await activityAtStep(organiser, 'REVIEW', overrides, steps.whileOpen);
  await steps.decide?.(id);
  const review = await completeReview(organiser, id, committeeId);
  await waitForStatus(organiser, id, 'COMPLETED', 120_000);
  return { id, review };
}

/**
 * An activity scheduled through the organiser's routes and cancelled (for `reason`) while it
 * awaits its start; returns its id once it is CANCELLED.
 */
export async function cancelledActivity(
  organiser: ApiClient,
  overrides: Record<string, unknown> = {},
  reason = '天气原因',
): Promise<string> {
  const id = await activityAtStep(organiser, 'START', overrides);
  const res = await organiser.post(`/activities/${id}/cancel`, { reason });
  expect(res.status, res.text).toBeLessThan(300);
  await waitForStatus(organiser, id, 'CANCELLED');
  return id;
}

/** Waits until the referral's workflow waits on the department (its email went out). */
export const referralAtDepartment = (referralId: string) =>
  eventually(
    () => rawItem(keys.referral(referralId)),
    (item) => (item?.pendingTask as { phase?: string } | undefined)?.phase === 'DEPARTMENT',
    60_000,
  );

/** Waits until the referral waits on the department, then the organiser closes it. */
export async function closeReferralAtDepartment(
  organiser: ApiClient,
  referralId: string,
): Promise<void> {
  await referralAtDepartment(referralId);
  const closed = await organiser.post(`/referrals/${referralId}/close`, { reason: '已督办完毕' });
  expect(closed.status, closed.text).toBeLessThan(300);
}
