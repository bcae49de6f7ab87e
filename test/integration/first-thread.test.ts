// Integration test on the local cloud (DynamoDB Local, local SES, local Step Functions running
// the synthesized definition, the local HTTP API with its JWT authorizer): POST /activities
// through to invitation emails and the workflow waiting on its task token.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../functions/shared/data/audit';
import { DEMO_DEPUTY_IDS } from '../../infra/local/seed';
import { api } from './support/api';
import { executionHistory, executionsOf, sentMail, waitForMail } from './support/aws';
import { activityBody, auditEvents, eventually, inSeconds } from './support/activity';
import { createActivityRoute } from '../../functions/activities/routes';

const organiser = api({ role: 'organiser', sub: 'org-first-thread' });
const invited = [
  DEMO_DEPUTY_IDS.national,
  DEMO_DEPUTY_IDS.municipalAndDistrict,
  DEMO_DEPUTY_IDS.town,
];

/** A reception day at the Wenchong liaison station, an hour from now. */
const receptionDay = (overrides: Record<string, unknown> = {}) =>
  activityBody({
    title: '代表接待日（文冲社区联络站）',
    type: 'RECEPTION_DAY',
    location: '文冲街道社区联络站',
    liaisonStations: ['文冲人大代表联络站'],
    invitedDeputyIds: invited,
    ...overrides,
  });

const executions = () => executionsOf('ActivityWorkflow');

describe('POST /activities: the first thread', () => {
  let activityId: string;
  const idempotencyKey = randomUUID();
  const body = receptionDay();

  beforeAll(async () => {
    const res = await organiser.post<{ activity: { id: string; status: string } }>(
      '/activities',
      body,
      { 'idempotency-key': idempotencyKey },
    );
    expect(res.status, res.text).toBe(201);
    activityId = res.json.activity.id;
  });

  it('emails one Chinese invitation to each invited deputy', async () => {
    const mail = await waitForMail(
      (all) =>
        all.filter((m) => m.subject.includes('代表接待日（文冲社区联络站）')).length >=
        invited.length,
    );
    const ours = mail.filter((m) => m.subject.includes('代表接待日（文冲社区联络站）'));
    expect(ours).toHaveLength(invited.length);
    expect(ours.every((m) => m.subject.includes('活动邀请'))).toBe(true);
    const recipients = ours.flatMap((m) => m.destination.to);
    expect(new Set(recipients).size).toBe(invited.length);
  });

  it('starts exactly one execution named by the activity id, waiting on its task token', async () => {
    const mine = (await executions()).filter((e) => e.name === activityId);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.status).toBe('RUNNING');
    const history = await eventually(
      () => executionHistory(mine[0]!.executionArn!),
      (events) =>
        events.some(
          (e) =>
            e.type === 'TaskSubmitted' ||
            (e.type === 'TaskStateEntered' && e.stateEnteredEventDetails?.name === 'AwaitStart'),
        ),
    );
    const entered = history
      .filter((e) => e.type === 'TaskStateEntered')
      .map((e) => e.stateEnteredEventDetails?.name);
    expect(entered).toEqual(['SendInvitations', 'PlanStart', 'AwaitStart']);
    // The payload holds the id and numbers only: no names or email addresses of deputies.
    const inputs = history
      .map((e) => JSON.stringify(e.stateEnteredEventDetails?.input ?? ''))
      .join();
    expect(inputs).not.toMatch(/@|deputies\.liandong/);
  });

  it('records each step with a hash-chained audit event', async () => {
    const events = await eventually(
      () => auditEvents(activityId),
      (all) => all.some((e) => e.action === 'AWAITING_START'),
    );
    expect(events.map((e) => e.action)).toEqual([
      'ACTIVITY_SCHEDULED',
      'INVITATIONS_SENT',
      'AWAITING_START',
    ]);
    expect(verifyChain(events).ok).toBe(true);
  });

  it('shows the status and the workflow state', async () => {
    const res = await organiser.get<{ activity: { status: string }; workflow: { status: string } }>(
      `/activities/${activityId}`,
    );
    expect(res.status, res.text).toBe(200);
    expect(res.json.activity.status).toBe('INVITATIONS_SENT');
    expect(res.json.workflow.status).toBe('RUNNING');
  });

  it('answers a second identical POST with the same activity and starts nothing new', async () => {
    const mailBefore = (await sentMail()).length;
    const again = await organiser.post<{ activity: { id: string } }>('/activities', body, {
      'idempotency-key': idempotencyKey,
    });
    expect(again.status, again.text).toBe(201);
    expect(again.json.activity.id).toBe(activityId);
    expect((await executions()).filter((e) => e.name === activityId)).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 300));
    expect((await sentMail()).length).toBe(mailBefore);
  });
});

describe('POST /activities: an exact retry with the same Idempotency-Key', () => {
  it('returns the same activity, one execution and one set of emails', async () => {
    const key = randomUUID();
    const body = receptionDay({ title: `幂等重试 ${key.slice(0, 8)}` });
    const first = await organiser.post<{ activity: { id: string } }>('/activities', body, {
      'idempotency-key': key,
    });
    expect(first.status, first.text).toBe(201);
    const second = await organiser.post<{ activity: { id: string } }>('/activities', body, {
      'idempotency-key': key,
    });
    expect(second.status, second.text).toBe(201);
    expect(second.json.activity.id).toBe(first.json.activity.id);
    const mine = (await executions()).filter((e) => e.name === first.json.activity.id);
    expect(mine).toHaveLength(1);
    const mail = await waitForMail(
      (all) => all.filter((m) => m.subject.includes(body.title as string)).length >= invited.length,
    );
    await new Promise((r) => setTimeout(r, 500));
    expect((await sentMail()).filter((m) => m.subject.includes(body.title as string))).toHaveLength(
      invited.length,
    );
    expect(mail.length).toBeGreaterThan(0);
  });

  it('refuses the same key with another body and changes nothing', async () => {
    const key = randomUUID();
    const first = await organiser.post(
      '/activities',
      receptionDay({ title: `键 ${key.slice(0, 6)} A` }),
      {
        'idempotency-key': key,
      },
    );
    expect(first.status, first.text).toBe(201);
    const countBefore = (await executions()).length;
    const second = await organiser.post<{ message: string }>(
      '/activities',
      receptionDay({ title: `键 ${key.slice(0, 6)} B` }),
      { 'idempotency-key': key },
    );
    expect([409, 422]).toContain(second.status);
    expect(second.json.message).toMatch(/idempotency|key/i);
    expect((await executions()).length).toBe(countBefore);
    // The first activity's invitations go out meanwhile: wait for them, so that they are not
    // counted as mail sent by the next test's refused requests.
    await waitForMail(
      (all) =>
        all.filter((m) => m.subject.includes(`键 ${key.slice(0, 6)} A`)).length >= invited.length,
    );
  });
});

describe('POST /activities: bad input changes nothing', () => {
  const cases: [string, Record<string, unknown> | string, number, RegExp][] = [
    ['an unknown field', receptionDay({ organiserBonus: 1 }), 422, /organiserBonus/],
    ['a wrong type', receptionDay({ invitedDeputyIds: 'dep-0001' }), 422, /invitedDeputyIds/],
    ['a missing required field', (({ title: _t, ...rest }) => rest)(receptionDay()), 422, /title/],
    ['an unknown deputy', receptionDay({ invitedDeputyIds: ['dep-9999'] }), 422, /dep-9999/],
    ['a start time in the past', receptionDay({ startsAt: inSeconds(-60) }), 422, /startsAt/],
    ['malformed JSON', '{"title": ', 400, /JSON/i],
  ];

  it.each(cases)('%s', async (_name, body, status, message) => {
    const executionsBefore = (await executions()).length;
    const mailBefore = (await sentMail()).length;
    const res = await organiser.post<{ message: string; issues?: unknown[] }>('/activities', body);
    expect(res.status, res.text).toBe(status);
    expect(res.text).toMatch(message);
    await new Promise((r) => setTimeout(r, 200));
    expect((await executions()).length).toBe(executionsBefore);
    expect((await sentMail()).length).toBe(mailBefore);
  });

  it("a body over its contract's limit", async () => {
    const description = 'x'.repeat(createActivityRoute.maxBodyBytes + 1);
    const res = await organiser.post('/activities', receptionDay({ description }));
    expect(res.status).toBe(413);
    expect(res.text).toMatch(/large|size|bytes/i);
  });
});

describe('POST /activities: who may call it', () => {
  it('refuses a request without a token (401)', async () => {
    const res = await api(null).post('/activities', receptionDay());
    expect(res.status).toBe(401);
  });

  it.each(['deputy', 'auditor'] as const)('refuses the %s role (403)', async (role) => {
    const before = (await executions()).length;
    const res = await api({ role, sub: `x-${role}` }).post('/activities', receptionDay());
    expect(res.status).toBe(403);
    expect((await executions()).length).toBe(before);
  });

  it('answers 404 for an activity that does not exist', async () => {
    const res = await organiser.get('/activities/01JZZZZZZZZZZZZZZZZZZZZZZZ');
    expect(res.status).toBe(404);
  });
});

describe('the start time passing', () => {
  it('times the task token out and opens check-in', async () => {
    const res = await organiser.post<{ activity: { id: string } }>(
      '/activities',
      receptionDay({ title: '开始时间到', startsAt: inSeconds(2), endsAt: inSeconds(3600) }),
    );
    expect(res.status, res.text).toBe(201);
    const id = res.json.activity.id;
    const status = await eventually(
      async () =>
        (await organiser.get<{ activity: { status: string } }>(`/activities/${id}`)).json.activity
          .status,
      (s) => s === 'CHECK_IN_OPEN',
      20_000,
    );
    expect(status).toBe('CHECK_IN_OPEN');
    const events = await auditEvents(id);
    expect(events.map((e) => e.action)).toContain('CHECK_IN_OPENED');
    expect(verifyChain(events).ok).toBe(true);
  });
});
