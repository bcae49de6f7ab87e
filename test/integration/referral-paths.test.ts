// The referral paths issue 4 names that referral-workflow.test.ts does not drive through the
// public surfaces: acknowledged → progress → resolved; returned and re-routed; extension granted
// and refused. Each referral is seeded (an activity that reached dispatch, with departments of
// its own) and its execution started as DispatchReferrals starts it (name = referral id); from
// there everything goes through the response page, with the link taken from the email in the
// local SES store, and the organisers' API. Each case asserts the stored referral, its audit
// chain, the mail in the local SES store and the execution's history.
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { executionArnOf } from '../../functions/activities/view';
import { GENESIS_HASH, verifyChain } from '../../functions/shared/data/audit';
import { keys } from '../../functions/shared/data/keys';
import {
  DEFAULT_STATUTORY_LIMIT_DAYS,
  DEFAULT_STATUTORY_MAX_DAYS,
  formatDueDate,
  statutoryLatestDueDate,
} from '../../functions/shared/domain/deadlines';
import { rawItem, eventually, executionHistory, inSeconds, sleep } from './support/activity';
import { department, referralChain, startReferral } from './support/referral';
import { api } from './support/api';
import { sentMail, type SentMail } from './support/aws';
import { stateMachineArn } from './support/cloud';

const anonymous = api(null);
const organiser = api('organiser');
const machine = () => stateMachineArn('ReferralWorkflow');
const REFERRAL_SUBJECT = '代表意见建议转办';

type Item = Record<string, unknown>;

const referral = async (id: string): Promise<Item> => {
  const found = await rawItem(keys.referral(id));
  if (!found) throw new Error(`no referral ${id}`);
  return found;
};

const chain = referralChain;

/** The audit chain of the referral: intact, linked from genesis, and its actions in order. */
const verifiedActions = async (id: string): Promise<string[]> => {
  const events = await chain(id);
  expect(verifyChain(events).ok).toBe(true);
  expect(events[0]?.prevHash).toBe(GENESIS_HASH);
  const head = await referral(id);
  expect(head.auditSeq).toBe(events.length);
  expect(head.auditHash).toBe(events.at(-1)?.hash);
  return events.map((event) => event.action);
};

const form = (fields: Record<string, string>) => ({
  body: new URLSearchParams(fields).toString(),
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
});

const post = (path: string, fields: Record<string, string>) =>
  anonymous.request('POST', path, form(fields));

const pendingPhase = (r: Item) => (r.pendingTask as { phase?: string } | undefined)?.phase;
const pendingRound = (r: Item) => (r.pendingTask as { round?: number } | undefined)?.round;

const waitFor = (id: string, accept: (r: Item) => boolean, ms = 20_000) =>
  eventually(() => referral(id), accept, ms);

const waitForPhase = (id: string, phase: string, round = 1) =>
  waitFor(id, (r) => pendingPhase(r) === phase && pendingRound(r) === round);

const mailTo = async (address: string): Promise<SentMail[]> =>
  (await sentMail()).filter((m) => m.destination.to.includes(address));

/** The referral email to `address` (waits for it) and the response page path of its link. */
async function referralEmail(address: string): Promise<{ mail: SentMail; path: string }> {
  const [mail] = await eventually(
    () => mailTo(address),
    (found) => found.some((m) => m.subject.includes(REFERRAL_SUBJECT)),
    20_000,
  );
  expect(mail!.subject).toContain(REFERRAL_SUBJECT);
  const token = /\/respond\/([A-Za-z0-9_.%-]+)/.exec(mail!.body.text ?? '')?.[1];
  expect(token).toBeDefined();
  return { mail: mail!, path: `/respond/${decodeURIComponent(token!)}` };
}

const history = (id: string) => executionHistory(executionArnOf(machine(), id));

const entered = (events: HistoryEvent[]) =>
  events.filter((e) => e.type === 'TaskStateEntered').map((e) => e.stateEnteredEventDetails?.name);

const exited = (events: HistoryEvent[], name: string) =>
  events.filter((e) => e.type === 'TaskStateExited' && e.stateExitedEventDetails?.name === name);

const outputOf = (event: HistoryEvent) =>
  JSON.parse(event.stateExitedEventDetails?.output ?? '{}') as Item;

describe.concurrent('referral paths through the response page and the organisers API', () => {
  it('acknowledged, then progress, then resolved: AwaitDepartment ends once', async () => {
    const water = await department('ack');
    const { id } = await startReferral(water.id);
    const { mail, path } = await referralEmail(water.email);
    const sent = await waitForPhase(id, 'DEPARTMENT');
    expect(sent.status).toBe('SENT');
    expect((sent.emails as { messageId: string }[])[0]!.messageId).toBe(mail.messageId);
    const token = (sent.pendingTask as { token: string }).token;

    const page = await anonymous.get(path);
    expect(page.status).toBe(200);
    expect(page.text).toContain('暴雨后文冲村路段积水');
    expect(page.text).toContain('value="ACKNOWLEDGE"');

    expect((await post(path, { action: 'ACKNOWLEDGE' })).status).toBe(200);
    const acknowledged = await referral(id);
    expect(acknowledged.status).toBe('ACKNOWLEDGED');
    expect(typeof acknowledged.acknowledgedAt).toBe('string');

    const notes = ['已组织人员现场勘查', '已清理雨水口，正在疏通管网'];
    for (const text of notes) {
      expect((await post(path, { action: 'PROGRESS', text })).status).toBe(200);
    }
    const inProgress = await referral(id);
    expect(inProgress.status).toBe('ACKNOWLEDGED');
    expect(typeof inProgress.lastProgressAt).toBe('string');
    // Neither acknowledging nor progress ended the step: the same task is still waiting.
    expect((inProgress.pendingTask as { token: string }).token).toBe(token);
    expect(exited(await history(id), 'AwaitDepartment')).toHaveLength(0);

    const during = await anonymous.get(path);
    expect(during.text).toContain('已确认收到，办理中');
    for (const text of notes) expect(during.text).toContain(text);
    expect(during.text).not.toContain('value="ACKNOWLEDGE"');

    const replyText = `已完成排水管网清淤 ${id.slice(-6)}`;
    const replied = await post(path, { action: 'REPLY', result: 'RESOLVED', text: replyText });
    expect(replied.status).toBe(200);
    const rating = await waitForPhase(id, 'RATING');
    expect(rating.status).toBe('REPLIED');
    expect(rating.reply).toMatchObject({
      round: 1,
      departmentId: water.id,
      result: 'RESOLVED',
      text: replyText,
    });
    expect(rating.acknowledgedAt).toBe(acknowledged.acknowledgedAt);

    // The page now shows the whole round and offers no more forms.
    const after = await anonymous.get(path);
    expect(after.status).toBe(200);
    expect(after.text).toContain('已答复');
    expect(after.text).toContain(replyText);
    for (const text of notes) expect(after.text).toContain(text);
    expect(after.text).not.toContain('<form');

    // The feedback email to the deputy who raised the finding, with the reply and a rating link.
    const claim = await rawItem(keys.emailClaim(`REFERRAL#${id}#ROUND#1#FEEDBACK#D.dep-0001`));
    expect(claim?.messageId).toEqual(expect.any(String));
    const feedback = (await sentMail()).find((m) => m.messageId === claim!.messageId);
    expect(feedback).toBeDefined();
    expect(feedback!.destination.to).toHaveLength(1);
    expect(feedback!.destination.to).not.toContain(water.email);
    expect(feedback!.body.text).toContain(replyText);
    expect(feedback!.body.text).toMatch(/\/rate\/[\w-]+\.[0-9a-z]+\.[\w-]+/);
    // The department got its referral email only.
    expect((await mailTo(water.email)).map((m) => m.messageId)).toEqual([mail.messageId]);

    expect(await verifiedActions(id)).toEqual([
      'REFERRAL_SENT',
      'AWAITING_DEPARTMENT',
      'REFERRAL_ACKNOWLEDGED',
      'PROGRESS_POSTED',
      'PROGRESS_POSTED',
      'REFERRAL_REPLIED',
      'FEEDBACK_SENT',
      'AWAITING_RATING',
    ]);
    const events = await history(id);
    expect(entered(events)).toEqual([
      'SendReferralEmail',
      'AwaitDepartment',
      'SendFeedback',
      'AwaitRatings',
    ]);
    const ended = exited(events, 'AwaitDepartment');
    expect(ended).toHaveLength(1);
    expect(outputOf(ended[0]!).decision).toEqual({ outcome: 'REPLIED' });
  });

  it('returned as not theirs, then re-routed by an organiser to another department', async () => {
    const first = await department('first');
    const second = await department('second');
    const { id } = await startReferral(first.id);
    const { mail: firstMail, path: firstPath } = await referralEmail(first.email);
    await waitForPhase(id, 'DEPARTMENT');

    // Re-routing a referral that was not returned is refused.
    const early = await organiser.post(`/referrals/${id}/reroute`, {
      departmentId: second.id,
      reason: '应由第二单位办理',
    });
    expect(early.status).toBe(409);

    const reason = '该路段排水设施不属我单位管养';
    expect((await post(firstPath, { action: 'RETURN', reason })).status).toBe(200);
    const returned = await waitForPhase(id, 'REROUTE');
    expect(returned.status).toBe('RETURNED');
    expect(returned.returned).toMatchObject({ round: 1, departmentId: first.id, reason });

    // Back to the department that returned it: refused, nothing changes.
    const same = await organiser.post(`/referrals/${id}/reroute`, {
      departmentId: first.id,
      reason: '请再核实',
    });
    expect(same.status).toBe(422);
    expect(await referral(id)).toEqual(returned);

    const rerouted = await organiser.post<{ round: number; departmentId: string }>(
      `/referrals/${id}/reroute`,
      { departmentId: second.id, reason: '按职责改由第二单位办理' },
    );
    expect(rerouted.status, rerouted.text).toBe(200);
    expect(rerouted.json).toMatchObject({ round: 2, departmentId: second.id });

    const { mail: secondMail, path: secondPath } = await referralEmail(second.email);
    expect(secondPath).not.toBe(firstPath);
    const resent = await waitForPhase(id, 'DEPARTMENT', 2);
    expect(resent).toMatchObject({ status: 'SENT', round: 2, departmentId: second.id });
    expect((resent.routing as { departmentId: string }[]).map((r) => r.departmentId)).toEqual([
      first.id,
      second.id,
    ]);
    expect(resent.routing).toEqual([
      expect.objectContaining({ departmentId: first.id, by: 'workflow' }),
      expect.objectContaining({ departmentId: second.id, reason: '按职责改由第二单位办理' }),
    ]);
    expect(resent.emails).toEqual([
      expect.objectContaining({ round: 1, departmentId: first.id, messageId: firstMail.messageId }),
      expect.objectContaining({
        round: 2,
        departmentId: second.id,
        messageId: secondMail.messageId,
      }),
    ]);
    // The first email is kept, and each department got exactly one.
    const stored = (await sentMail()).map((m) => m.messageId);
    expect(stored).toEqual(expect.arrayContaining([firstMail.messageId, secondMail.messageId]));
    expect(await mailTo(first.email)).toHaveLength(1);
    expect(await mailTo(second.email)).toHaveLength(1);

    // The organisers' view shows both departments too.
    const view = await organiser.get<{ referral: { routing: { departmentId: string }[] } }>(
      `/referrals/${id}`,
    );
    expect(view.status).toBe(200);
    expect(view.json.referral.routing.map((r) => r.departmentId)).toEqual([first.id, second.id]);

    // The first department's link is over; it changes nothing.
    expect((await anonymous.get(firstPath)).status).toBe(410);
    expect(
      (await post(firstPath, { action: 'REPLY', result: 'RESOLVED', text: '已处理' })).status,
    ).toBe(410);
    expect(await referral(id)).toEqual(resent);

    // The new link works for the new department.
    const page = await anonymous.get(secondPath);
    expect(page.status).toBe(200);
    expect(page.text).toContain('集成测试部门 second');
    expect(page.text).not.toContain(reason); // the first round's history stays with it
    expect((await post(secondPath, { action: 'ACKNOWLEDGE' })).status).toBe(200);
    expect(await referral(id)).toMatchObject({ status: 'ACKNOWLEDGED', round: 2 });

    expect(await verifiedActions(id)).toEqual([
      'REFERRAL_SENT',
      'AWAITING_DEPARTMENT',
      'REFERRAL_RETURNED',
      'AWAITING_REROUTE',
      'REFERRAL_REROUTED',
      'REFERRAL_SENT',
      'AWAITING_DEPARTMENT',
      'REFERRAL_ACKNOWLEDGED',
    ]);
    const events = await history(id);
    expect(entered(events)).toEqual([
      'SendReferralEmail',
      'AwaitDepartment',
      'AwaitReroute',
      'SendReferralEmail',
      'AwaitDepartment',
    ]);
    expect(outputOf(exited(events, 'AwaitDepartment')[0]!).decision).toEqual({
      outcome: 'RETURNED',
    });
    expect(outputOf(exited(events, 'AwaitReroute')[0]!).decision).toEqual({
      outcome: 'REROUTED',
    });
    expect(events.some((e) => e.type === 'ExecutionFailed')).toBe(false);
  });

  it('extension asked on the page: granted within the statutory limit, refused elsewhere', async () => {
    // Due in seconds, no reminders: CheckDeadlines runs at the (old) due instant.
    const dueInSeconds = 14;
    const deadline = { dueAt: inSeconds(dueInSeconds), reminderSecondsBefore: [] };
    const granted = await department('grant');
    const refused = await department('refuse');
    const a = await startReferral(granted.id, deadline);
    const b = await startReferral(refused.id, deadline);
    const oldDueAt = Date.parse(deadline.dueAt);
    const [{ path: pathA }, { path: pathB }] = await Promise.all([
      referralEmail(granted.email),
      referralEmail(refused.email),
    ]);
    await Promise.all([waitForPhase(a.id, 'DEPARTMENT'), waitForPhase(b.id, 'DEPARTMENT')]);

    // Both departments ask for 10 more days on the page.
    for (const path of [pathA, pathB]) {
      const asked = await post(path, {
        action: 'REQUEST_EXTENSION',
        days: '10',
        reason: '需协调管网改造施工',
      });
      expect(asked.status).toBe(200);
    }
    const beforeA = await referral(a.id);
    expect(beforeA.status).toBe('SENT');
    expect(beforeA.extensionRequest).toMatchObject({ round: 1, days: 10, status: 'PENDING' });
    expect((await anonymous.get(pathA)).text).toContain('待审批');

    // A grant past the statutory maximum (180 days from dispatch): 422, nothing changed.
    const tooLong = await organiser.post(`/referrals/${a.id}/extension`, {
      decision: 'GRANT',
      days: 170,
      reason: '同意延期',
    });
    expect(tooLong.status, tooLong.text).toBe(422);
    expect(await referral(a.id)).toEqual(beforeA);

    // The grant: the due date moves by the days asked for, within the statutory maximum.
    const grant = await organiser.post<{ dueDate: string }>(`/referrals/${a.id}/extension`, {
      decision: 'GRANT',
      reason: '同意延期',
    });
    expect(grant.status, grant.text).toBe(200);
    expect(Date.now()).toBeLessThan(oldDueAt); // decided before the old due instant
    const addDays = (date: string, days: number) =>
      new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
    const newDueDate = addDays(String(beforeA.dueDate), 10);
    expect(grant.json.dueDate).toBe(newDueDate);
    const latest = statutoryLatestDueDate(
      new Date(String(beforeA.dispatchedAt)),
      {
        statutoryLimitDays: DEFAULT_STATUTORY_LIMIT_DAYS,
        statutoryMaxDays: DEFAULT_STATUTORY_MAX_DAYS,
      },
      true,
    );
    expect(newDueDate <= latest).toBe(true);

    const beforeB = await referral(b.id);
    const refusal = await organiser.post(`/referrals/${b.id}/extension`, {
      decision: 'REFUSE',
      reason: '不予延期，请按期办结',
    });
    expect(refusal.status, refusal.text).toBe(200);
    // Deciding twice is refused.
    const again = await organiser.post(`/referrals/${b.id}/extension`, {
      decision: 'GRANT',
      reason: '同意延期',
    });
    expect(again.status).toBe(409);

    const afterA = await referral(a.id);
    expect(afterA.dueDate).toBe(newDueDate);
    expect(Date.parse(String(afterA.dueAt))).toBe(oldDueAt + 10 * 86_400_000);
    expect(afterA.extensionRequest).toMatchObject({
      status: 'GRANTED',
      days: 10,
      newDueDate,
      decisionReason: '同意延期',
    });
    const afterB = await referral(b.id);
    expect(afterB.dueDate).toBe(beforeB.dueDate);
    expect(afterB.dueAt).toBe(beforeB.dueAt);
    expect(afterB.extensionRequest).toMatchObject({
      status: 'REFUSED',
      decisionReason: '不予延期，请按期办结',
    });
    expect(afterB.extensionRequest).not.toHaveProperty('newDueDate');
    const pageA = await anonymous.get(pathA);
    expect(pageA.text).toContain('已批准');
    expect(pageA.text).toContain(formatDueDate(newDueDate, 'zh')); // one calendar date, as every page writes it
    expect((await anonymous.get(pathB)).text).toContain('未批准');

    // At the old due instant: the refused referral is overdue and escalated; the granted one
    // is checked and keeps waiting for its new due date.
    const overdue = await waitFor(b.id, (r) => r.status === 'OVERDUE', 30_000);
    expect(overdue.escalation).toMatchObject({ round: 1 });
    await eventually(
      () => history(a.id),
      (events) => entered(events).filter((n) => n === 'AwaitDepartment').length >= 2,
      10_000,
    );
    await sleep(Math.max(0, oldDueAt + 1000 - Date.now()));
    const stillWaiting = await waitForPhase(a.id, 'DEPARTMENT');
    expect(stillWaiting.status).toBe('SENT');
    expect(stillWaiting).not.toHaveProperty('escalation');
    expect(stillWaiting).not.toHaveProperty('overdueAt');
    expect(Date.parse((stillWaiting.pendingTask as { deadline: string }).deadline)).toBe(
      oldDueAt + 10 * 86_400_000,
    );

    // Mail: each department its referral email only; the escalation for the refused one.
    expect(await mailTo(granted.email)).toHaveLength(1);
    expect(await mailTo(refused.email)).toHaveLength(1);
    const escalation = (await sentMail()).find(
      (m) => m.messageId === (overdue.escalation as { messageId: string }).messageId,
    );
    expect(escalation?.subject).toContain('已逾期');
    expect(escalation!.body.text).toContain('集成测试部门 refuse');
    expect(escalation!.destination.to).toEqual(
      expect.arrayContaining([expect.stringMatching(/^urban-construction@/)]),
    );
    const escalationsOfA = (await sentMail()).filter(
      (m) => m.subject.includes('已逾期') && m.body.text?.includes('集成测试部门 grant'),
    );
    expect(escalationsOfA).toEqual([]);

    expect(await verifiedActions(a.id)).toEqual([
      'REFERRAL_SENT',
      'AWAITING_DEPARTMENT',
      'EXTENSION_REQUESTED',
      'EXTENSION_GRANTED',
      'AWAITING_DEPARTMENT',
    ]);
    expect(await verifiedActions(b.id)).toEqual([
      'REFERRAL_SENT',
      'AWAITING_DEPARTMENT',
      'EXTENSION_REQUESTED',
      'EXTENSION_REFUSED',
      'REFERRAL_OVERDUE',
      'AWAITING_DEPARTMENT',
    ]);
    for (const id of [a.id, b.id]) {
      const events = await history(id);
      expect(entered(events)).toEqual([
        'SendReferralEmail',
        'AwaitDepartment',
        'CheckDeadlines',
        'AwaitDepartment',
      ]);
      // The first wait ended by its deadline (States.Timeout), never by a signal.
      expect(events.filter((e) => e.type === 'TaskTimedOut')).toHaveLength(1);
    }
  });
});
