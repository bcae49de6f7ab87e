// Integration test on the local cloud (issue 18): the README's walk-through, step by step
// through the API (schedule, accept, open check-in early, check in, close attendance, findings,
// close findings, the chairmen's meeting's decisions, approve), then what an auditor reads of
// it: the activity's trail must never go back in time along its chain; the referral's due date
// is the same calendar date in its email, on its page and in the CSV; and the usual mistakes of
// a newcomer are answered with what to send instead.
import { beforeAll, describe, expect, it } from 'vitest';
import { formatDueDate } from '../../functions/shared/domain/deadlines';
import { DEMO_COMMITTEE_IDS, DEMO_DEPUTY_IDS } from '../../infra/local/seed';
import { api, deputyApi } from './support/api';
import { waitForMail } from './support/aws';
import {
  answerInvitation,
  auditEvents,
  checkIn,
  closeAttendance,
  closeFindings,
  completeReview,
  inDays,
  inSeconds,
  openCheckIn,
  waitForPhase,
  waitForStatus,
} from './support/activity';

const RUN = Date.now().toString(36);
const organiser = api({ role: 'organiser', sub: `org-walkthrough-${RUN}` });
const auditor = api({ role: 'auditor', sub: `aud-walkthrough-${RUN}` });
const D1 = 'dep-0020'; // 文冲; municipal and district seats
const D2 = DEMO_DEPUTY_IDS.town; // 新龙; town and district seats

interface TrailJson {
  events: { seq: number; at: string; action: string }[];
  nextCursor?: string;
  verification: { ok: boolean };
}

let activityId: string;
let referralId: string;
const dueDate = inDays(60);

beforeAll(async () => {
  const scheduled = await organiser.post<{ activity: { id: string } }>('/activities', {
    title: `代表接待日 ${RUN}`,
    type: 'RECEPTION_DAY',
    street: 'WENCHONG',
    location: '文冲人大代表联络站、新龙人大代表联络站',
    liaisonStations: ['文冲人大代表联络站', '新龙人大代表联络站'],
    startsAt: inSeconds(30 * 60),
    endsAt: inSeconds(4 * 3600),
    invitedDeputyIds: [D1, D2],
  });
  expect(scheduled.status, scheduled.text).toBe(201);
  activityId = scheduled.json.activity.id;
  await waitForPhase(organiser, activityId, 'START');

  const deputies = [D1, D2].map(deputyApi);
  await answerInvitation(deputies, activityId);
  await openCheckIn(organiser, activityId);
  await checkIn(deputies, activityId);
  await closeAttendance(organiser, activityId);

  const finding = async (body: Record<string, unknown>) => {
    const res = await deputyApi(D1).post<{ finding: { id: string } }>(
      `/activities/${activityId}/findings`,
      body,
    );
    expect(res.status, res.text).toBe(201);
    return res.json.finding.id;
  };
  const trees = await finding({
    kind: 'SUGGESTION',
    category: 'ANCIENT_TREES',
    needsReferral: true,
    place: '暹岗村二期复建区 配套中小学地块',
    description: '学校用地上有25棵古树，设计避不开，迁移须按古树名木保护规定报批',
    resident: { name: '来访群众01', consentToContact: false },
  });
  const asked = await finding({
    kind: 'CONSULTATION',
    category: 'OTHER',
    needsReferral: false,
    place: '文冲人大代表联络站',
    description: '询问怎样通过网上联络站反映问题',
    resident: { name: '来访群众02', consentToContact: false },
  });
  await closeFindings(organiser, activityId);

  const decided = await organiser.post(`/activities/${activityId}/review/decisions`, {
    decisions: [
      {
        findingId: trees,
        decision: 'REFER',
        departmentId: 'dept-forestry',
        reason: '需林业园林部门牵头协调',
      },
      {
        findingId: asked,
        decision: 'ANSWER_DIRECTLY',
        answer: '已现场演示网上联络站',
        reason: '咨询类',
      },
    ],
  });
  expect(decided.status, decided.text).toBe(200);
  const review = await completeReview(
    organiser,
    activityId,
    DEMO_COMMITTEE_IDS.urbanConstruction,
    dueDate,
  );
  expect(review.referrals).toHaveLength(1);
  referralId = review.referrals[0]!.id;
  await waitForStatus(organiser, activityId, 'COMPLETED', 60_000);
}, 180_000);

describe('the README walk-through', () => {
  it("the activity's trail never goes back in time along its chain", async () => {
    const trail = await auditor.get<TrailJson>(`/audit/activities/${activityId}/trail?limit=200`);
    expect(trail.status, trail.text).toBe(200);
    expect(trail.json.verification.ok).toBe(true);
    const { events } = trail.json;
    // The organiser's early closes are in it (each one raced the workflow step it woke).
    expect(events.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        'START_ENDED_BY_ORGANISER',
        'CHECK_IN_OPENED',
        'ATTENDANCE_ENDED_BY_ORGANISER',
        'FINDINGS_ENDED_BY_ORGANISER',
        'REVIEW_ENDED_BY_ORGANISER',
        'ACTIVITY_COMPLETED',
      ]),
    );
    const backwards = events.slice(1).flatMap((event, i) => {
      const previous = events[i]!;
      return Date.parse(event.at) < Date.parse(previous.at)
        ? [
            `${previous.seq} ${previous.action} ${previous.at} → ${event.seq} ${event.action} ${event.at}`,
          ]
        : [];
    });
    expect(backwards).toEqual([]);

    // The stored events agree, and the head keeps the time of its last event.
    const stored = await auditEvents(activityId);
    expect(stored.map((e) => e.at)).toEqual(events.map((e) => e.at));
  });

  it("the referral's trail never goes back in time either", async () => {
    const trail = await auditor.get<TrailJson>(`/audit/referrals/${referralId}/trail?limit=200`);
    expect(trail.status, trail.text).toBe(200);
    const times = trail.json.events.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });
});

describe('the due date of the referral', () => {
  it('is the same calendar date in the email, on the response page and in the CSV', async () => {
    const zh = formatDueDate(dueDate, 'zh');
    const theDayAfter = formatDueDate(inDays(61), 'zh');
    const mail = await waitForMail(
      (all) => all.some((m) => m.subject.includes('转办') && m.subject.includes(RUN)),
      30_000,
    );
    const email = mail.find((m) => m.subject.includes('转办') && m.subject.includes(RUN))!;
    expect(email.body.text).toContain(`办理期限：${zh}\n`);
    expect(email.body.html).toContain(`<th align="left" valign="top">办理期限</th><td>${zh}</td>`);
    for (const part of [email.body.text, email.body.html]) expect(part).not.toContain(theDayAfter);

    const token = /\/respond\/([^\s"<]+)/.exec(email.body.text ?? '')?.[1];
    expect(token).toBeDefined();
    const page = await api(null).get(`/respond/${token}`);
    expect(page.status, page.text).toBe(200);
    expect(page.text).toContain(
      `<dt>办理期限</dt><dd>${zh} <span class="en">by the end of ${formatDueDate(dueDate, 'en')}</span></dd>`,
    );
    expect(page.text).not.toContain(theDayAfter);

    const startYear = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 4);
    const csv = await auditor.get(`/audit/deputies/${D1}/duty-record?year=${startYear}&format=csv`);
    expect(csv.status, csv.text).toBe(200);
    const row = csv.text.split('\r\n').find((line) => line.includes(referralId));
    expect(row, csv.text).toBeDefined();
    expect(row).toContain(`,${dueDate},`);
  });
});

describe("a newcomer's usual mistakes are answered with what to send instead", () => {
  type Problem = { message: string; issues: { path: string; message: string }[] };
  const schedule = (overrides: Record<string, unknown>) =>
    organiser.post<Problem>('/activities', {
      title: `垃圾分类专项检查 ${RUN}`,
      type: 'SPECIAL_INSPECTION',
      regulation: '广州市生活垃圾分类管理条例',
      checklist: ['分类投放点设置'],
      street: 'WENCHONG',
      location: '文冲街道',
      startsAt: inSeconds(3600),
      endsAt: inSeconds(3 * 3600),
      invitedDeputyIds: [D1],
      ...overrides,
    });

  it('a type or a street given by its Chinese name: the code it stands for', async () => {
    const type = await schedule({ type: '专项检查' });
    expect(type.status, type.text).toBe(422);
    expect(type.json.issues).toEqual([
      { path: 'type', message: 'must be a code: 专项检查 → SPECIAL_INSPECTION' },
    ]);
    const street = await schedule({ street: '文冲' });
    expect(street.status, street.text).toBe(422);
    expect(street.json.issues).toEqual([
      { path: 'street', message: 'must be a code: 文冲 → WENCHONG' },
    ]);
  });

  it('a name where an id belongs: the route that lists the ids', async () => {
    const someId = '01J00000000000000000000000';
    const committee = await organiser.post<Problem>(
      `/activities/${someId}/review/referrals/${someId}`,
      { committeeId: '城建环保工委' },
    );
    expect(committee.status, committee.text).toBe(422);
    expect(committee.json.issues[0]).toMatchObject({ path: 'committeeId' });
    expect(committee.json.issues[0]!.message).toContain('GET /committees');
    const department = await organiser.post<Problem>(`/activities/${someId}/review/decisions`, {
      decisions: [
        { findingId: someId, decision: 'REFER', departmentId: '林业园林局', reason: '需协调' },
      ],
    });
    expect(department.status, department.text).toBe(422);
    expect(department.json.issues[0]!.message).toContain('GET /departments');
    const deputies = await schedule({ invitedDeputyIds: ['张三', 'dep-9999'] });
    expect(deputies.status, deputies.text).toBe(422);
    expect(deputies.json.issues[0]).toMatchObject({ path: 'invitedDeputyIds.0' });
    expect(deputies.json.issues[0]!.message).toContain('GET /deputies');
    const unknown = await schedule({ invitedDeputyIds: ['dep-9999'] });
    expect(unknown.status, unknown.text).toBe(422);
    expect(unknown.json.issues).toEqual([
      { path: 'invitedDeputyIds.0', message: 'unknown deputy dep-9999: GET /deputies lists them' },
    ]);
  });

  it('a bad start is reported once, not through times the caller never sent', async () => {
    const res = await schedule({ startsAt: inSeconds(400 * 86_400), endsAt: inSeconds(7200) });
    expect(res.status, res.text).toBe(422);
    expect(res.json.issues).toEqual([
      { path: 'startsAt', message: 'must be within 300 days from now' },
    ]);
  });
});
