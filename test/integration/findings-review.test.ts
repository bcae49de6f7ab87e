// Integration test on the local cloud: findings recorded through the API, sealed and triaged by
// the workflow, reviewed and approved by the organiser, referral workflows started, the activity
// completed with its report; and cancellation (execution stopped, each invitee told once).
import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { beforeAll, describe, expect, it } from 'vitest';
import { executionArnOf } from '../../functions/activities/view';
import { DEMO_DEPUTY_IDS } from '../../infra/local/seed';
import { api, deputyApi } from './support/api';
import { sentMail, sfnClient } from './support/aws';
import { stateMachineArn } from './support/cloud';
import {
  completeReview,
  findingBody,
  readActivity,
  scheduleActivity,
  verifiedTrail,
  waitForPhase,
  waitForStatus,
} from './support/activity';
import { ownRouting } from './support/reference';

const RUN = Date.now().toString(36);
// Reference data of this run: a department that a street-specific rule routes to.
const ROUTING = ownRouting('findings-review', {
  department: { name: '测试林业园林局', email: 'trees@departments.example.org' },
  committee: { name: '新龙镇人大工委', email: 'xinlong@committees.example.org' },
});
const DEPARTMENT = ROUTING.department.id;
const COMMITTEE = ROUTING.committee.id;
const organiser = api({ role: 'organiser', sub: 'org-findings-review' });
const deputyA = deputyApi(DEMO_DEPUTY_IDS.wenchong);
const deputyB = deputyApi(DEMO_DEPUTY_IDS.municipalAndDistrict);
const auditor = api({ role: 'auditor', sub: 'aud-findings-review' });

const statusOf = async (id: string) => (await readActivity(organiser, id)).status;

const schedule = (street = 'XINLONG') =>
  scheduleActivity(organiser, {
    title: '古树名木保护专题调研',
    street,
    location: '新龙镇古树公园',
    invitedDeputyIds: [DEMO_DEPUTY_IDS.wenchong, DEMO_DEPUTY_IDS.municipalAndDistrict],
  });

const finding = (overrides: Record<string, unknown> = {}) =>
  findingBody({
    category: 'ANCIENT_TREES',
    description: '古树根系受施工影响',
    place: '新龙镇古树公园东侧',
    ...overrides,
  });

describe('findings, triage, review, dispatch, completion', () => {
  beforeAll(async () => {
    await ROUTING.seed();
  });

  it('runs an activity from findings to dispatched referrals and a completed report', async () => {
    const id = await schedule();
    await waitForPhase(organiser, id, 'START');
    expect((await organiser.post(`/activities/${id}/check-in/open`)).status).toBeLessThan(300);
    await waitForStatus(organiser, id, 'CHECK_IN_OPEN');

    // Deputies record on site; an organiser records a resident's problem
    const first = await deputyA.post<{ finding: { id: string } }>(
      `/activities/${id}/findings`,
      finding(),
      { 'idempotency-key': `f1-${RUN}` },
    );
    expect(first.status, first.text).toBe(201);
    const replay = await deputyA.post<{ finding: { id: string } }>(
      `/activities/${id}/findings`,
      finding(),
      { 'idempotency-key': `f1-${RUN}` },
    );
    expect(replay.json.finding.id).toBe(first.json.finding.id);
    const second = await deputyB.post<{ finding: { id: string } }>(
      `/activities/${id}/findings`,
      finding({ description: '同一棵古树，树冠枯枝' }),
    );
    const resident = await organiser.post<{ finding: { id: string } }>(
      `/activities/${id}/findings`,
      finding({
        category: 'OTHER',
        description: '公园厕所无人保洁',
        resident: { name: '王女士', contact: '13800000000', consentToContact: true },
      }),
    );
    expect(resident.status, resident.text).toBe(201);
    expect((await auditor.post(`/activities/${id}/findings`, finding())).status).toBe(403);
    const own = await deputyB.get<{ findings: unknown[] }>(`/activities/${id}/findings`);
    expect(own.json.findings).toHaveLength(1);
    const audited = await auditor.get(`/activities/${id}/findings`);
    expect(audited.text).not.toMatch(/王女士|13800000000/);

    // Attendance then findings close (organiser)
    await waitForPhase(organiser, id, 'ATTENDANCE');
    expect((await organiser.post(`/activities/${id}/attendance/close`)).status).toBeLessThan(300);
    await waitForPhase(organiser, id, 'FINDINGS');
    expect((await deputyA.post(`/activities/${id}/findings/close`)).status).toBe(403);
    expect((await organiser.post(`/activities/${id}/findings/close`)).status).toBe(200);
    await waitForPhase(organiser, id, 'REVIEW');
    expect(await statusOf(id)).toBe('IN_REVIEW');

    // Review: nothing emailed to departments before approval
    type Review = {
      findings: { id: string; referralId?: string; unrouted?: boolean }[];
      referrals: { id: string; departmentId: string; findingIds: string[] }[];
      approval: { ready: boolean; undecided: string[] };
    };
    const review = await organiser.get<Review>(`/activities/${id}/review`);
    expect(review.status).toBe(200);
    const trees = review.json.referrals.find((r) => r.departmentId === DEPARTMENT)!;
    expect(trees.findingIds.sort()).toEqual([first.json.finding.id, second.json.finding.id].sort());
    expect((await organiser.post(`/activities/${id}/review/approve`)).status).toBe(409);
    expect((await deputyA.post(`/activities/${id}/review/approve`)).status).toBe(403);

    const decided = await organiser.post<Review>(`/activities/${id}/review/decisions`, {
      decisions: [
        {
          findingId: second.json.finding.id,
          decision: 'MERGE',
          intoFindingId: first.json.finding.id,
          reason: '同一棵古树',
        },
        {
          findingId: resident.json.finding.id,
          decision: 'REFER',
          departmentId: DEPARTMENT,
          reason: '由园林部门一并处理',
        },
      ],
    });
    expect(decided.status, decided.text).toBe(200);
    const bad = await organiser.post(`/activities/${id}/review/decisions`, {
      decisions: [
        {
          findingId: first.json.finding.id,
          decision: 'MERGE',
          intoFindingId: second.json.finding.id,
          reason: 'x',
        },
      ],
    });
    expect(bad.status).toBe(422);

    await completeReview(organiser, id, COMMITTEE);
    await waitForStatus(organiser, id, 'COMPLETED');

    // Referral workflows started: name = referral id, input {referralId}
    const referralArn = stateMachineArn('ReferralWorkflow');
    for (const referral of decided.json.referrals) {
      const execution = await sfnClient().send(
        new DescribeExecutionCommand({ executionArn: executionArnOf(referralArn, referral.id) }),
      );
      expect(JSON.parse(execution.input ?? '{}')).toEqual({ referralId: referral.id });
    }
    const final = await organiser.get<Review & { activity: { status: string } }>(
      `/activities/${id}/review`,
    );
    // Dispatched, and by now possibly already emailed by the referral's own workflow (SENT).
    for (const referral of final.json.referrals as { status?: string; dispatchedAt?: string }[]) {
      expect(['DISPATCHED', 'SENT']).toContain(referral.status);
    }

    // The trail verifies and names each step
    const events = await verifiedTrail(id, [
      'FINDINGS_CLOSED',
      'FINDINGS_SEALED',
      'FINDINGS_TRIAGED',
      'REVIEW_DECISIONS_RECORDED',
      'REVIEW_APPROVED',
      'REFERRALS_DISPATCHED',
      'ACTIVITY_COMPLETED',
    ]);
    expect(JSON.stringify(events)).not.toMatch(/王女士|13800000000/);
    const completed = events.find((event) => event.action === 'ACTIVITY_COMPLETED')!;
    expect(completed.after).toMatchObject({
      report: { findings: { total: 3, merged: 1 }, referrals: { dispatched: 1 } },
    });
    expect((await organiser.post(`/activities/${id}/cancel`, { reason: '晚了' })).status).toBe(409);
  });

  it('cancels an activity: execution stopped, each invitee told once, then 409', async () => {
    const id = await schedule('WENCHONG');
    await waitForPhase(organiser, id, 'START');
    const since = Math.floor(Date.now() / 1000) - 1;
    const res = await organiser.post<{ notices: { sent: number; pending: number } }>(
      `/activities/${id}/cancel`,
      { reason: '台风预警，活动延期' },
    );
    expect(res.status, res.text).toBe(200);
    expect(res.json.notices).toMatchObject({ sent: 2, pending: 0 });
    expect(await statusOf(id)).toBe('CANCELLED');
    const execution = await sfnClient().send(
      new DescribeExecutionCommand({
        executionArn: executionArnOf(stateMachineArn('ActivityWorkflow'), id),
      }),
    );
    expect(execution.status).toBe('ABORTED');
    const notices = (await sentMail(since)).filter((mail) => mail.subject.includes('活动取消'));
    expect(notices).toHaveLength(2);
    expect((await organiser.post(`/activities/${id}/cancel`, { reason: '再次' })).status).toBe(409);
    expect((await deputyA.post(`/activities/${id}/cancel`, { reason: 'x' })).status).toBe(403);
  });
});
