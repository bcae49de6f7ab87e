// Chaos (local cloud of its own, real engines): a Lambda step of the activity workflow throwing,
// through the local runtime's fault hook. A passing fault (TransientError) is retried by the
// definition's Retry until the cause is removed; a defect is caught into RecordFailure and the
// organiser sees FAILED. Figures printed (docs/reliability.md, "Faults").
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activityExecutionArn,
  describeExecution,
  eventually,
  executionHistory,
  scheduleActivity,
  sleep,
  waitForPhase,
  waitForStatus,
} from '../integration/support/activity';
import { api } from '../integration/support/api';
import { startChaosCloud, type ChaosCloud } from './support';

let chaos: ChaosCloud;
beforeAll(async () => {
  chaos = await startChaosCloud();
});
afterAll(async () => {
  await chaos?.stop();
});

const organiser = api('organiser');
const openCheckInFunction = () => {
  const id = Object.keys(chaos.cloud.endpoints.functions).find((f) =>
    f.startsWith('OpenCheckInFunction'),
  );
  if (!id) throw new Error('no OpenCheckInFunction in the template');
  return id;
};
const named = (name: string, message: string) => Object.assign(new Error(message), { name });

describe('a Lambda step throwing', () => {
  it('is retried while the fault is passing, and the activity goes on once it is removed', async () => {
    const id = await scheduleActivity(organiser, { title: `重试-${randomUUID().slice(0, 8)}` });
    await waitForPhase(organiser, id, 'START');
    let thrown = 0;
    chaos.cloud.runtime.injectFault(openCheckInFunction(), (event) =>
      (event as { activityId?: string }).activityId === id
        ? (thrown++, named('TransientError', 'injected: the store is busy'))
        : undefined,
    );
    const open = await organiser.post(`/activities/${id}/check-in/open`);
    expect(open.status, open.text).toBe(202);
    await eventually(
      async () => thrown,
      (n) => n >= 3,
      60_000,
    );
    chaos.cloud.runtime.injectFault(openCheckInFunction(), undefined);
    const activity = await waitForPhase(organiser, id, 'ATTENDANCE', 90_000);
    const history = await executionHistory(activityExecutionArn(id));
    const failed = history.filter((e) => e.type === 'LambdaFunctionFailed').length;
    expect(activity.status).toBe('CHECK_IN_OPEN');
    expect(failed).toBe(thrown);
    expect((await describeExecution(activityExecutionArn(id))).status).toBe('RUNNING');
    console.log(
      `lambda retry: OpenCheckIn threw TransientError ${thrown}× until the fault was removed → ` +
        `${failed} LambdaFunctionFailed retried by the definition's Retry (1 s, ×2, full jitter), ` +
        `then it ran; activity ${activity.status}, execution RUNNING`,
    );
  });

  it('is caught into RecordFailure: the organiser sees FAILED with the error', async () => {
    const id = await scheduleActivity(organiser, { title: `缺陷-${randomUUID().slice(0, 8)}` });
    await waitForPhase(organiser, id, 'START');
    let thrown = 0;
    chaos.cloud.runtime.injectFault(openCheckInFunction(), (event) =>
      (event as { activityId?: string }).activityId === id
        ? (thrown++, named('SimulatedDefect', 'injected: a bug in the step'))
        : undefined,
    );
    try {
      const open = await organiser.post(`/activities/${id}/check-in/open`);
      expect(open.status, open.text).toBe(202);
      await waitForStatus(organiser, id, 'FAILED', 30_000);
      await sleep(500);
    } finally {
      chaos.cloud.runtime.injectFault(openCheckInFunction(), undefined);
    }
    const res = await organiser.get<{
      activity: { status: string; failure?: { error: string; stage: string } };
      workflow?: { status?: string };
    }>(`/activities/${id}`);
    const execution = await eventually(
      () => describeExecution(activityExecutionArn(id)),
      (e) => e.status !== 'RUNNING',
      30_000,
    );
    const history = await executionHistory(activityExecutionArn(id));
    const entered = history
      .filter((e) => e.type?.endsWith('StateEntered'))
      .map((e) => e.stateEnteredEventDetails?.name);
    expect(res.json.activity.status).toBe('FAILED');
    expect(res.json.activity.failure?.error).toBe('SimulatedDefect');
    expect(thrown).toBe(1);
    expect(execution.status).toBe('FAILED');
    expect(entered.slice(-3)).toEqual(['OpenCheckIn', 'RecordFailure', 'ActivityFailed']);
    console.log(
      `lambda catch: OpenCheckIn threw SimulatedDefect ${thrown}× (not retried: not transient) → ` +
        `${entered.slice(-3).join(' → ')}; GET /activities/{id} (organiser) shows ` +
        `${res.json.activity.status} (${res.json.activity.failure?.stage}: ` +
        `${res.json.activity.failure?.error}), execution ${execution.status}`,
    );
  });
});
