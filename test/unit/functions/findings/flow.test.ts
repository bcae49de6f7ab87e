// unit test: the findings → triage → review → dispatch → completion handlers end to end on an
// in-memory table (DocumentClient, SFN and SES mocked with aws-sdk-client-mock)
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { SendEmailCommand, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { simpleParser } from 'mailparser';
import { parseCalendar } from '../../../support/calendar.js';
import {
  DescribeExecutionCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { beforeEach, describe, expect, it } from 'vitest';
import { mockAws } from '../../../support/aws.js';
import { verifyChain, type AuditEvent } from '../../../../functions/shared/data/audit.js';
import { referralIdOf } from '../../../../functions/findings/model.js';
import {
  REFERRAL_STATE_MACHINE_ARN as REFERRAL_SM,
  httpEvent,
  lambdaContext,
  organiserClaims,
  setTestEnv,
} from '../helpers.js';
import { fakeTable } from '../../../support/dynamodb-fake';

setTestEnv();

const recordFinding = (await import('../../../../functions/findings/record-finding.js')).handler;
const listFindings = (await import('../../../../functions/findings/list-findings.js')).handler;
const closeFindingsApi = (await import('../../../../functions/findings/close-findings.js')).handler;
const closeFindingsStep = (
  await import('../../../../functions/activity-workflow/close-findings.js')
).handler;
const triageStep = (await import('../../../../functions/activity-workflow/triage.js')).handler;
const dispatchStep = (await import('../../../../functions/activity-workflow/dispatch-referrals.js'))
  .handler;
const completeStep = (await import('../../../../functions/activity-workflow/complete-activity.js'))
  .handler;
const getReview = (await import('../../../../functions/review/get-review.js')).handler;
const decide = (await import('../../../../functions/review/decide-findings.js')).handler;
const updateReferral = (await import('../../../../functions/review/update-referral.js')).handler;
const approve = (await import('../../../../functions/review/approve-review.js')).handler;
const cancel = (await import('../../../../functions/activities/cancel-activity.js')).handler;

const table = fakeTable();
const { sfn, ses, secrets } = mockAws('sfn', 'ses', 'secrets');

const ID = '01J5ZQ8V6W7X8Y9Z0ABCDEFGHJ';
const PK = `ACTIVITY#${ID}`;
const deputy = (id: string) => ({ sub: id, 'cognito:groups': '[deputy]' });
const auditor = { sub: 'aud-1', 'cognito:groups': '[auditor]' };

const call = async (
  handler: (event: never, context: never) => Promise<unknown>,
  options: Parameters<typeof httpEvent>[0],
) => {
  const result = (await handler(httpEvent(options) as never, lambdaContext() as never)) as {
    statusCode: number;
    body?: string;
  };
  return { status: result.statusCode, json: JSON.parse(result.body ?? 'null') };
};
const step = (handler: (event: never, context: never) => Promise<unknown>, activityId = ID) =>
  handler({ activityId } as never, lambdaContext() as never) as Promise<Record<string, unknown>>;

const path = (suffix = '') => ({
  path: `/activities/${ID}${suffix}`,
  pathParameters: { activityId: ID },
});

const activity = () => table.get(PK, 'ACTIVITY')!;
const setActivity = (changes: Record<string, unknown>) => Object.assign(activity(), changes);
const auditEvents = () => table.withPrefix(PK, 'AUDIT#') as unknown as AuditEvent[];

const validFinding = {
  kind: 'PROBLEM',
  category: 'DRAINAGE',
  description: '暴雨后文冲村路段积水严重',
  place: '文冲村东路',
  needsReferral: true,
};

/** POST /activities/{id}/findings with `body`, as `claims` (an organiser when undefined). */
const recordAs = (claims: Record<string, unknown> | undefined, body: unknown = validFinding) =>
  call(recordFinding, { ...path('/findings'), body, claims });

const seed = () => {
  table.reset();
  table.put({
    pk: PK,
    sk: 'ACTIVITY',
    entity: 'ACTIVITY',
    id: ID,
    title: '代表进社区',
    type: 'COMMUNITY_VISIT',
    street: 'WENCHONG',
    location: '文冲街道',
    startsAt: '2020-08-18T09:00:00+08:00',
    endsAt: '2020-08-18T17:00:00+08:00',
    language: 'zh',
    organiserId: organiserClaims.sub,
    status: 'CHECK_IN_OPEN',
    phase: 'CHECK_IN',
    invitedCount: 2,
    auditSeq: 0,
    auditHash: '0'.repeat(64),
    attendance: { personTimes: { byLevel: { MUNICIPAL: 1, DISTRICT: 2 }, total: 2 }, checkedIn: 2 },
  });
  for (const deputyId of ['dep-0001', 'dep-0002']) {
    table.put({
      pk: PK,
      sk: `INVITATION#${deputyId}`,
      entity: 'INVITATION',
      activityId: ID,
      deputyId,
    });
    table.put({
      pk: `DEPUTY#${deputyId}`,
      sk: 'PROFILE',
      id: deputyId,
      name: deputyId === 'dep-0001' ? '陈代表' : '李代表',
      email: `${deputyId}@deputies.example.org`,
      active: true,
    });
  }
  table.put({
    pk: 'ROUTING',
    sk: 'RULE#DRAINAGE#*',
    category: 'DRAINAGE',
    street: '*',
    departmentId: 'dept-water',
    active: true,
  });
  table.put({
    pk: 'ROUTING',
    sk: 'RULE#HOUSING#*',
    category: 'HOUSING',
    street: '*',
    departmentId: 'dept-housing',
    active: true,
  });
  for (const id of ['dept-water', 'dept-housing']) {
    table.put({ pk: `DEPARTMENT#${id}`, sk: 'PROFILE', id, active: true });
  }
  table.put({ pk: 'DEPARTMENT#dept-closed', sk: 'PROFILE', id: 'dept-closed', active: false });
  table.put({ pk: 'COMMITTEE#cmte-wenchong', sk: 'PROFILE', id: 'cmte-wenchong', active: true });
};

beforeEach(() => {
  setTestEnv();
  seed();
  secrets
    .on(GetSecretValueCommand)
    .resolves({ SecretString: 'resident-lookup-key-of-the-unit-tests-0123456789' });
  sfn.on(SendTaskSuccessCommand).resolves({});
  sfn.on(StartExecutionCommand).callsFake((input) => ({
    executionArn: `${REFERRAL_SM.replace(':stateMachine:', ':execution:')}:${input.name}`,
    startDate: new Date(),
  }));
  sfn.on(StopExecutionCommand).resolves({ stopDate: new Date() });
  let n = 0;
  ses.on(SendEmailCommand).callsFake(() => ({ MessageId: `msg-${++n}` }));
  // Cancellation notices carry a calendar event: they are sent raw.
  ses.on(SendRawEmailCommand).callsFake(() => ({ MessageId: `msg-${++n}` }));
});

describe('findings', () => {
  it('lets an invited deputy record a finding with its unchained audit record', async () => {
    const { status, json } = await recordAs(deputy('dep-0001'));
    expect(status).toBe(201);
    expect(json.finding).toMatchObject({ raisedBy: { deputyId: 'dep-0001' }, needsReferral: true });
    const [transaction] = table.transactions();
    expect(transaction!.TransactItems).toHaveLength(3);
    expect(transaction!.TransactItems![2]!.ConditionCheck).toMatchObject({
      Key: { pk: PK, sk: 'ACTIVITY' },
    });
    expect(table.withPrefix(PK, 'AUDIT_FINDING#')).toHaveLength(1);
    expect(activity().auditSeq).toBe(0); // not chained: no contention on the activity
  });

  it('refuses deputies not invited (404), auditors (403), closed phases (409), bad input (422)', async () => {
    expect((await recordAs(deputy('dep-0099'))).status).toBe(404);
    expect((await recordAs(auditor)).status).toBe(403);
    expect((await recordAs(deputy('dep-0001'), { ...validFinding, extra: 1 })).status).toBe(422);
    expect(
      (await recordAs(deputy('dep-0001'), { ...validFinding, category: 'NOPE' })).json.issues[0]
        .path,
    ).toBe('category');
    // an organiser names a resident or a deputy
    expect((await recordAs(undefined)).status).toBe(422);
    setActivity({ status: 'TRIAGE' });
    const closed = await recordAs(deputy('dep-0001'));
    expect(closed.status).toBe(409);
    expect(table.transactions()).toHaveLength(0);
  });

  it('retries a lost race and refuses when findings closed meanwhile', async () => {
    table.state.failNextTransactions = 1;
    expect((await recordAs(deputy('dep-0001'))).status).toBe(201);
    expect(table.transactions()).toHaveLength(2);
  });

  it('shows residents to organisers and authors only; deputies see their own findings', async () => {
    await recordAs(undefined, {
      ...validFinding,
      resident: { name: '王女士', contact: '13800000000', consentToContact: true },
    });
    await recordAs(deputy('dep-0001'));
    const organiser = await call(listFindings, { method: 'GET', ...path('/findings') });
    expect(organiser.json.findings).toHaveLength(2);
    expect(JSON.stringify(organiser.json)).toContain('王女士');
    const audit = await call(listFindings, {
      method: 'GET',
      ...path('/findings'),
      claims: auditor,
    });
    expect(audit.json.findings).toHaveLength(2);
    expect(JSON.stringify(audit.json)).not.toMatch(/王女士|13800000000/);
    const own = await call(listFindings, {
      method: 'GET',
      ...path('/findings'),
      claims: deputy('dep-0001'),
    });
    expect(own.json.findings).toHaveLength(1);
    const other = await call(listFindings, {
      method: 'GET',
      ...path('/findings'),
      claims: deputy('dep-0002'),
    });
    expect(other.json.findings).toHaveLength(0);
    expect(JSON.stringify(table.withPrefix(PK, 'AUDIT_FINDING#'))).not.toContain('王女士');
  });

  it('closes the findings step with the stored token; 409 when not waiting for it', async () => {
    expect((await call(closeFindingsApi, path('/findings/close'))).status).toBe(409);
    setActivity({
      status: 'FINDINGS_OPEN',
      phase: 'FINDINGS',
      pendingTask: { phase: 'FINDINGS', token: 'tok-f', since: 'x' },
    });
    expect(
      (await call(closeFindingsApi, { ...path('/findings/close'), claims: deputy('dep-0001') }))
        .status,
    ).toBe(403);
    const { status } = await call(closeFindingsApi, path('/findings/close'));
    expect(status).toBe(200);
    expect(sfn.commandCalls(SendTaskSuccessCommand)[0]!.args[0].input.taskToken).toBe('tok-f');
  });
});

/** A referral of the activity under test: APPROVED for dept-water unless `fields` say otherwise. */
const putReferral = (referralId: string, fields: Record<string, unknown> = {}) =>
  table.put({
    pk: `REFERRAL#${referralId}`,
    sk: 'REFERRAL',
    id: referralId,
    activityId: ID,
    departmentId: 'dept-water',
    findingIds: [],
    status: 'APPROVED',
    auditSeq: 0,
    auditHash: '0'.repeat(64),
    ...fields,
  });

describe('the activity from findings to completion', () => {
  it('seals, triages, reviews, approves, dispatches and completes with a verifiable trail', async () => {
    const f = async (body: Record<string, unknown>, claims?: Record<string, unknown>) =>
      (await recordAs(claims, body)).json.finding.id as string;
    const drain1 = await f(validFinding, deputy('dep-0001'));
    const drain2 = await f({ ...validFinding, description: '同一路段积水' }, deputy('dep-0002'));
    const housing = await f(
      { ...validFinding, category: 'HOUSING', description: '加装电梯进展慢' },
      deputy('dep-0001'),
    );
    const trees = await f({
      ...validFinding,
      category: 'ANCIENT_TREES',
      description: '古树保护',
      resident: { consentToContact: false },
    });
    await f(
      { ...validFinding, kind: 'CONSULTATION', category: 'LEGAL_AID', needsReferral: false },
      deputy('dep-0002'),
    );
    setActivity({
      status: 'FINDINGS_OPEN',
      phase: 'FINDINGS',
      pendingTask: { phase: 'FINDINGS', token: 't', since: 'x' },
    });

    // CloseFindings: closed, then sealed; a retry changes nothing
    expect(await step(closeFindingsStep)).toEqual({ activityId: ID });
    expect(activity()).toMatchObject({ status: 'TRIAGE', findingsSeal: { count: 5 } });
    expect(activity().pendingTask).toBeUndefined();
    const sealed = table.transactions().length;
    await step(closeFindingsStep);
    expect(table.transactions()).toHaveLength(sealed);

    // Triage
    expect(await step(triageStep)).toEqual({ activityId: ID, referrals: 2, unrouted: 1 });
    const waterId = referralIdOf(ID, 'dept-water');
    const housingId = referralIdOf(ID, 'dept-housing');
    expect(table.get(`REFERRAL#${waterId}`, 'REFERRAL')).toMatchObject({
      status: 'DRAFT',
      findingIds: [drain1, drain2],
      ownerPk: PK,
      ownerSk: 'REFERRAL#dept-water',
    });
    expect(table.get(PK, `FINDING#${trees}`)).toMatchObject({ unrouted: true });
    expect(activity()).toMatchObject({ status: 'IN_REVIEW', phase: 'REVIEW' });
    expect(await step(triageStep)).toEqual({ activityId: ID, referrals: 2, unrouted: 1 });

    // Review
    setActivity({ pendingTask: { phase: 'REVIEW', token: 'tok-review', since: 'x' } });
    const review = await call(getReview, { method: 'GET', ...path('/review') });
    expect(review.json.approval).toMatchObject({ ready: false, undecided: [trees] });
    expect(
      (await call(getReview, { method: 'GET', ...path('/review'), claims: deputy('dep-0001') }))
        .status,
    ).toBe(403);
    const early = await call(approve, path('/review/approve'));
    expect(early.status).toBe(409);
    expect(early.json.message).toMatch(/undecided/);

    const bad = await call(decide, {
      ...path('/review/decisions'),
      body: {
        decisions: [
          { findingId: trees, decision: 'REFER', departmentId: 'dept-closed', reason: 'r' },
        ],
      },
    });
    expect(bad.status).toBe(422);
    const decided = await call(decide, {
      ...path('/review/decisions'),
      body: {
        decisions: [
          { findingId: drain2, decision: 'MERGE', intoFindingId: drain1, reason: '同一路段' },
          {
            findingId: trees,
            decision: 'REFER',
            departmentId: 'dept-housing',
            reason: '由住建部门牵头',
          },
        ],
      },
    });
    expect(decided.status).toBe(200);
    // The merged finding stays in the referral of the finding it is merged into.
    expect(decided.json.referrals.find((r: { id: string }) => r.id === waterId).findingIds).toEqual(
      [drain1, drain2].sort(),
    );

    const stillIncomplete = await call(approve, path('/review/approve'));
    expect(stillIncomplete.status).toBe(409);
    expect(stillIncomplete.json.message).toMatch(/lacks committeeId and dueDate/);

    for (const referralId of [waterId, housingId]) {
      const updated = await call(updateReferral, {
        path: `/activities/${ID}/review/referrals/${referralId}`,
        pathParameters: { activityId: ID, referralId },
        body: { committeeId: 'cmte-wenchong', dueDate: '2099-01-01' },
      });
      expect(updated.status, JSON.stringify(updated.json)).toBe(422); // more than a year ahead
      const ok = await call(updateReferral, {
        path: `/activities/${ID}/review/referrals/${referralId}`,
        pathParameters: { activityId: ID, referralId },
        body: {
          committeeId: 'cmte-wenchong',
          dueDate: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
        },
      });
      expect(ok.status, JSON.stringify(ok.json)).toBe(200);
    }
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0); // nothing emailed before approval

    const approved = await call(approve, path('/review/approve'));
    expect(approved.status, JSON.stringify(approved.json)).toBe(200);
    expect(approved.json.approvedReferrals).toBe(2);
    expect(sfn.commandCalls(SendTaskSuccessCommand).at(-1)!.args[0].input.taskToken).toBe(
      'tok-review',
    );
    expect(table.get(`REFERRAL#${housingId}`, 'REFERRAL')).toMatchObject({
      status: 'APPROVED',
      findingIds: [housing, trees].sort(),
    });
    expect(
      (
        await call(decide, {
          ...path('/review/decisions'),
          body: { decisions: [{ findingId: housing, decision: 'NO_ACTION', reason: 'r' }] },
        })
      ).status,
    ).toBe(409);

    // Dispatch: one execution per referral, name = referral id; a retry starts nothing new
    expect(await step(dispatchStep)).toEqual({ activityId: ID, dispatched: 2 });
    const starts = sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input);
    expect(starts.map((s) => s.name).sort()).toEqual([waterId, housingId].sort());
    expect(starts[0]).toMatchObject({
      stateMachineArn: REFERRAL_SM,
      input: JSON.stringify({ referralId: starts[0]!.name }),
    });
    expect(table.get(`REFERRAL#${waterId}`, 'REFERRAL')).toMatchObject({
      status: 'DISPATCHED',
      auditSeq: 1,
    });
    expect(table.get(`REFERRAL#${waterId}`, 'AUDIT#00000001')).toMatchObject({
      action: 'REFERRAL_DISPATCHED',
    });
    expect(await step(dispatchStep)).toEqual({ activityId: ID, dispatched: 2 });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(2);

    // Complete
    expect(await step(completeStep)).toEqual({ activityId: ID });
    expect(activity()).toMatchObject({
      status: 'COMPLETED',
      report: {
        personTimes: { total: 2 },
        findings: { total: 5, merged: 1, referred: 3, byKind: { PROBLEM: 4, CONSULTATION: 1 } },
        referrals: { total: 2, dispatched: 2 },
      },
    });

    // The trail: chained, verifiable, no personal data
    const events = auditEvents();
    expect(verifyChain(events)).toMatchObject({ ok: true });
    expect(events.map((e) => e.action)).toEqual([
      'FINDINGS_CLOSED',
      'FINDINGS_SEALED',
      'FINDINGS_TRIAGED',
      'REVIEW_DECISIONS_RECORDED',
      'REFERRAL_UPDATED',
      'REFERRAL_UPDATED',
      'REVIEW_APPROVED',
      'REVIEW_ENDED_BY_ORGANISER',
      'DISPATCH_STARTED',
      'REFERRALS_DISPATCHED',
      'ACTIVITY_COMPLETED',
    ]);
    expect(JSON.stringify(events)).not.toMatch(/王女士|tok-review/);

    // Cancel after completion: 409
    expect((await call(cancel, { ...path('/cancel'), body: { reason: '天气原因' } })).status).toBe(
      409,
    );
  });

  it('treats an existing referral execution with the same input as dispatched', async () => {
    const referralId = referralIdOf(ID, 'dept-water');
    setActivity({ status: 'IN_REVIEW', reviewApprovedAt: 'x', approvedReferralIds: [referralId] });
    putReferral(referralId);
    sfn
      .on(StartExecutionCommand)
      .rejects(Object.assign(new Error('exists'), { name: 'ExecutionAlreadyExists' }));
    sfn.on(DescribeExecutionCommand).resolves({ input: JSON.stringify({ referralId }) });
    expect(await step(dispatchStep)).toEqual({ activityId: ID, dispatched: 1 });
    expect(table.get(`REFERRAL#${referralId}`, 'REFERRAL')).toMatchObject({
      status: 'DISPATCHED',
      executionArn: expect.stringContaining(
        `:execution:ReferralWorkflowStateMachine:${referralId}`,
      ),
    });

    sfn.on(DescribeExecutionCommand).resolves({ input: JSON.stringify({ referralId: 'other' }) });
    table.get(`REFERRAL#${referralId}`, 'REFERRAL')!.status = 'APPROVED';
    setActivity({ referralsDispatchedAt: undefined });
    await expect(step(dispatchStep)).rejects.toMatchObject({
      name: 'ReferralExecutionConflictError',
    });
  });

  it('counts a referral its workflow already moved on as dispatched when the step is retried', async () => {
    // The first attempt marked both and started their workflows, then lost the table before the
    // activity's REFERRALS_DISPATCHED; meanwhile one referral workflow emailed its department.
    const [water, roads] = ['dept-water', 'dept-roads'].map((d) => referralIdOf(ID, d));
    setActivity({
      status: 'DISPATCHING',
      reviewApprovedAt: 'x',
      approvedReferralIds: [water!, roads!],
    });
    for (const [referralId, status] of [
      [water!, 'SENT'],
      [roads!, 'DISPATCHED'],
    ] as const) {
      putReferral(referralId, {
        departmentId: 'dept-x',
        status,
        executionArn: `${REFERRAL_SM.replace(':stateMachine:', ':execution:')}:${referralId}`,
        auditSeq: 2,
      });
    }
    expect(await step(dispatchStep)).toEqual({ activityId: ID, dispatched: 2 });
    // The DISPATCHED one is started again (its start may not have happened; the same name and
    // input is recognised); the one its workflow moved on is not.
    expect(sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input.name)).toEqual([
      roads,
    ]);
    expect(table.get(`REFERRAL#${water}`, 'REFERRAL')).toMatchObject({ status: 'SENT' });
    expect(activity()).toMatchObject({ dispatchedCount: 2 });
  });

  it('marks a referral DISPATCHED before its workflow starts, so its first step finds it so', async () => {
    const referralId = referralIdOf(ID, 'dept-water');
    setActivity({ status: 'IN_REVIEW', reviewApprovedAt: 'x', approvedReferralIds: [referralId] });
    putReferral(referralId);
    const seenAtStart: unknown[] = [];
    sfn.on(StartExecutionCommand).callsFake(() => {
      seenAtStart.push(table.get(`REFERRAL#${referralId}`, 'REFERRAL')?.status);
      return { executionArn: 'arn' };
    });
    expect(await step(dispatchStep)).toEqual({ activityId: ID, dispatched: 1 });
    expect(seenAtStart).toEqual(['DISPATCHED']);
    expect(table.get(`REFERRAL#${referralId}`, 'REFERRAL')).toMatchObject({
      executionArn: `${REFERRAL_SM.replace(':stateMachine:', ':execution:')}:${referralId}`,
    });
  });

  it('never dispatches before the review was approved', async () => {
    setActivity({ status: 'IN_REVIEW' });
    await expect(step(dispatchStep)).rejects.toMatchObject({ name: 'ConflictError' });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });
});

describe('cancel', () => {
  it('stops the execution, marks CANCELLED and tells each invitee once', async () => {
    setActivity({ pendingTask: { phase: 'ATTENDANCE', token: 't', since: 'x' } });
    const { status, json } = await call(cancel, {
      ...path('/cancel'),
      body: { reason: '台风预警，活动取消' },
    });
    expect(status).toBe(200);
    expect(json).toMatchObject({
      activity: { status: 'CANCELLED' },
      notices: { sent: 2, failed: 0, pending: 0 },
    });
    expect(sfn.commandCalls(StopExecutionCommand)[0]!.args[0].input).toMatchObject({
      executionArn: `arn:aws:states:ap-east-1:000000000000:execution:ActivityWorkflowStateMachine:${ID}`,
    });
    expect(activity()).toMatchObject({
      status: 'CANCELLED',
      cancellation: { noticesComplete: true },
    });
    expect(activity().pendingTask).toBeUndefined();
    const mails = ses.commandCalls(SendRawEmailCommand).map((c) => c.args[0].input);
    expect(mails).toHaveLength(2);
    const mail = await simpleParser(Buffer.from(mails[0]!.RawMessage!.Data!));
    expect(mail.subject).toContain('活动取消');
    expect(mail.text).toContain('台风预警');
    // METHOD:CANCEL of the activity's event, superseding the invitation's SEQUENCE 0.
    const ics = mail.attachments.find((a) => a.filename === 'cancel.ics');
    expect(parseCalendar(ics!.content.toString('utf8'))).toMatchObject({
      method: 'CANCEL',
      status: 'CANCELLED',
      uid: `${ID}@liandong.activities`,
      sequence: 1,
    });
    expect(auditEvents().map((e) => e.action)).toEqual([
      'ACTIVITY_CANCELLED',
      'CANCELLATION_NOTICES_SENT',
    ]);

    const again = await call(cancel, { ...path('/cancel'), body: { reason: 'again' } });
    expect(again.status).toBe(409);
    expect(ses.commandCalls(SendRawEmailCommand)).toHaveLength(2);
  });

  it('sends each notice through the at-most-once path, so a bounce can be traced to it', async () => {
    const { status } = await call(cancel, { ...path('/cancel'), body: { reason: '场地停电' } });
    expect(status).toBe(200);
    const invitation = table.get(PK, 'INVITATION#dep-0001') as { cancelNoticeMessageId: string };
    const claimKey = `ACTIVITY#${ID}#DEPUTY#dep-0001#CANCELLATION`;
    expect(table.get(`EMAIL#${claimKey}`, 'EMAIL')).toMatchObject({
      messageId: invitation.cancelNoticeMessageId,
      owner: { kind: 'INVITATION', id: `${ID}/dep-0001` },
      purpose: 'CANCELLATION',
    });
    // The lookup the bounce handler (functions/bounces) starts from.
    expect(table.get(`SESMSG#${invitation.cancelNoticeMessageId}`, 'SESMSG')).toMatchObject({
      claimKey,
      purpose: 'CANCELLATION',
    });
  });

  it('resumes the notices when SES refused some, without emailing anyone twice', async () => {
    ses
      .on(SendRawEmailCommand)
      .resolvesOnce({ MessageId: 'm1' })
      .rejects(Object.assign(new Error('slow down'), { name: 'Throttling' }));
    const first = await call(cancel, { ...path('/cancel'), body: { reason: '取消' } });
    expect(first.status).toBe(503);
    expect(activity().status).toBe('CANCELLED');
    ses.on(SendRawEmailCommand).resolves({ MessageId: 'm2' });
    const second = await call(cancel, { ...path('/cancel'), body: { reason: '取消' } });
    expect(second.status).toBe(200);
    expect(second.json.notices).toEqual({ sent: 2, failed: 0, pending: 0 });
    expect(ses.commandCalls(SendRawEmailCommand).filter((c) => c.args[0].input).length).toBe(3);
  });

  it('is for organisers only', async () => {
    expect(
      (
        await call(cancel, {
          ...path('/cancel'),
          body: { reason: 'x' },
          claims: deputy('dep-0001'),
        })
      ).status,
    ).toBe(403);
    expect(
      (await call(cancel, { ...path('/cancel'), body: { reason: 'x' }, claims: auditor })).status,
    ).toBe(403);
    expect(activity().status).toBe('CHECK_IN_OPEN');
  });
});
