// Integration: whole activities on the local cloud (DynamoDB Local, local SES, the local Step
// Functions service running the synthesized activity workflow, the local HTTP API): cancel at
// each phase, deadlines passing with nobody closing, an organiser closing each phase early
// through to completion (a deputy with two seats), an unroutable finding, and the number of
// state transitions staying the same whatever the number of deputies and findings.
import { describe, expect, it } from 'vitest';
import { executionArnOf } from '../../functions/activities/view';
import { verifyChain } from '../../functions/shared/data/audit';
import { keys } from '../../functions/shared/data/keys';
import { DEMO_COMMITTEE_IDS, DEMO_DEPUTY_IDS } from '../../infra/local/seed';
import { api, deputyApi } from './support/api';
import { deputyEmail, mailAbout } from './support/aws';
import { stateMachineArn } from './support/cloud';
import {
  activityExecutionArn,
  activityItem,
  auditEvents,
  checkIn,
  closeAttendance,
  closeFindings,
  completeReview,
  describeExecution,
  eventually,
  executionHistory,
  inDays,
  inSeconds,
  openCheckIn,
  rawItem,
  readActivity,
  recordFinding,
  type ReviewJson,
  scheduleActivity,
  sleep,
  verifiedTrail,
  waitForExecutionEnd,
  waitForPhase,
  waitForStatus,
} from './support/activity';

const RUN = Date.now().toString(36);
const organiser = api({ role: 'organiser', sub: 'org-lifecycle' });
const COMMITTEE = DEMO_COMMITTEE_IDS.urbanConstruction;

/** Recipients of the mail, sorted (one entry per email). */
const recipients = (mail: { destination: { to: string[] } }[]) =>
  mail.flatMap((m) => m.destination.to).sort();

const actionsOf = async (id: string) => (await auditEvents(id)).map((e) => e.action);

describe.concurrent('cancel at each phase', () => {
  const invitees = [DEMO_DEPUTY_IDS.national, DEMO_DEPUTY_IDS.wenchong];

  /** Drives a fresh activity to `phase` through the organiser's routes. */
  const phases = [
    ['before the start', 'INVITATIONS_SENT'],
    ['during check-in', 'CHECK_IN_OPEN'],
    ['during findings', 'FINDINGS_OPEN'],
    ['in review', 'IN_REVIEW'],
  ] as const;

  it.each(phases)('%s (%s)', async (_name, status) => {
    const title = `取消测试【${status}】${RUN}`;
    const id = await scheduleActivity(organiser, { title, invitedDeputyIds: invitees });
    await waitForPhase(organiser, id, 'START');
    if (status !== 'INVITATIONS_SENT') {
      await openCheckIn(organiser, id);
      await checkIn([deputyApi(DEMO_DEPUTY_IDS.wenchong)], id);
    }
    if (status === 'FINDINGS_OPEN' || status === 'IN_REVIEW') {
      await closeAttendance(organiser, id);
      await recordFinding(deputyApi(DEMO_DEPUTY_IDS.wenchong), id);
    }
    if (status === 'IN_REVIEW') await closeFindings(organiser, id);
    expect((await readActivity(organiser, id)).status).toBe(status);
    // Every invitee has had their invitation before the cancel.
    await eventually(
      () => mailAbout(title, '活动邀请'),
      (mail) => mail.length === invitees.length,
    );

    const cancelled = await organiser.post<{ notices: { sent: number; pending: number } }>(
      `/activities/${id}/cancel`,
      { reason: '台风预警，活动取消' },
    );
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(cancelled.json.notices).toMatchObject({ sent: invitees.length, pending: 0 });

    const activity = await readActivity(organiser, id);
    expect(activity.status).toBe('CANCELLED');
    expect(activity.pendingTask).toBeUndefined();
    const execution = await describeExecution(activityExecutionArn(id));
    expect(execution.status).toBe('ABORTED');

    // Each invitee told exactly once.
    await sleep(300);
    const notices = await mailAbout(title, '活动取消');
    expect(recipients(notices)).toEqual(invitees.map(deputyEmail).sort());

    // The trail verifies and ends with the cancellation.
    const events = await auditEvents(id);
    expect(verifyChain(events)).toMatchObject({ ok: true });
    expect(events.map((e) => e.action).slice(-2)).toEqual([
      'ACTIVITY_CANCELLED',
      'CANCELLATION_NOTICES_SENT',
    ]);
    const cancelEvent = events.at(-2)!;
    expect(cancelEvent).toMatchObject({
      actor: 'org-lifecycle',
      before: { status },
      after: { status: 'CANCELLED' },
    });

    // A second cancel is refused and changes nothing: item, trail, mail, execution.
    const itemBefore = await activityItem(id);
    const again = await organiser.post(`/activities/${id}/cancel`, { reason: '再次取消' });
    expect(again.status, again.text).toBe(409);
    await sleep(200);
    expect(await activityItem(id)).toEqual(itemBefore);
    expect(await auditEvents(id)).toHaveLength(events.length);
    expect(await mailAbout(title, '活动取消')).toHaveLength(invitees.length);
    expect((await describeExecution(activityExecutionArn(id))).status).toBe('ABORTED');
  });
});

describe.concurrent('whole activities', () => {
  it('deadlines pass with nobody closing: the activity reaches IN_REVIEW by itself', async () => {
    const title = `期限自动关闭 ${RUN}`;
    const startsAt = inSeconds(3);
    const attendanceClosesAt = inSeconds(6);
    const findingsCloseAt = inSeconds(9);
    const invitees = [DEMO_DEPUTY_IDS.wenchong, DEMO_DEPUTY_IDS.national];
    const id = await scheduleActivity(organiser, {
      title,
      startsAt,
      endsAt: attendanceClosesAt,
      attendanceClosesAt,
      findingsCloseAt,
      invitedDeputyIds: invitees,
    });

    await waitForStatus(organiser, id, 'CHECK_IN_OPEN', 15_000);
    expect(
      (await deputyApi(DEMO_DEPUTY_IDS.wenchong).post(`/activities/${id}/check-ins`)).status,
    ).toBe(201);
    await waitForStatus(organiser, id, 'FINDINGS_OPEN', 15_000);
    const findingId = await recordFinding(deputyApi(DEMO_DEPUTY_IDS.wenchong), id);
    const inReview = await waitForPhase(organiser, id, 'REVIEW', 20_000);
    expect(inReview.status).toBe('IN_REVIEW');
    expect(inReview.attendance).toMatchObject({ attended: 1, personTimesTotal: 1 });

    // The phases were closed by their deadlines: by the workflow, not by an organiser.
    const events = await auditEvents(id);
    expect(verifyChain(events)).toMatchObject({ ok: true });
    const actions = events.map((e) => e.action);
    expect(actions.filter((a) => a.endsWith('_ENDED_BY_ORGANISER'))).toEqual([]);
    for (const [action, deadline] of [
      ['CHECK_IN_OPENED', startsAt],
      ['ATTENDANCE_CLOSED', attendanceClosesAt],
      ['FINDINGS_CLOSED', findingsCloseAt],
    ] as const) {
      const event = events.find((e) => e.action === action);
      expect(event, action).toBeDefined();
      expect(event!.actor).toBe('workflow');
      expect(Date.parse(event!.at)).toBeGreaterThanOrEqual(Date.parse(deadline) - 1000);
    }
    expect(actions).toEqual(
      expect.arrayContaining(['CHECK_INS_SEALED', 'FINDINGS_SEALED', 'FINDINGS_TRIAGED']),
    );
    expect(actions.at(-1)).toBe('AWAITING_REVIEW');

    // The execution: every waiting step ended by its timeout, the review waits on its token.
    const arn = activityExecutionArn(id);
    expect((await describeExecution(arn)).status).toBe('RUNNING');
    const history = await executionHistory(arn);
    expect(history.filter((e) => e.type === 'TaskTimedOut')).toHaveLength(3);
    const entered = history
      .filter((e) => e.type === 'TaskStateEntered')
      .map((e) => e.stateEnteredEventDetails?.name);
    expect(entered).toEqual([
      'SendInvitations',
      'PlanStart',
      'AwaitStart',
      'OpenCheckIn',
      'AwaitAttendanceClose',
      'CloseAttendance',
      'AwaitFindingsClose',
      'CloseFindings',
      'Triage',
      'AwaitReview',
    ]);

    // Stored state: the finding is routed into a draft referral; nothing closed twice.
    const review = await organiser.get<ReviewJson>(`/activities/${id}/review`);
    expect(review.json.findings.find((f) => f.id === findingId)?.referralId).toBeDefined();
    expect(review.json.referrals.map((r) => r.status)).toEqual(['DRAFT']);
    expect((await organiser.post(`/activities/${id}/attendance/close`)).status).toBe(409);
    expect((await organiser.post(`/activities/${id}/findings/close`)).status).toBe(409);
    expect(recipients(await mailAbout(title, '活动邀请'))).toEqual(
      invitees.map(deputyEmail).sort(),
    );
  });

  it('an organiser closes each phase early through to COMPLETED; a deputy with two seats counts once', async () => {
    const title = `提前关闭全流程 ${RUN}`;
    const twoSeats = DEMO_DEPUTY_IDS.municipalAndDistrict; // MUNICIPAL + DISTRICT
    const district = DEMO_DEPUTY_IDS.wenchong; // DISTRICT
    const national = DEMO_DEPUTY_IDS.national; // invited, does not come
    const invitees = [twoSeats, district, national];
    const id = await scheduleActivity(organiser, { title, invitedDeputyIds: invitees });
    await eventually(
      () => mailAbout(title, '活动邀请'),
      (mail) => mail.length === invitees.length,
    );

    await openCheckIn(organiser, id);
    await checkIn([twoSeats, district].map(deputyApi), id);
    const drainage = await recordFinding(deputyApi(twoSeats), id, { category: 'DRAINAGE' });
    await closeAttendance(organiser, id);
    const attendance = (await readActivity(organiser, id)).attendance!;
    expect(attendance).toMatchObject({
      invited: 3,
      attended: 2,
      personTimesTotal: 2,
      personTimesByLevel: { NATIONAL: 0, PROVINCIAL: 0, MUNICIPAL: 1, DISTRICT: 2, TOWN: 0 },
    });
    const education = await recordFinding(deputyApi(district), id, {
      category: 'EDUCATION',
      description: '学校门口上下学时段交通拥堵',
    });
    const consultation = await recordFinding(organiser, id, {
      kind: 'CONSULTATION',
      category: 'LEGAL_AID',
      description: '居民咨询劳动合同问题，已现场解答',
      needsReferral: false,
      deputyId: district,
    });
    await closeFindings(organiser, id);

    const review = await completeReview(organiser, id, COMMITTEE);
    expect(review.referrals.map((r) => r.departmentId).sort()).toEqual([
      'dept-education',
      'dept-water',
    ]);
    await waitForStatus(organiser, id, 'COMPLETED');
    expect((await waitForExecutionEnd(activityExecutionArn(id))).status).toBe('SUCCEEDED');

    // One referral execution per referral, named by the referral id; each referral dispatched,
    // and its workflow then emails the department (status SENT, one referral email each).
    const referralArn = stateMachineArn('ReferralWorkflow');
    for (const referral of review.referrals) {
      const execution = await describeExecution(executionArnOf(referralArn, referral.id));
      expect(execution.name).toBe(referral.id);
      expect(JSON.parse(execution.input ?? '{}')).toEqual({ referralId: referral.id });
      const stored = await eventually(
        () => rawItem(keys.referral(referral.id)),
        (item) => item?.status === 'SENT',
      );
      expect(stored).toMatchObject({ dispatchedAt: expect.any(String) });
      expect(stored?.failure).toBeUndefined();
    }
    const referralMail = await mailAbout(title, '转办');
    for (const mailbox of ['education@', 'water@']) {
      expect(referralMail.filter((m) => m.destination.to.join().includes(mailbox))).toHaveLength(1);
    }

    // Report data stored on the activity: the two-seat deputy once per level, once in total.
    const item = await activityItem(id);
    expect(item.status).toBe('COMPLETED');
    expect(item.report).toMatchObject({
      personTimes: {
        byLevel: { NATIONAL: 0, PROVINCIAL: 0, MUNICIPAL: 1, DISTRICT: 2, TOWN: 0 },
        total: 2,
      },
      attendance: { invited: 3, checkedIn: 2 },
      findings: {
        total: 3,
        needingReferral: 2,
        referred: 2,
        unrouted: 0,
        byKind: { CONSULTATION: 1, PROBLEM: 2 },
      },
      referrals: { total: 2, dispatched: 2 },
    });
    expect([drainage, education, consultation]).toHaveLength(3);

    // The trail verifies and shows the organiser ending each human step.
    const events = await verifiedTrail(id, [
      'START_ENDED_BY_ORGANISER',
      'ATTENDANCE_ENDED_BY_ORGANISER',
      'FINDINGS_ENDED_BY_ORGANISER',
      'REVIEW_APPROVED',
      'REFERRALS_DISPATCHED',
      'ACTIVITY_COMPLETED',
    ]);
    expect(events.find((e) => e.action === 'ACTIVITY_COMPLETED')!.after).toMatchObject({
      report: { personTimes: { total: 2 } },
    });
    expect(recipients(await mailAbout(title, '活动邀请'))).toEqual(
      invitees.map(deputyEmail).sort(),
    );

    // Cancel after completion: 409, nothing changes, nobody told.
    const itemBefore = await activityItem(id);
    const late = await organiser.post(`/activities/${id}/cancel`, { reason: '太晚了' });
    expect(late.status, late.text).toBe(409);
    expect(await activityItem(id)).toEqual(itemBefore);
    expect(await auditEvents(id)).toHaveLength(events.length);
    expect(await mailAbout(title, '活动取消')).toEqual([]);
  });

  it('an unroutable finding is flagged and blocks approval until decided', async () => {
    const title = `无法分办 ${RUN}`;
    const id = await scheduleActivity(organiser, {
      title,
      invitedDeputyIds: [DEMO_DEPUTY_IDS.wenchong],
    });
    await openCheckIn(organiser, id);
    const routed = await recordFinding(deputyApi(DEMO_DEPUTY_IDS.wenchong), id);
    const other = await recordFinding(deputyApi(DEMO_DEPUTY_IDS.wenchong), id, {
      category: 'OTHER',
      description: '社区广场舞噪音扰民',
    });
    await closeAttendance(organiser, id);
    await closeFindings(organiser, id);

    const review = await organiser.get<ReviewJson>(`/activities/${id}/review`);
    expect(review.status, review.text).toBe(200);
    const flagged = review.json.findings.find((f) => f.id === other)!;
    expect(flagged.unrouted).toBe(true);
    expect(flagged.referralId).toBeUndefined();
    expect(review.json.findings.find((f) => f.id === routed)!.referralId).toBeDefined();
    expect(review.json.approval).toMatchObject({ ready: false, undecided: [other] });
    expect(await actionsOf(id)).toContain('FINDINGS_TRIAGED');

    // Every referral complete, yet the undecided finding blocks approval.
    for (const referral of review.json.referrals) {
      const res = await organiser.post(`/activities/${id}/review/referrals/${referral.id}`, {
        committeeId: COMMITTEE,
        dueDate: inDays(20),
      });
      expect(res.status, res.text).toBe(200);
    }
    const headBefore = await activityItem(id);
    const blocked = await organiser.post(`/activities/${id}/review/approve`);
    expect(blocked.status, blocked.text).toBe(409);
    expect(blocked.text).toContain(other);
    expect(await activityItem(id)).toEqual(headBefore);
    expect((await readActivity(organiser, id)).pendingTask?.phase).toBe('REVIEW');

    const decided = await organiser.post<ReviewJson>(`/activities/${id}/review/decisions`, {
      decisions: [
        { findingId: other, decision: 'NO_ACTION', reason: '属社区自治事项，已转告居委会' },
      ],
    });
    expect(decided.status, decided.text).toBe(200);
    expect(decided.json.approval).toMatchObject({ ready: true, undecided: [] });
    const approved = await organiser.post(`/activities/${id}/review/approve`);
    expect(approved.status, approved.text).toBe(200);
    await waitForStatus(organiser, id, 'COMPLETED');
    expect((await waitForExecutionEnd(activityExecutionArn(id))).status).toBe('SUCCEEDED');
    expect((await activityItem(id)).report).toMatchObject({
      findings: { total: 2, unrouted: 1, noAction: 1, referred: 1 },
      referrals: { total: 1, dispatched: 1 },
    });
    const events = await auditEvents(id);
    expect(verifyChain(events)).toMatchObject({ ok: true });
    expect(events.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        'REVIEW_DECISIONS_RECORDED',
        'REVIEW_APPROVED',
        'ACTIVITY_COMPLETED',
      ]),
    );
  });

  it('the number of state transitions does not grow with deputies or findings', async () => {
    /** Runs one complete activity, every finding routed to the education bureau. */
    const run = async (label: string, deputyIds: string[], findings: number) => {
      const id = await scheduleActivity(organiser, {
        title: `规模 ${label} ${RUN}`,
        invitedDeputyIds: deputyIds,
      });
      await openCheckIn(organiser, id);
      const checkIns = await Promise.all(
        deputyIds.map((who) => deputyApi(who).post(`/activities/${id}/check-ins`)),
      );
      expect(checkIns.map((r) => r.status)).toEqual(deputyIds.map(() => 201));
      await Promise.all(
        Array.from({ length: findings }, (_, n) =>
          recordFinding(deputyApi(deputyIds[n % deputyIds.length]!), id, {
            category: 'EDUCATION',
            description: `学位不足问题 ${n + 1}`,
          }),
        ),
      );
      await closeAttendance(organiser, id);
      await closeFindings(organiser, id);
      const review = await completeReview(organiser, id, COMMITTEE);
      expect(review.referrals).toHaveLength(1);
      expect(review.referrals[0]!.departmentId).toBe('dept-education');
      expect(review.referrals[0]!.findingIds).toHaveLength(findings);
      await waitForStatus(organiser, id, 'COMPLETED');
      const arn = activityExecutionArn(id);
      expect((await waitForExecutionEnd(arn)).status).toBe('SUCCEEDED');
      expect((await activityItem(id)).attendance).toMatchObject({ attended: deputyIds.length });
      return (await executionHistory(arn)).length;
    };
    const ids = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) => `dep-${String(from + i).padStart(4, '0')}`);
    const [small, large] = await Promise.all([
      run('小', ids(100, 2), 2),
      run('大', ids(120, 40), 30),
    ]);
    console.log(
      `activity execution history: ${small} events (2 deputies, 2 findings), ${large} events (40 deputies, 30 findings)`,
    );
    expect(small).toBeGreaterThan(20);
    expect(large).toBe(small);
  });
});
