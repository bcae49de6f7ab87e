// unit test: SDK mocked with aws-sdk-client-mock (in-memory table)
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { issueCheckInCode } from '../../../../functions/attendance/check-in-code.js';
import {
  checkIn,
  checkInPage,
  checkInQr,
  makeUpCheckIn,
  respondToInvitation,
  updateCommunityCounts,
} from '../../../../functions/attendance/domain.js';
import type { InvitationResponseAuditRecord } from '../../../../functions/attendance/statistics.js';
import { verifyChain } from '../../../../functions/shared/data/audit.js';
import {
  activityItem,
  attendanceTable,
  deputy,
  ID,
  invitationItem,
  NOW,
  organiser,
  SECRET,
} from './fixtures.js';

let now = NOW;
const { table, deps, audit, invitation, activity } = attendanceTable(
  {
    invitations: { 'dep-0001': {}, 'dep-0002': {}, 'dep-0003': {} },
    deputies: { 'dep-0001': ['MUNICIPAL', 'DISTRICT'], 'dep-0002': ['TOWN'] },
  },
  () => now,
);
const PK = `ACTIVITY#${ID}`;
const responses = () => table.list('AUDIT_RESPONSE#') as unknown as InvitationResponseAuditRecord[];

beforeEach(() => {
  now = NOW;
});

describe('invitation responses', () => {
  beforeEach(() => table.put(activityItem({ status: 'INVITATIONS_SENT', phase: 'START' })));

  it('records the response on the invitation with its own unchained audit record', async () => {
    const result = await respondToInvitation(deps, ID, deputy('dep-0001'), {
      response: 'ACCEPTED',
      note: '准时参加',
    });
    expect(result).toMatchObject({ response: 'ACCEPTED', deputyId: 'dep-0001' });
    expect(invitation('dep-0001')).toMatchObject({
      response: 'ACCEPTED',
      responseNote: '准时参加',
      responseCount: 1,
    });
    const [record] = responses();
    expect(record).toMatchObject({
      sk: 'AUDIT_RESPONSE#dep-0001#00000001',
      entity: 'AUDIT_RESPONSE',
      actor: 'dep-0001',
      response: 'ACCEPTED',
      previousResponse: null,
      hasNote: true,
    });
    // The note stays on the invitation; the chain head does not move.
    expect(JSON.stringify(record)).not.toContain('准时参加');
    expect(audit()).toHaveLength(0);
    expect(activity().auditSeq).toBe(4);
  });

  it('may be changed until check-in opens; the same answer twice changes nothing', async () => {
    await respondToInvitation(deps, ID, deputy('dep-0001'), { response: 'ACCEPTED' });
    await respondToInvitation(deps, ID, deputy('dep-0001'), { response: 'ACCEPTED' });
    expect(responses()).toHaveLength(1);
    await respondToInvitation(deps, ID, deputy('dep-0001'), { response: 'DECLINED' });
    expect(invitation('dep-0001')).toMatchObject({ response: 'DECLINED', responseCount: 2 });
    expect(
      responses().map((record) => [record.sk, record.previousResponse, record.response]),
    ).toEqual([
      ['AUDIT_RESPONSE#dep-0001#00000001', null, 'ACCEPTED'],
      ['AUDIT_RESPONSE#dep-0001#00000002', 'ACCEPTED', 'DECLINED'],
    ]);
  });

  it('is 404 for a deputy who is not invited, and 409 once check-in has opened', async () => {
    await expect(
      respondToInvitation(deps, ID, deputy('dep-0099'), { response: 'ACCEPTED' }),
    ).rejects.toMatchObject({ statusCode: 404 });
    table.put(activityItem({ status: 'CHECK_IN_OPEN' }));
    await expect(
      respondToInvitation(deps, ID, deputy('dep-0001'), { response: 'DECLINED' }),
    ).rejects.toMatchObject({
      statusCode: 409,
      message: expect.stringContaining('check-in has opened'),
    });
    expect(audit()).toHaveLength(0);
    expect(responses()).toHaveLength(0);
  });

  it('is refused with nothing written when check-in opens after the status was read', async () => {
    // OpenCheckIn commits between the read of the activity and the response's transaction.
    const transactions = table.transactions().length;
    let reads = 0;
    table.doc.on(GetCommand).callsFake((input) => {
      const item = table.items.get(`${String(input.Key.pk)}|${String(input.Key.sk)}`);
      const copy = item ? structuredClone(item) : undefined;
      if (input.Key.sk === 'ACTIVITY' && reads++ === 0) {
        table.put(activityItem({ status: 'CHECK_IN_OPEN', phase: 'CHECK_IN' }));
      }
      return { Item: copy };
    });
    await expect(
      respondToInvitation(deps, ID, deputy('dep-0001'), { response: 'ACCEPTED' }),
    ).rejects.toMatchObject({
      statusCode: 409,
      message: expect.stringContaining('check-in has opened'),
    });
    // The first attempt's transaction was cancelled by its ConditionCheck; the retry re-read.
    expect(table.transactions().length).toBe(transactions + 1);
    expect(invitation('dep-0001').response).toBeUndefined();
    expect(invitation('dep-0001').respondedAt).toBeUndefined();
    expect(responses()).toHaveLength(0);
    expect(audit()).toHaveLength(0);
  });
});

describe('check-in', () => {
  it('checks an invited deputy in once, with its unchained audit record', async () => {
    const result = await checkIn(deps, ID, deputy('dep-0001'), {});
    expect(result).toEqual({
      activityId: ID,
      deputyId: 'dep-0001',
      checkedInAt: NOW.toISOString(),
      method: 'API',
    });
    expect(invitation('dep-0001')).toMatchObject({
      checkedInAt: NOW.toISOString(),
      checkInMethod: 'API',
    });
    expect(table.get(PK, 'AUDIT_CHECKIN#dep-0001')).toMatchObject({
      entity: 'AUDIT_CHECKIN',
      actor: 'dep-0001',
      method: 'API',
    });
    // Unchained: the activity's chain head does not move.
    expect(activity().auditSeq).toBe(4);
  });

  it('refuses a second check-in with the time of the first, changing nothing', async () => {
    await checkIn(deps, ID, deputy('dep-0001'), {});
    now = new Date(NOW.getTime() + 60_000);
    const transactions = table.transactions().length;
    await expect(checkIn(deps, ID, deputy('dep-0001'), {})).rejects.toMatchObject({
      statusCode: 409,
      message: `Deputy dep-0001 already checked in at ${NOW.toISOString()}`,
    });
    expect(table.transactions().length).toBe(transactions);
  });

  it('loses a race with a concurrent check-in of the same deputy as "already checked in"', async () => {
    // The invitation read says "not checked in", but the write finds it checked in.
    const original = table.get(PK, 'INVITATION#dep-0001')!;
    let reads = 0;
    const realGet = original;
    table.doc.on((await import('@aws-sdk/lib-dynamodb')).GetCommand).callsFake((input) => {
      const key = `${input.Key.pk}|${input.Key.sk}`;
      if (input.Key.sk === 'INVITATION#dep-0001' && reads++ === 0) {
        table.put({ ...realGet, checkedInAt: '2030-08-18T01:59:00.000Z', checkInMethod: 'QR' });
        return { Item: realGet };
      }
      return { Item: structuredClone(table.items.get(key)) };
    });
    await expect(checkIn(deps, ID, deputy('dep-0001'), {})).rejects.toMatchObject({
      statusCode: 409,
      message: expect.stringContaining('already checked in at 2030-08-18T01:59:00.000Z'),
    });
    expect(table.get(PK, 'AUDIT_CHECKIN#dep-0001')).toBeUndefined();
  });

  it.each([
    ['INVITATIONS_SENT', 'Check-in has not opened'],
    ['FINDINGS_OPEN', 'Attendance is closed'],
    ['COMPLETED', 'Attendance is closed'],
    ['CANCELLED', 'is cancelled'],
  ])('is refused with 409 when the activity is %s', async (status, message) => {
    table.put(activityItem({ status }));
    await expect(checkIn(deps, ID, deputy('dep-0001'), {})).rejects.toMatchObject({
      statusCode: 409,
      message: expect.stringContaining(message),
    });
    expect(invitation('dep-0001').checkedInAt).toBeUndefined();
    expect(table.transactions().length).toBe(0);
  });

  it('is 404 for a deputy who is not invited', async () => {
    await expect(checkIn(deps, ID, deputy('dep-0099'), {})).rejects.toMatchObject({
      statusCode: 404,
      message: expect.stringContaining('only invited deputies check in'),
    });
  });

  it('records a check-in with a valid code as QR; refuses an expired or foreign code', async () => {
    const { code } = issueCheckInCode(SECRET, ID, NOW, 900);
    expect(await checkIn(deps, ID, deputy('dep-0001'), { code })).toMatchObject({ method: 'QR' });

    const other = issueCheckInCode(SECRET, '01J5ZQ8V6W7X8Y9Z0ABCDEFGHK', NOW, 900).code;
    await expect(checkIn(deps, ID, deputy('dep-0002'), { code: other })).rejects.toMatchObject({
      statusCode: 400,
    });
    now = new Date(NOW.getTime() + 901_000);
    await expect(checkIn(deps, ID, deputy('dep-0002'), { code })).rejects.toMatchObject({
      statusCode: 410,
    });
    expect(invitation('dep-0002').checkedInAt).toBeUndefined();
  });
});

describe('make-up check-in', () => {
  it('while check-in is open: the record (for the seal) and a chained event naming the organiser', async () => {
    const result = await makeUpCheckIn(deps, ID, organiser, {
      deputyId: 'dep-0002',
      reason: '手机没电，现场登记',
    });
    expect(result).toMatchObject({ method: 'MAKE_UP', deputyId: 'dep-0002' });
    expect(invitation('dep-0002')).toMatchObject({
      checkInMethod: 'MAKE_UP',
      makeUpReason: '手机没电，现场登记',
      checkedInBy: 'org-1',
    });
    expect(table.get(PK, 'AUDIT_CHECKIN#dep-0002')).toMatchObject({
      method: 'MAKE_UP',
      actor: 'org-1',
    });
    expect(audit()).toEqual([
      expect.objectContaining({ action: 'CHECK_IN_MADE_UP', actor: 'org-1', seq: 5 }),
    ]);
  });

  it('after attendance closed: recomputes the statistics in the same transaction', async () => {
    table.put(
      invitationItem('dep-0001', { checkedInAt: 'x', checkInMethod: 'API', response: 'ACCEPTED' }),
    );
    table.put(
      activityItem({
        status: 'FINDINGS_OPEN',
        phase: 'FINDINGS',
        attendanceSeal: { count: 1, digest: 'd', sealedAt: 'x' },
      }),
    );
    await makeUpCheckIn(deps, ID, organiser, { deputyId: 'dep-0002', reason: '补签' });
    expect(activity().attendance).toMatchObject({
      attended: 2,
      madeUp: 1,
      personTimesTotal: 2,
      personTimesByLevel: { MUNICIPAL: 1, DISTRICT: 1, TOWN: 1, NATIONAL: 0, PROVINCIAL: 0 },
    });
    expect(table.get(PK, 'AUDIT_CHECKIN#dep-0002')).toBeUndefined();
    expect(audit()[0]).toMatchObject({ action: 'CHECK_IN_MADE_UP' });
    expect(verifyChain(audit(), { expectedPrevHash: 'a'.repeat(64) })).toMatchObject({ ok: true });
  });

  it('is refused after findings closed, for a deputy already checked in, and out of scope', async () => {
    table.put(invitationItem('dep-0001', { checkedInAt: '2030-08-18T01:30:00.000Z' }));
    await expect(
      makeUpCheckIn(deps, ID, organiser, { deputyId: 'dep-0001', reason: 'r' }),
    ).rejects.toMatchObject({
      statusCode: 409,
      message: expect.stringContaining('already checked in'),
    });
    await expect(
      makeUpCheckIn(
        deps,
        ID,
        { ...organiser, street: 'XIAGANG' },
        { deputyId: 'dep-0002', reason: 'r' },
      ),
    ).rejects.toMatchObject({ statusCode: 404 });
    table.put(activityItem({ status: 'TRIAGE' }));
    await expect(
      makeUpCheckIn(deps, ID, organiser, { deputyId: 'dep-0002', reason: 'r' }),
    ).rejects.toMatchObject({
      statusCode: 409,
      message: expect.stringContaining('until findings close'),
    });
    await expect(
      makeUpCheckIn(deps, ID, organiser, { deputyId: 'dep-0099', reason: 'r' }),
    ).rejects.toMatchObject({ statusCode: 404 });
    expect(audit()).toHaveLength(0);
  });
});

describe('QR code and public page', () => {
  it('gives the organiser a code, its expiry, the page URL and an SVG QR code', async () => {
    const qr = await checkInQr(
      { ...deps, ttlSeconds: 900 },
      ID,
      organiser,
      'https://api.example.org/',
    );
    expect(qr.code.startsWith(`${ID}.`)).toBe(true);
    expect(qr.expiresAt).toBe(new Date(NOW.getTime() + 900_000).toISOString());
    expect(qr.url).toBe(`https://api.example.org/check-in/${qr.code}`);
    expect(qr.svg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    expect(table.transactions().length).toBe(0);
  });

  it('refuses a QR code once check-in is over', async () => {
    table.put(activityItem({ status: 'FINDINGS_OPEN' }));
    await expect(
      checkInQr({ ...deps, ttlSeconds: 900 }, ID, organiser, 'https://x'),
    ).rejects.toMatchObject({ statusCode: 409 });
  });

  it('the page model names the activity; a code for no activity is invalid', async () => {
    const { code } = issueCheckInCode(SECRET, ID, NOW);
    expect(await checkInPage(deps, code)).toMatchObject({
      code,
      activity: { id: ID, title: '人居环境整治交叉检查', status: 'CHECK_IN_OPEN' },
    });
    const ghost = issueCheckInCode(SECRET, '01J5ZQ8V6W7X8Y9Z0ABCDEFGHK', NOW).code;
    await expect(checkInPage(deps, ghost)).rejects.toMatchObject({ reason: 'INVALID' });
  });
});

describe('community visit counts', () => {
  it('records consultations and residents with a chained event, keeping omitted counts', async () => {
    table.put(activityItem({ type: 'COMMUNITY_VISIT', status: 'FINDINGS_OPEN' }));
    await updateCommunityCounts(deps, ID, organiser, { consultationsAnswered: 147 });
    await updateCommunityCounts(deps, ID, organiser, { residentsReceived: 21 });
    expect(activity().communityCounts).toMatchObject({
      consultationsAnswered: 147,
      residentsReceived: 21,
      recordedBy: 'org-1',
    });
    expect(audit().map((event) => event.action)).toEqual([
      'COMMUNITY_COUNTS_RECORDED',
      'COMMUNITY_COUNTS_RECORDED',
    ]);
  });

  it('records the people a reception day received', async () => {
    table.put(activityItem({ type: 'RECEPTION_DAY', status: 'FINDINGS_OPEN' }));
    const counts = await updateCommunityCounts(deps, ID, organiser, { residentsReceived: 21 });
    expect(counts).toMatchObject({ residentsReceived: 21 });
  });

  it('is 409 for another activity type or before the visit', async () => {
    // The fixture is a cross-inspection: it receives no residents.
    await expect(
      updateCommunityCounts(deps, ID, organiser, { residentsReceived: 1 }),
    ).rejects.toMatchObject({ statusCode: 409 });
    table.put(activityItem({ type: 'COMMUNITY_VISIT', status: 'INVITATIONS_SENT' }));
    await expect(
      updateCommunityCounts(deps, ID, organiser, { residentsReceived: 1 }),
    ).rejects.toMatchObject({ statusCode: 409 });
  });
});
