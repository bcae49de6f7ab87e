// Integration: invitation responses, check-in (API, QR page, make-up), closing attendance and
// its statistics and seal, driven through the local HTTP API on the local cloud (DynamoDB
// Local, the local Step Functions service running the synthesized activity workflow).
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { sealOfCheckInRecords } from '../../functions/attendance/statistics';
import { verifyChain, type AuditEvent } from '../../functions/shared/data/audit';
import { keys, toQueryParams } from '../../functions/shared/data/keys';
import { api, deputyApi } from './support/api';
import { ddbDoc } from './support/aws';
import { tableName } from './support/cloud';

const organiser = api('organiser');
const anonymous = api(null);

// Seeded demo deputies (infra/local/seed.ts).
const MUNICIPAL_AND_DISTRICT = 'dep-0015';
const DISTRICT = 'dep-0041';
const TOWN_AND_DISTRICT = 'dep-0291';
const NATIONAL = 'dep-0001';
const NOT_INVITED = 'dep-0030';

interface ActivityView {
  id: string;
  status: string;
  phase: string;
  pendingTask?: { phase: string };
  attendance?: {
    attended: number;
    personTimesTotal: number;
    personTimesByLevel: Record<string, number>;
    accepted: number;
    declined: number;
    madeUp: number;
  };
}

const iso = (msFromNow: number) => new Date(Date.now() + msFromNow).toISOString();

const schedule = async (overrides: Record<string, unknown> = {}) => {
  const response = await organiser.post<{ activity: ActivityView }>('/activities', {
    title: '人居环境整治交叉检查',
    type: 'CROSS_INSPECTION',
    inspectingDistrict: '白云区',
    inspectedDistrict: '黄埔区',
    street: 'WENCHONG',
    location: '黄埔区文冲街道',
    startsAt: iso(86_400_000),
    endsAt: iso(86_400_000 + 8 * 3_600_000),
    invitedDeputyIds: [MUNICIPAL_AND_DISTRICT, DISTRICT, TOWN_AND_DISTRICT, NATIONAL],
    ...overrides,
  });
  expect(response.status, response.text).toBe(201);
  return response.json.activity.id;
};

const read = async (id: string) => {
  const response = await organiser.get<{ activity: ActivityView }>(`/activities/${id}`);
  expect(response.status, response.text).toBe(200);
  return response.json.activity;
};

const until = async (
  id: string,
  done: (activity: ActivityView) => boolean,
  timeoutMs = 30_000,
): Promise<ActivityView> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const activity = await read(id);
    if (done(activity)) return activity;
    if (Date.now() > deadline) {
      throw new Error(`activity ${id} never got there: ${JSON.stringify(activity)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};

const query = async (query: ReturnType<typeof keys.auditEventsOfStream>) => {
  const { Items } = await ddbDoc().send(
    new QueryCommand({ TableName: tableName(), ...toQueryParams(query), ConsistentRead: true }),
  );
  return Items ?? [];
};

describe('attendance on the local cloud', () => {
  it('responses, check-in by API, QR and make-up, early close, statistics and seal', async () => {
    const id = await schedule();
    await until(id, (a) => a.status === 'INVITATIONS_SENT' && a.pendingTask?.phase === 'START');

    // Invitation responses, changeable until check-in opens.
    const path = (suffix: string) => `/activities/${id}${suffix}`;
    expect(
      (await deputyApi(DISTRICT).post(path('/invitation/response'), { response: 'DECLINED' }))
        .status,
    ).toBe(200);
    const changed = await deputyApi(DISTRICT).post(path('/invitation/response'), {
      response: 'ACCEPTED',
      note: '准时参加',
    });
    expect(changed.status).toBe(200);
    expect(changed.json).toMatchObject({ invitation: { response: 'ACCEPTED' } });
    expect(
      (
        await deputyApi(TOWN_AND_DISTRICT).post(path('/invitation/response'), {
          response: 'DECLINED',
        })
      ).status,
    ).toBe(200);
    expect(
      (await deputyApi(NOT_INVITED).post(path('/invitation/response'), { response: 'ACCEPTED' }))
        .status,
    ).toBe(404);

    // Before check-in opens.
    const early = await deputyApi(DISTRICT).post(path('/check-ins'), {});
    expect(early.status).toBe(409);
    expect(early.text).toContain('Check-in has not opened');
    expect((await organiser.post(path('/attendance/close'))).status).toBe(409);
    expect((await deputyApi(DISTRICT).post(path('/check-in/open'))).status).toBe(403);

    // The organiser opens check-in early (ends START).
    const opened = await organiser.post(path('/check-in/open'));
    expect(opened.status, opened.text).toBe(202);
    await until(id, (a) => a.status === 'CHECK_IN_OPEN' && a.pendingTask?.phase === 'ATTENDANCE');
    expect(
      (await deputyApi(DISTRICT).post(path('/invitation/response'), { response: 'DECLINED' }))
        .status,
    ).toBe(409);

    // QR code and the public page.
    const qr = await organiser.get<{ code: string; url: string; svg: string; expiresAt: string }>(
      path('/check-in/qr'),
    );
    expect(qr.status, qr.text).toBe(200);
    expect(qr.json.svg).toContain('<svg');
    const page = await anonymous.get(`/check-in/${qr.json.code}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.text).toContain('代表签到');
    expect((await anonymous.get('/check-in/not-a-code')).status).toBe(400);
    expect((await deputyApi(DISTRICT).get(path('/check-in/qr'))).status).toBe(403);

    // Check-ins: by QR code, by API, twice, not invited, make-up.
    const byQr = await deputyApi(MUNICIPAL_AND_DISTRICT).post(path('/check-ins'), {
      code: qr.json.code,
    });
    expect(byQr.status, byQr.text).toBe(201);
    expect(byQr.json).toMatchObject({ checkIn: { method: 'QR' } });
    const again = await deputyApi(MUNICIPAL_AND_DISTRICT).post(path('/check-ins'), {});
    expect(again.status).toBe(409);
    expect(again.text).toContain('already checked in at');
    expect((await deputyApi(NOT_INVITED).post(path('/check-ins'), {})).status).toBe(404);
    expect(
      (await organiser.post(path('/check-ins/make-up'), { deputyId: TOWN_AND_DISTRICT })).status,
    ).toBe(422);
    const madeUp = await organiser.post(path('/check-ins/make-up'), {
      deputyId: TOWN_AND_DISTRICT,
      reason: '现场手机无信号，由工作人员登记',
    });
    expect(madeUp.status, madeUp.text).toBe(201);

    // The organiser closes attendance (ends ATTENDANCE).
    const closed = await organiser.post(path('/attendance/close'));
    expect(closed.status, closed.text).toBe(202);
    const afterClose = await until(id, (a) => a.status === 'FINDINGS_OPEN' && !!a.attendance);
    expect(afterClose.attendance).toMatchObject({
      attended: 2,
      personTimesTotal: 2,
      personTimesByLevel: { MUNICIPAL: 1, DISTRICT: 2, TOWN: 1, NATIONAL: 0, PROVINCIAL: 0 },
      accepted: 1,
      declined: 1,
      madeUp: 1,
    });
    const late = await deputyApi(DISTRICT).post(path('/check-ins'), {});
    expect(late.status).toBe(409);
    expect(late.text).toContain('Attendance is closed');
    expect((await organiser.post(path('/attendance/close'))).status).toBe(409);

    // A make-up after closing recomputes the statistics.
    expect(
      (
        await organiser.post(path('/check-ins/make-up'), {
          deputyId: DISTRICT,
          reason: '迟到，会后补签',
        })
      ).status,
    ).toBe(201);
    expect((await read(id)).attendance).toMatchObject({ attended: 3, personTimesTotal: 3 });

    // Audit: the chain verifies, and the seal matches the check-in records.
    const events = (await query(
      keys.auditEventsOfStream(keys.auditStreamOfActivity(id)),
    )) as AuditEvent[];
    expect(verifyChain(events)).toMatchObject({ ok: true });
    const actions = events.map((event) => event.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'START_ENDED_BY_ORGANISER',
        'CHECK_IN_OPENED',
        'INVITATION_RESPONSES_SEALED',
        'CHECK_IN_MADE_UP',
        'ATTENDANCE_ENDED_BY_ORGANISER',
        'ATTENDANCE_CLOSED',
        'CHECK_INS_SEALED',
      ]),
    );
    const records = await query(keys.checkInAuditRecordsOfActivity(id));
    expect(records).toHaveLength(2);
    const sealEvent = events.find((event) => event.action === 'CHECK_INS_SEALED')!;
    expect((sealEvent.after as { seal: unknown }).seal).toEqual(sealOfCheckInRecords(records));
  });

  it('deadlines pass with nobody closing: check-in opens at the start, attendance closes itself', async () => {
    const startsIn = 4_000;
    const id = await schedule({
      startsAt: iso(startsIn),
      attendanceClosesAt: iso(startsIn + 6_000),
      endsAt: iso(startsIn + 3_600_000),
      invitedDeputyIds: [DISTRICT],
    });
    await until(id, (a) => a.status === 'CHECK_IN_OPEN', 20_000);
    expect((await deputyApi(DISTRICT).post(`/activities/${id}/check-ins`)).status).toBe(201);
    const closed = await until(id, (a) => a.status === 'FINDINGS_OPEN' && !!a.attendance, 30_000);
    expect(closed.attendance).toMatchObject({ attended: 1, personTimesTotal: 1 });
    // The deadline already ended the phase.
    const late = await organiser.post(`/activities/${id}/attendance/close`);
    expect(late.status).toBe(409);
  });
});
