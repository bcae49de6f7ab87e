// Chaos (local cloud of its own, real engines): concurrency at the API. 50 identical
// `POST /activities` racing on one Idempotency-Key; 500 check-ins by 250 deputies racing, every
// deputy twice. Figures are printed (docs/reliability.md, "Faults").
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { demoDeputies } from '../../infra/local/seed';
import { keys } from '../../functions/shared/data/keys';
import {
  activityBody,
  closeAttendance,
  openCheckIn,
  readActivity,
  waitForPhase,
} from '../integration/support/activity';
import { api } from '../integration/support/api';
import { sentMail } from '../integration/support/aws';
import {
  crowdedActivity,
  executionsOf,
  organiser,
  politely,
  queryItems,
  scanItems,
  tally,
  useChaosCloud,
} from './support';
import { percentile } from '../support/load';

useChaosCloud();

describe('50 concurrent identical POST /activities with one Idempotency-Key', () => {
  it('creates 1 activity, starts 1 execution, sends 1 invitation per deputy, answers no 5xx', async () => {
    const title = `幂等并发-${randomUUID().slice(0, 8)}`;
    const deputies = ['dep-0001', 'dep-0041', 'dep-0291'];
    const body = activityBody({ title, invitedDeputyIds: deputies });
    const headers = { 'idempotency-key': randomUUID() };

    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        // 409 = "still in progress": the client asks again, as the message tells it to.
        politely(() => organiser.post<{ activity: { id: string } }>('/activities', body, headers), {
          retryOn: [409, 429, 503],
        }),
      ),
    );
    const first = tally(results.map((r) => r.answers[0]!));
    const all = results.flatMap((r) => r.answers);
    const serverErrors = all.filter((s) => s >= 500).length;
    expect(serverErrors).toBe(0);
    expect(results.map((r) => r.final.status)).toEqual(Array(50).fill(201));
    const ids = new Set(results.map((r) => r.final.json.activity.id));
    expect(ids.size).toBe(1);
    const [id] = [...ids] as [string];

    await waitForPhase(organiser, id, 'START');
    const activities = await scanItems((i) => i.entity === 'ACTIVITY' && i.title === title);
    const executions = (await executionsOf('ActivityWorkflow')).filter((e) => e.name === id);
    const invitations = await queryItems(keys.invitationsOfActivity(id));
    const emails = new Set(deputies.map((d) => demoDeputies().find((x) => x.id === d)!.email));
    const mail = (await sentMail()).filter((m) => m.destination.to.some((to) => emails.has(to)));
    const perDeputy = tally(mail.flatMap((m) => m.destination.to));

    expect(activities).toHaveLength(1);
    expect(executions).toHaveLength(1);
    expect(invitations).toHaveLength(deputies.length);
    expect(Object.values(perDeputy)).toEqual(deputies.map(() => 1));
    console.log(
      `idempotency: 50 requests → first answers ${JSON.stringify(first)}, ` +
        `${all.length} answers in all (409 = in progress, asked again), ${serverErrors} 5xx; ` +
        `${results.filter((r) => r.final.status === 201).length}×201 with one activity id; ` +
        `${activities.length} activity, ${executions.length} execution, ` +
        `${invitations.length} invitations, ${mail.length} invitation emails ` +
        `(${Object.values(perDeputy).join('/')} per deputy)`,
    );
  });
});

describe('500 concurrent check-ins by 250 invited deputies, every one twice', () => {
  it('checks every deputy in exactly once, counts exact, no 5xx', async () => {
    const { id, tokens } = await crowdedActivity(`并发签到-${randomUUID().slice(0, 8)}`);
    await openCheckIn(organiser, id);
    const anonymous = api(null);
    const started = performance.now();
    const results = await Promise.all(
      [...tokens, ...tokens].map((token) =>
        politely(() =>
          anonymous.post(`/activities/${id}/check-ins`, undefined, {
            authorization: `Bearer ${token}`,
          }),
        ),
      ),
    );
    const wallMs = performance.now() - started;
    const answers = results.flatMap((r) => r.answers);
    const finals = tally(results.map((r) => r.final.status));
    const serverErrors = answers.filter((s) => s >= 500).length;
    const latencies = results.map((r) => r.ms);

    expect(serverErrors).toBe(0);
    expect(finals).toEqual({ 201: 250, 409: 250 });
    const invitations = await queryItems(keys.invitationsOfActivity(id));
    expect(invitations.filter((i) => i.checkedInAt)).toHaveLength(250);
    const records = await queryItems(keys.checkInAuditRecordsOfActivity(id));
    expect(records).toHaveLength(250);

    await closeAttendance(organiser, id);
    const attendance = (await readActivity(organiser, id)).attendance;
    expect(attendance?.attended).toBe(250);
    console.log(
      `check-ins: 500 requests by 250 deputies → final ${JSON.stringify(finals)}, ` +
        `${answers.filter((s) => s === 429).length}×429 (stage throttling 50/s, burst 100) asked again, ` +
        `${serverErrors} 5xx; checked in ${invitations.filter((i) => i.checkedInAt).length}/250, ` +
        `${records.length} check-in records, attended ${attendance?.attended}; ` +
        `per request (throttled retries included) p50 ${percentile(latencies, 50).toFixed(0)} ms, ` +
        `p99 ${percentile(latencies, 99).toFixed(0)} ms; all in ${(wallMs / 1000).toFixed(1)} s`,
    );
  });
});
