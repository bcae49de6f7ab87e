import { describe, expect, it } from 'vitest';
import { verifyChain } from '../../../../functions/shared/data/audit';
import { httpEvent, lambdaContext, organiserClaims } from '../helpers';
import { keys } from '../../../../functions/shared/data/keys';
import {
  referralDetailSchema,
  referralViewSchema,
} from '../../../../functions/referral-api/schemas';
import {
  ACTIVITY_ID,
  REFERRAL_ID,
  seededReferral,
  seedReferral,
  setPageEnv,
  TASK_TOKEN,
} from '../department/fixtures';

const { table, workflow, referral, auditEvents } = seededReferral();
type Result = { statusCode: number; body: string };
type Handler = (event: unknown, context: unknown) => Promise<Result>;
// The handlers read their environment when loaded.
setPageEnv();
const getHandler = (await import('../../../../functions/referral-api/get-referral'))
  .handler as unknown as Handler;
const actionsHandler = (await import('../../../../functions/referral-api/referral-actions'))
  .handler as unknown as Handler;

const auditorClaims = { sub: 'auditor-1', 'cognito:groups': '[auditor]' };
const deputyClaims = { sub: 'dep-0001', 'cognito:groups': '[deputy]' };

const get = async (claims: Record<string, unknown> = organiserClaims) => {
  const event = httpEvent({
    method: 'GET',
    path: `/referrals/${REFERRAL_ID}`,
    pathParameters: { referralId: REFERRAL_ID },
    claims,
  });
  const result = await getHandler(event, lambdaContext());
  return { ...result, json: JSON.parse(result.body) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
};

const post = async (
  action: 'reroute' | 'extension' | 'close',
  body: unknown,
  claims: Record<string, unknown> = organiserClaims,
) => {
  const event = httpEvent({
    method: 'POST',
    path: `/referrals/${REFERRAL_ID}/${action}`,
    pathParameters: { referralId: REFERRAL_ID },
    body,
    claims,
  });
  (event as { routeKey: string }).routeKey = `POST /referrals/{referralId}/${action}`;
  const result = await actionsHandler(event, lambdaContext());
  return { ...result, json: JSON.parse(result.body) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
};

describe('GET /referrals/{referralId}', () => {
  it('shows organisers the referral with routing and history, never the task token', async () => {
    const { statusCode, json, body } = await get();
    expect(statusCode).toBe(200);
    expect(json.referral).toMatchObject({
      id: REFERRAL_ID,
      status: 'SENT',
      round: 1,
      departmentId: 'dept-water',
    });
    expect(json.referral.routing).toEqual([
      { departmentId: 'dept-water', at: '2026-11-01T00:00:00.000Z', by: 'workflow' },
    ]);
    expect(json.referral.pendingTask).toMatchObject({ phase: 'DEPARTMENT' });
    expect(body).not.toContain(TASK_TOKEN);
    expect(json.chain).toEqual({ ok: true, length: 0 });
  });

  it('answers the public view only: no key, token, message id, rating link or unnamed field', async () => {
    // A referral as the workflow leaves it after a reply: every private field it keeps.
    seedReferral(table, {
      ...keys.referralListing({
        referralId: REFERRAL_ID,
        committeeId: 'wenchong',
        closed: false,
        due: '2026-12-31T15:59:59.999Z',
      }),
      reminderSecondsBefore: [60],
      sent: { round: 1, departmentId: 'dept-water', messageId: 'ses-message-1', at: 'T1' },
      emails: [{ round: 1, departmentId: 'dept-water', messageId: 'ses-message-1', at: 'T1' }],
      reminders: [{ round: 1, due: 'D1', offsetSeconds: 60, messageId: 'ses-message-2', at: 'T2' }],
      feedback: {
        round: 1,
        raiserRefs: ['D.dep-0001'],
        emailed: 1,
        at: 'T3',
        ratingDeadline: 'T4',
        deputyRateLinks: { 'D.dep-0001': { linkId: 'rate-link-secret', expiresAt: 1 } },
      },
      ratings: { 'D.dep-0001': { rating: 'SATISFIED', at: 'T5', round: 1 } },
      aStepsOwnMarker: 'claimed-by-a-later-step',
    });
    table.put({
      ...table.get(`ACTIVITY#${ACTIVITY_ID}`, 'ACTIVITY'),
      type: 'COMMUNITY_VISIT',
      startsAt: '2026-10-30T01:00:00.000Z',
    });
    const { statusCode, json, body } = await get();
    expect(statusCode).toBe(200);
    expect(Object.keys(json.referral).sort()).toEqual(Object.keys(referralViewSchema.shape).sort());
    for (const secret of [
      TASK_TOKEN,
      'ses-message-1',
      'ses-message-2',
      'rate-link-secret',
      'claimed-by-a-later-step',
      'D.dep-0001',
      '13800000000',
      '居民王某某',
    ]) {
      expect(body).not.toContain(secret);
    }
    for (const key of ['pk', 'sk', 'ownerPk', 'ownerSk', 'listPk', 'listSk']) {
      expect(json.referral).not.toHaveProperty(key);
    }
    expect(json.referral.pendingTask).toEqual({
      phase: 'DEPARTMENT',
      since: '2026-11-01T00:00:01.000Z',
      deadline: null,
    });
    expect(json.referral.emails).toEqual([{ round: 1, departmentId: 'dept-water', at: 'T1' }]);
    expect(json.referral.feedback).toEqual({
      round: 1,
      emailed: 1,
      at: 'T3',
      ratingDeadline: 'T4',
    });
    // The activity and the referred finding as a department reads it: no resident, no raiser.
    expect(json.referral.activity).toMatchObject({ id: ACTIVITY_ID, street: 'WENCHONG' });
    expect(json.referral.findings).toEqual([
      {
        id: 'F1',
        kind: 'PROBLEM',
        category: 'DRAINAGE',
        description: expect.stringContaining('文冲村雨后积水严重'),
        place: expect.stringContaining('文冲村口'),
      },
    ]);
    expect(referralDetailSchema.safeParse(json).error?.issues).toBeUndefined();
  });

  it('lets auditors read without rating comments, refuses deputies', async () => {
    table.put({
      pk: `REFERRAL#${REFERRAL_ID}`,
      sk: 'RATING#1#R.F1',
      entity: 'REFERRAL_RATING',
      referralId: REFERRAL_ID,
      round: 1,
      raiserRef: 'R.F1',
      rating: 'SATISFIED',
      comment: '谢谢',
      at: '2026-11-02T00:00:00.000Z',
    });
    const auditor = await get(auditorClaims);
    expect(auditor.statusCode).toBe(200);
    expect(auditor.json.ratings).toEqual([
      expect.not.objectContaining({ comment: expect.anything() }),
    ]);
    expect((await get()).json.ratings[0].comment).toBe('谢谢');
    expect((await get(deputyClaims)).statusCode).toBe(403);
  });

  it('hides referrals of another street from a scoped organiser', async () => {
    const scoped = { ...organiserClaims, 'custom:street': 'XIAGANG' };
    expect((await get(scoped)).statusCode).toBe(404);
  });
});

describe('POST /referrals/{referralId}/reroute', () => {
  const returned = () =>
    table.put({
      ...referral(),
      status: 'RETURNED',
      returned: {
        round: 1,
        departmentId: 'dept-water',
        reason: '非本单位职责',
        at: '2026-11-02T00:00:00.000Z',
      },
      pendingTask: { phase: 'REROUTE', token: 'reroute-token', since: '2026-11-02T00:00:00.000Z' },
    });

  it('only re-routes a returned referral', async () => {
    const { statusCode } = await post('reroute', {
      departmentId: 'dept-housing',
      reason: '改由住建局办理',
    });
    expect(statusCode).toBe(409);
    expect(workflow.outputs()).toEqual([]);
  });

  it('sets the new department, appends to routing, starts a new round and ends AwaitReroute', async () => {
    returned();
    const { statusCode, json } = await post('reroute', {
      departmentId: 'dept-housing',
      reason: '改由住建局办理',
    });
    expect(statusCode).toBe(200);
    expect(json).toMatchObject({ departmentId: 'dept-housing', round: 2 });
    expect(referral()).toMatchObject({
      departmentId: 'dept-housing',
      ownerSk: 'REFERRAL#dept-housing',
      round: 2,
      routing: [
        { departmentId: 'dept-water', by: 'workflow' },
        { departmentId: 'dept-housing', by: organiserClaims.sub, reason: '改由住建局办理' },
      ],
    });
    expect(auditEvents().map((event) => event.action)).toEqual(['REFERRAL_REROUTED']);
    expect(workflow.outputs()).toEqual([
      { token: 'reroute-token', output: { outcome: 'REROUTED' } },
    ]);
    // A repeated request changes nothing more and only re-sends the signal.
    const again = await post('reroute', { departmentId: 'dept-housing', reason: '改由住建局办理' });
    expect(again.statusCode).toBe(200);
    expect(again.json.repeated).toBe(true);
    expect(referral().auditSeq).toBe(1);
    // Another department after that is a conflict.
    expect((await post('reroute', { departmentId: 'dept-water', reason: 'x' })).statusCode).toBe(
      409,
    );
  });

  it('refuses unknown departments, the same department, and CR/LF in the reason', async () => {
    returned();
    expect((await post('reroute', { departmentId: 'dept-none', reason: 'x' })).statusCode).toBe(
      422,
    );
    expect((await post('reroute', { departmentId: 'dept-water', reason: 'x' })).statusCode).toBe(
      422,
    );
    expect(
      (await post('reroute', { departmentId: 'dept-housing', reason: 'a\r\nBcc: x@evil.example' }))
        .statusCode,
    ).toBe(422);
    expect(
      (await post('reroute', { departmentId: 'dept-housing', reason: 'x' }, deputyClaims))
        .statusCode,
    ).toBe(403);
    expect(referral().auditSeq).toBe(0);
  });
});

describe('POST /referrals/{referralId}/extension', () => {
  const requested = (days: number) =>
    table.put({
      ...referral(),
      extensionRequest: {
        round: 1,
        days,
        reason: '需要采购设备',
        requestedAt: '2026-11-10T00:00:00.000Z',
        status: 'PENDING',
      },
    });

  it('needs a pending request', async () => {
    expect((await post('extension', { decision: 'GRANT', reason: '同意' })).statusCode).toBe(409);
  });

  it('grants: the due date moves by the days asked (or given)', async () => {
    requested(30);
    const { statusCode, json } = await post('extension', { decision: 'GRANT', reason: '同意延期' });
    expect(statusCode).toBe(200);
    expect(json.dueDate).toBe('2027-01-30');
    expect(referral()).toMatchObject({
      dueDate: '2027-01-30',
      extensionRequest: { status: 'GRANTED', newDueDate: '2027-01-30' },
    });
    expect(auditEvents().map((event) => event.action)).toEqual(['EXTENSION_GRANTED']);
    expect((await post('extension', { decision: 'GRANT', reason: 'again' })).statusCode).toBe(409);
  });

  it('never moves the due date past the statutory maximum', async () => {
    requested(180);
    const { statusCode, json } = await post('extension', { decision: 'GRANT', reason: '同意' });
    expect(statusCode).toBe(422);
    expect(json.message).toMatch(/statutory/);
    expect(referral()).toMatchObject({
      dueDate: '2026-12-31',
      extensionRequest: { status: 'PENDING' },
    });
  });

  it('refuses, keeping the due date', async () => {
    requested(30);
    expect((await post('extension', { decision: 'REFUSE', reason: '期限已足够' })).statusCode).toBe(
      200,
    );
    expect(referral()).toMatchObject({
      dueDate: '2026-12-31',
      extensionRequest: { status: 'REFUSED' },
    });
    expect((await post('extension', { decision: 'REFUSE', days: 3, reason: 'x' })).statusCode).toBe(
      422,
    );
  });
});

describe('POST /referrals/{referralId}/close', () => {
  it('ends AwaitDepartment with CLOSED_BY_COMMITTEE after recording who and why', async () => {
    const { statusCode } = await post('close', { reason: '督办工委决定办结' });
    expect(statusCode).toBe(200);
    expect(referral().committeeClosure).toMatchObject({
      by: organiserClaims.sub,
      reason: '督办工委决定办结',
      round: 1,
    });
    expect(workflow.outputs()).toEqual([
      { token: TASK_TOKEN, output: { outcome: 'CLOSED_BY_COMMITTEE' } },
    ]);
    const again = await post('close', { reason: '督办工委决定办结' });
    expect(again.json.repeated).toBe(true);
    expect(referral().auditSeq).toBe(1);
    expect(verifyChain(auditEvents()).ok).toBe(true);
  });

  it('refuses a referral that no longer awaits its department', async () => {
    table.put({ ...referral(), status: 'REPLIED' });
    expect((await post('close', { reason: 'x' })).statusCode).toBe(409);
    expect(workflow.outputs()).toEqual([]);
  });
});
