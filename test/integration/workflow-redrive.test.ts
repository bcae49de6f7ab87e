// Integration test (local cloud, real engines): a referral workflow step that fails for good
// (its department has no usable address) fails the execution at that step; the failure is
// recorded on the referral from the execution's FAILED event (the EventBridge rule's target);
// once the address is fixed, POST /referrals/{id}/redrive runs the step again: one email, the
// failure cleared, the chain intact. Who may redrive, and what is refused, without any change.
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { executionArnOf } from '../../functions/activities/view';
import { verifyChain } from '../../functions/shared/data/audit';
import { keys } from '../../functions/shared/data/keys';
import { rawItem, describeExecution, eventually, executionHistory } from './support/activity';
import { api } from './support/api';
import { ddbDoc, sentMail } from './support/aws';
import { stateMachineArn, tableName } from './support/cloud';
import { department, referralChain, startReferral } from './support/referral';

type Item = Record<string, unknown>;
const organiser = api({ role: 'organiser', sub: 'org-redrive-own', street: 'WENCHONG' });
const otherStreet = api({ role: 'organiser', sub: 'org-redrive-other', street: 'HUANGPU' });
const auditor = api('auditor');

const referral = async (id: string): Promise<Item> => (await rawItem(keys.referral(id))) ?? {};

const actionsOf = async (id: string): Promise<string[]> => {
  const events = await referralChain(id);
  expect(verifyChain(events).ok).toBe(true);
  return events.map((e) => e.action);
};

const executionOf = (id: string) => executionArnOf(stateMachineArn('ReferralWorkflow'), id);

describe('a failed referral step, redriven once its cause is removed', () => {
  it('fails at SendReferralEmail, shows the failure, and sends once after the redrive', async () => {
    const dept = await department('redrive', ['not an address']);
    const { id } = await startReferral(dept.id, {}, { street: 'WENCHONG' });

    const failed = await eventually(
      () => referral(id),
      (r) => r.failure !== undefined,
      30_000,
    );
    const execution = await describeExecution(executionOf(id));
    expect(execution).toMatchObject({ status: 'FAILED', error: 'ConflictError' });
    const failedAt = (await executionHistory(executionOf(id)))
      .filter((e) => e.type === 'TaskStateEntered')
      .map((e) => e.stateEnteredEventDetails?.name)
      .at(-1);
    expect(failedAt).toBe('SendReferralEmail');
    expect(failed.status).toBe('DISPATCHED');
    expect(failed.failure).toMatchObject({ error: 'ConflictError' });
    const shown = await organiser.get<{ referral: { failure?: { error: string } } }>(
      `/referrals/${id}`,
    );
    expect(shown.status, shown.text).toBe(200);
    expect(JSON.stringify(shown.json)).toContain('ConflictError');
    // Issue 12 item 4: the execution's cause holds the trace with server paths; what organisers
    // see is the error's name, its message and what to do, and the request id of the log line
    // that keeps the trace.
    expect(execution.cause).toMatch(/"trace":\[.*\bat .*\.ts:\d+/);
    const shownFailure = (
      shown.json as unknown as {
        referral: { failure: { error: string; cause: string; requestId?: string } };
      }
    ).referral.failure;
    expect(shownFailure.cause).not.toMatch(
      /\/work\/|\/var\/task|node_modules|file:\/\/|\bat [\w.<>]+ \(|\.[cm]?[jt]s:\d+/,
    );
    expect(shownFailure.cause).toContain(
      JSON.parse(execution.cause ?? '{}').errorMessage.slice(0, 40),
    );
    expect(shownFailure.cause).toContain("Fix what it names (e.g. a department's address)");
    expect(shownFailure.requestId).toEqual(expect.any(String));

    // Refused, and nothing changes: another street's organiser, an auditor, no reason.
    const path = `/referrals/${id}/redrive`;
    expect((await otherStreet.post(path, { reason: '已更正' })).status).toBe(404);
    expect((await auditor.post(path, { reason: '已更正' })).status).toBe(403);
    const noReason = await organiser.post(path, {});
    expect(noReason.status).toBe(422);
    expect(noReason.json).toMatchObject({ message: expect.stringContaining('reason') });
    expect((await referral(id)).auditSeq).toBe(failed.auditSeq);
    expect((await describeExecution(executionOf(id))).redriveCount ?? 0).toBe(0);

    // The cause removed: the department's address fixed.
    const stored = (
      await ddbDoc().send(new GetCommand({ TableName: tableName(), Key: keys.department(dept.id) }))
    ).Item!;
    await ddbDoc().send(
      new PutCommand({ TableName: tableName(), Item: { ...stored, emails: [dept.email] } }),
    );
    const redriven = await organiser.post(path, { reason: '部门邮箱已更正' });
    expect(redriven.status, redriven.text).toBe(200);
    expect(redriven.json).toMatchObject({ referralId: id, redriveCount: 1, redrivenNow: true });
    const again = await organiser.post(path, { reason: '再次' });
    expect(again.status, again.text).toBe(200);
    expect(again.json).toMatchObject({ redriveCount: 1, redrivenNow: false });

    const sent = await eventually(
      () => referral(id),
      (r) => r.status === 'SENT',
      30_000,
    );
    expect(sent.failure).toBeUndefined();
    const mail = (await sentMail()).filter((m) => m.destination.to.includes(dept.email));
    expect(mail).toHaveLength(1);
    expect(await describeExecution(executionOf(id))).toMatchObject({
      status: 'RUNNING',
      redriveCount: 1,
    });
    const actions = await actionsOf(id);
    const inOrder = ['REFERRAL_FAILED', 'REFERRAL_REDRIVEN', 'REFERRAL_SENT'];
    expect(actions.filter((a) => inOrder.includes(a))).toEqual(inOrder);

    // Running again: a further request changes nothing.
    const seq = (await referral(id)).auditSeq;
    const notFailed = await organiser.post(path, { reason: '无' });
    expect(notFailed.status).toBe(200);
    expect(notFailed.json).toMatchObject({ redrivenNow: false });
    expect((await referral(id)).auditSeq).toBe(seq);
  });

  it('answers 409 for a completed activity: nothing to redrive', async () => {
    const dept = await department('redrive-ok');
    const { activityId } = await startReferral(dept.id, {}, { street: 'WENCHONG' });
    const res = await organiser.post(`/activities/${activityId}/redrive`, { reason: '试' });
    expect(res.status).toBe(409);
    expect(res.json).toMatchObject({ message: expect.stringMatching(/COMPLETED/) });
  });
});
