import { DEMO_JURISDICTION } from '../../../../infra/local/demo-jurisdiction';
import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { describe, expect, it, vi } from 'vitest';
import { verifyChain } from '../../../../functions/shared/data/audit';
import { keys } from '../../../../functions/shared/data/keys';
import { referralReference } from '../../../../functions/shared/domain/letterhead';
import { createLink } from '../../../../functions/shared/data/links';
import {
  lambdaContext,
  OTHER_REFERRAL_ID,
  pageEvent,
  REFERRAL_ID,
  seededReferral,
  setPageEnv,
  SIGNING_KEY,
  TABLE,
  TASK_TOKEN,
  XSS,
  ACTIVITY_ID,
} from './fixtures';

vi.mock('../../../../functions/shared/secrets', () => ({
  getSigningKey: async () => 'unit-test-signing-key-0123456789abcdef',
}));

const { table, workflow, referral, auditEvents } = seededReferral();
type Handler = (
  event: unknown,
  context: unknown,
) => Promise<{ statusCode: number; body: string; headers: Record<string, string> }>;
// The handlers read their environment when loaded.
setPageEnv();
const respondHandler = (await import('../../../../functions/department/respond-page'))
  .handler as unknown as Handler;
const rateHandler = (await import('../../../../functions/department/rate-page'))
  .handler as unknown as Handler;

const store = { db: table.doc as never, tableName: TABLE };
const link = (
  purpose: 'RESPOND' | 'RATE',
  options: { referralId?: string; round?: number; raiserRef?: string; ttlSeconds?: number } = {},
) =>
  createLink(store, SIGNING_KEY, {
    purpose,
    referralId: options.referralId ?? REFERRAL_ID,
    round: options.round ?? 1,
    ...(options.raiserRef ? { raiserRef: options.raiserRef } : {}),
    ttlSeconds: options.ttlSeconds ?? 3600,
  });

const respond = (method: 'GET' | 'POST', token: string, form?: Record<string, string>) =>
  respondHandler(pageEvent(method, 'respond', token, form), lambdaContext());
const rate = (method: 'GET' | 'POST', token: string, form?: Record<string, string>) =>
  rateHandler(pageEvent(method, 'rate', token, form), lambdaContext());

/** No raw markup from data anywhere in the page. */
const expectEscaped = (html: string) => {
  expect(html).not.toContain('<script>alert');
  expect(html).not.toContain('<img src=x');
  expect(html).toContain('&lt;script&gt;');
};

describe('GET /respond/{token}', () => {
  it('shows the referral, escaped, without resident data, and changes nothing', async () => {
    const token = await link('RESPOND');
    const writesBefore = table.writes(workflow.sfn);
    const page = await respond('GET', token);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain('<meta name="viewport"');
    expect(page.body).toContain('黄埔区代表进社区');
    expect(page.body).toContain('文冲村雨后积水严重');
    expect(page.body).toContain('排水防涝');
    expect(page.body).toContain('文冲街道人大工委');
    // The due date as the calendar date every email names, not the ISO string.
    expect(page.body).toContain('2026年12月31日');
    expect(page.body).toContain('by the end of 31 December 2026');
    expect(page.body).toContain('name="action" value="REPLY"');
    expect(page.body).not.toContain('王某某');
    expect(page.body).not.toContain('13800000000');
    expect(page.body).not.toContain('dep-0001');
    expect(page.body).not.toContain(TASK_TOKEN);
    expectEscaped(page.body);
    expect(table.writes(workflow.sfn)).toBe(writesBefore);
  });

  it('refuses tampered (403), expired (410) and other-purpose links (403), changing nothing', async () => {
    const token = await link('RESPOND');
    const [id, expiry, signature] = token.split('.') as [string, string, string];
    const tampered = `${id}.${expiry}.${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    const rateOfOther = await link('RATE', { referralId: OTHER_REFERRAL_ID, raiserRef: 'D.x' });
    const writesBefore = table.writes(workflow.sfn);
    expect((await respond('GET', tampered)).statusCode).toBe(403);
    expect((await respond('POST', tampered, { action: 'ACKNOWLEDGE' })).statusCode).toBe(403);
    expect((await respond('GET', rateOfOther)).statusCode).toBe(403);
    expect(
      (await respond('POST', rateOfOther, { action: 'REPLY', result: 'RESOLVED', text: 'x' }))
        .statusCode,
    ).toBe(403);
    expect((await respond('GET', 'not-a-token')).statusCode).toBe(403);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 7200_000);
    try {
      const expired = await respond('POST', token, { action: 'ACKNOWLEDGE' });
      expect(expired.statusCode).toBe(410);
      expect(expired.body).toContain('已过期');
    } finally {
      vi.useRealTimers();
    }
    expect(table.writes(workflow.sfn)).toBe(writesBefore);
    expect(referral().status).toBe('SENT');
  });

  it('refuses a link of an earlier round (re-routed or reopened) with 410', async () => {
    const token = await link('RESPOND', { round: 1 });
    table.put({ ...referral(), round: 2 });
    expect((await respond('GET', token)).statusCode).toBe(410);
    expect((await respond('POST', token, { action: 'ACKNOWLEDGE' })).statusCode).toBe(410);
    expect(referral().auditSeq).toBe(0);
  });
});

describe('POST /respond/{token}', () => {
  it('acknowledges once, with its audit event; a replay is "already received"', async () => {
    const token = await link('RESPOND');
    const first = await respond('POST', token, { action: 'ACKNOWLEDGE' });
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('已确认收到');
    expect(referral()).toMatchObject({ status: 'ACKNOWLEDGED', auditSeq: 1 });
    expect(auditEvents().map((event) => event.action)).toEqual(['REFERRAL_ACKNOWLEDGED']);
    const transactions = table.transactions().length;
    const replay = await respond('POST', token, { action: 'ACKNOWLEDGE' });
    expect(replay.statusCode).toBe(200);
    expect(replay.body).toContain('Already received');
    expect(table.transactions().length).toBe(transactions);
    expect(workflow.outputs()).toEqual([]);
  });

  it('stores the reply and ends AwaitDepartment with REPLIED through the stored token', async () => {
    const token = await link('RESPOND');
    const page = await respond('POST', token, {
      action: 'REPLY',
      result: 'RESOLVED',
      text: `已疏通排水管 ${XSS}`,
    });
    expect(page.statusCode).toBe(200);
    expect(referral()).toMatchObject({
      status: 'REPLIED',
      reply: {
        result: 'RESOLVED',
        text: `已疏通排水管 ${XSS}`,
        round: 1,
        departmentId: 'dept-water',
      },
    });
    expect(workflow.outputs()).toEqual([{ token: TASK_TOKEN, output: { outcome: 'REPLIED' } }]);
    // A replay changes nothing and never answers 500.
    const replay = await respond('POST', token, {
      action: 'REPLY',
      result: 'RESOLVED',
      text: 'again',
    });
    expect(replay.statusCode).toBe(200);
    expect(referral().auditSeq).toBe(1);
    // The referral no longer awaits the department: another action is "closed".
    const late = await respond('POST', token, { action: 'RETURN', reason: 'not ours' });
    expect(late.statusCode).toBe(200);
    expect(late.body).toContain('closed');
    expect(referral().status).toBe('REPLIED');
    const shown = await respond('GET', token);
    expectEscaped(shown.body);
    expect(shown.body).not.toContain('name="action" value="REPLY"');
  });

  it('returns the referral and ends AwaitDepartment with RETURNED', async () => {
    const token = await link('RESPOND');
    await respond('POST', token, { action: 'RETURN', reason: '应由区住建局办理' });
    expect(referral()).toMatchObject({
      status: 'RETURNED',
      returned: { round: 1, reason: '应由区住建局办理' },
    });
    expect(workflow.outputs()).toEqual([{ token: TASK_TOKEN, output: { outcome: 'RETURNED' } }]);
  });

  it('answers "received" (never 500) when Step Functions says the task is closed', async () => {
    workflow.sfn
      .on(SendTaskSuccessCommand)
      .rejects(Object.assign(new Error('timed out'), { name: 'TaskTimedOut' }));
    const token = await link('RESPOND');
    const page = await respond('POST', token, {
      action: 'REPLY',
      result: 'PARTLY_RESOLVED',
      text: '部分解决',
    });
    expect(page.statusCode).toBe(200);
    expect(referral().status).toBe('REPLIED');
    workflow.sfn
      .on(SendTaskSuccessCommand)
      .rejects(Object.assign(new Error('gone'), { name: 'TaskDoesNotExist' }));
    const replay = await respond('POST', token, {
      action: 'REPLY',
      result: 'PARTLY_RESOLVED',
      text: '部分解决',
    });
    expect(replay.statusCode).toBe(200);
  });

  it('records distinct progress notes, each once, and an extension request once', async () => {
    const token = await link('RESPOND');
    await respond('POST', token, { action: 'PROGRESS', text: '已现场勘查' });
    const again = await respond('POST', token, { action: 'PROGRESS', text: '已现场勘查' });
    expect(again.body).toContain('Already received');
    await respond('POST', token, { action: 'PROGRESS', text: `已安排施工 ${XSS}` });
    await respond('POST', token, {
      action: 'REQUEST_EXTENSION',
      days: '30',
      reason: '需要采购设备',
    });
    const second = await respond('POST', token, {
      action: 'REQUEST_EXTENSION',
      days: '10',
      reason: 'x',
    });
    expect(second.body).toContain('Already received');
    expect(table.list('RESPONSE#')).toHaveLength(3);
    expect(referral().extensionRequest).toMatchObject({ days: 30, status: 'PENDING', round: 1 });
    expect(auditEvents().map((event) => event.action)).toEqual([
      'PROGRESS_POSTED',
      'PROGRESS_POSTED',
      'EXTENSION_REQUESTED',
    ]);
    expect(verifyChain(auditEvents()).ok).toBe(true);
    const page = await respond('GET', token);
    expect(page.body).toContain('已现场勘查');
    expectEscaped(page.body);
    expect(workflow.outputs()).toEqual([]);
  });

  it('refuses malformed forms (422) and control characters, changing nothing', async () => {
    const token = await link('RESPOND');
    const forms: Record<string, string>[] = [
      { action: 'REPLY', result: 'MAYBE', text: 'x' },
      { action: 'REPLY', result: 'RESOLVED', text: '   ' },
      { action: 'DELETE' },
      { action: 'REQUEST_EXTENSION', days: '0', reason: 'x' },
      { action: 'RETURN', reason: 'a\u0000b' },
    ];
    for (const form of forms) {
      const page = await respond('POST', token, form);
      expect(page.statusCode).toBe(422);
      expectNoMarkup(page.body);
    }
    expect(referral().auditSeq).toBe(0);
    expect(workflow.outputs()).toEqual([]);
  });
});

const expectNoMarkup = (html: string) => expect(html).not.toContain('<script');

/** The referral once the water authority replied `text` (round 1), waiting for its rating. */
const repliedReferral = (text: string) => ({
  ...referral(),
  status: 'REPLIED',
  reply: {
    round: 1,
    departmentId: 'dept-water',
    result: 'RESOLVED',
    text,
    at: '2026-11-20T00:00:00.000Z',
  },
  pendingTask: { phase: 'RATING', token: 'rating-token', since: '2026-11-20T00:00:00.000Z' },
});

describe('the rating page', () => {
  const replied = (overrides: Record<string, unknown> = {}) =>
    table.put({
      ...repliedReferral(`已解决 ${XSS}`),
      feedback: { round: 1, raiserRefs: ['D.dep-0001', 'R.F1'] },
      ...overrides,
    });

  it('shows the reply escaped and changes nothing on GET', async () => {
    replied();
    const token = await link('RATE', { raiserRef: 'D.dep-0001' });
    const writes = table.writes(workflow.sfn);
    const page = await rate('GET', token);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('已解决');
    expect(page.body).toContain('name="rating"');
    expectEscaped(page.body);
    expect(table.writes(workflow.sfn)).toBe(writes);
  });

  it('refuses a response link on the rating page', async () => {
    replied();
    expect((await rate('GET', await link('RESPOND'))).statusCode).toBe(403);
  });

  it('stores each rating once and ends AwaitRatings with RATED when all have rated', async () => {
    replied();
    const deputy = await link('RATE', { raiserRef: 'D.dep-0001' });
    const resident = await link('RATE', { raiserRef: 'R.F1' });
    expect((await rate('POST', deputy, { rating: 'SATISFIED', comment: XSS })).statusCode).toBe(
      200,
    );
    expect(workflow.outputs()).toEqual([]);
    const replay = await rate('POST', deputy, { rating: 'NOT_SATISFIED' });
    expect(replay.body).toContain('Already received');
    await rate('POST', resident, { rating: 'BASICALLY_SATISFIED' });
    expect(workflow.outputs()).toEqual([{ token: 'rating-token', output: { outcome: 'RATED' } }]);
    expect(table.get(`REFERRAL#${REFERRAL_ID}`, 'RATING#1#D.dep-0001')).toMatchObject({
      rating: 'SATISFIED',
      comment: XSS,
    });
    expect(referral().ratings).toMatchObject({
      'D.dep-0001': { rating: 'SATISFIED' },
      'R.F1': { rating: 'BASICALLY_SATISFIED' },
    });
    const events = auditEvents();
    expect(events.map((event) => event.action)).toEqual(['REFERRAL_RATED', 'REFERRAL_RATED']);
    expect(JSON.stringify(events)).not.toContain('onerror');
    const shown = await rate('GET', deputy);
    expect(shown.body).toContain('您已评价');
  });

  it('ends AwaitRatings at once on the first NOT_SATISFIED of a referral not yet reopened', async () => {
    replied();
    await rate('POST', await link('RATE', { raiserRef: 'R.F1' }), {
      rating: 'NOT_SATISFIED',
      comment: '仍然积水',
    });
    expect(workflow.outputs()).toEqual([
      { token: 'rating-token', output: { outcome: 'NOT_SATISFIED' } },
    ]);
  });

  it('does not end early on NOT_SATISFIED once reopened', async () => {
    replied({
      reopened: true,
      round: 2,
      reply: { round: 2, result: 'RESOLVED', text: 'x', at: '2026-11-21T00:00:00.000Z' },
      feedback: { round: 2, raiserRefs: ['D.dep-0001', 'R.F1'] },
    });
    await rate('POST', await link('RATE', { round: 2, raiserRef: 'R.F1' }), {
      rating: 'NOT_SATISFIED',
    });
    expect(workflow.outputs()).toEqual([]);
  });

  it('answers "closed" once the rating step is over', async () => {
    replied({ status: 'CLOSED', pendingTask: undefined });
    const page = await rate('POST', await link('RATE', { raiserRef: 'R.F1' }), {
      rating: 'SATISFIED',
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('closed');
    expect(table.list('RATING#')).toHaveLength(0);
  });
});

describe('what the pages tell (issue 18)', () => {
  /** A second deputy's finding merged into F1's referral by the chairmen's meeting. */
  const mergeSecondFinding = () => {
    table.put({
      ...keys.finding(ACTIVITY_ID, 'F2'),
      entity: 'FINDING',
      id: 'F2',
      activityId: ACTIVITY_ID,
      kind: 'PROBLEM',
      category: 'DRAINAGE',
      description: '同一路段下水道返臭',
      place: '文冲村东侧排水渠',
      raisedBy: { deputyId: 'dep-0291' },
      decision: { type: 'MERGE', intoFindingId: 'F1', reason: '同一路段' },
      referralId: REFERRAL_ID,
    });
    table.put({ ...referral(), findingIds: ['F1', 'F2'] });
    for (const [id, name] of [
      ['dep-0001', '李代表'],
      ['dep-0291', '陈代表'],
    ]) {
      table.put({ ...keys.deputy(id!), entity: 'DEPUTY', id, name, email: `${id}@example.org` });
    }
  };

  const replied = () =>
    table.put({
      ...repliedReferral('已疏通'),
      feedback: {
        round: 1,
        raiserRefs: ['D.dep-0001', 'D.dep-0291', 'R.F1'],
        ratingDeadline: '2026-12-04T02:00:00.000Z',
      },
    });

  it('the response page names the sender and the reference number, and every merged finding', async () => {
    mergeSecondFinding();
    const page = await respond('GET', await link('RESPOND'));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(DEMO_JURISDICTION.district.standingCommittee.zh);
    expect(page.body).toContain(referralReference(DEMO_JURISDICTION.district, REFERRAL_ID, 'zh'));
    expect(page.body).toContain(referralReference(DEMO_JURISDICTION.district, REFERRAL_ID, 'en'));
    for (const text of ['文冲村雨后积水严重', '同一路段下水道返臭', '文冲村东侧排水渠']) {
      expect(page.body).toContain(text);
    }
    expect(page.body).toContain('需要办理的问题（2 件）');
    expect(page.body).not.toContain('陈代表');
    expect(page.body).not.toContain('dep-0291');
  });

  it('the rating page shows only what this raiser raised', async () => {
    mergeSecondFinding();
    replied();
    const second = await rate('GET', await link('RATE', { raiserRef: 'D.dep-0291' }));
    expect(second.statusCode).toBe(200);
    expect(second.body).toContain('您反映的问题');
    expect(second.body).toContain('同一路段下水道返臭');
    expect(second.body).toContain('文冲村东侧排水渠');
    expect(second.body).not.toContain('文冲村雨后积水严重');
    expect(second.body).toContain(referralReference(DEMO_JURISDICTION.district, REFERRAL_ID, 'zh'));
    const resident = await rate('GET', await link('RATE', { raiserRef: 'R.F1' }));
    expect(resident.body).toContain('文冲村雨后积水严重');
    expect(resident.body).not.toContain('同一路段下水道返臭');
  });

  it('while others may still rate, says who has rated and until when', async () => {
    mergeSecondFinding();
    replied();
    const first = await link('RATE', { raiserRef: 'D.dep-0001' });
    const second = await link('RATE', { raiserRef: 'D.dep-0291' });
    expect((await rate('POST', first, { rating: 'SATISFIED' })).statusCode).toBe(200);
    expect(workflow.outputs()).toEqual([]); // two raisers have not rated: still waiting

    const own = await rate('GET', first);
    expect(own.body).toContain('您已评价');
    expect(own.body).toContain('提出人 3 位，已评价 1 位：您（');
    expect(own.body).toContain('其余 2 位提出人可评价至 2026年12月4日 10:00');
    const other = await rate('GET', second);
    expect(other.body).toContain('已评价 1 位：代表 李代表（');
    expect(other.body).toContain('name="rating"');

    // The department learns how many rated, never who.
    const department = await respond('GET', await link('RESPOND'));
    expect(department.body).toContain('提出人 3 位，已评价 1 位。');
    expect(department.body).toContain('2026年12月4日 10:00');
    expect(department.body).not.toContain('李代表');

    await rate('POST', second, { rating: 'BASICALLY_SATISFIED' });
    await rate('POST', await link('RATE', { raiserRef: 'R.F1' }), { rating: 'SATISFIED' });
    expect((await rate('GET', second)).body).toContain('全部提出人均已评价');
    expect((await rate('GET', second)).body).toContain('群众（');
  });
});

describe('referralReference', () => {
  it('is stable, read from the id: the China year of its time part and its last eight characters', () => {
    // 2026-12-31T17:00Z is already 2027 in China.
    const id = '01MB6GPKM0FGS7E6VTAJ2AY9GN';
    expect(referralReference(DEMO_JURISDICTION.district, id, 'zh')).toBe(
      `${DEMO_JURISDICTION.district.referencePrefix.zh}〔2027〕AJ2A-Y9GN号`,
    );
    expect(referralReference(DEMO_JURISDICTION.district, id, 'en')).toBe(
      `${DEMO_JURISDICTION.district.referencePrefix.en} 2027/AJ2A-Y9GN`,
    );
    expect(referralReference(DEMO_JURISDICTION.district, id.toLowerCase(), 'zh')).toBe(
      referralReference(DEMO_JURISDICTION.district, id, 'zh'),
    );
  });
});

describe('keys', () => {
  it('names links and responses by access pattern', () => {
    expect(keys.link('abc')).toEqual({ pk: 'LINK#abc', sk: 'LINK' });
    expect(keys.referralResponse(REFERRAL_ID, 2, 'PROGRESS', 'd1')).toEqual({
      pk: `REFERRAL#${REFERRAL_ID}`,
      sk: 'RESPONSE#2#PROGRESS#d1',
    });
    expect(() => keys.referralRating(REFERRAL_ID, 1, 'a#b')).toThrow();
  });
});
