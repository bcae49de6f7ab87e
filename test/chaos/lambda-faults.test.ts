// Chaos (local cloud of its own, real engines): a Lambda step of the activity workflow throwing,
// through the local runtime's fault hook. A passing fault (TransientError) is retried by the
// definition's Retry until the cause is removed; a defect fails the execution at the step, the
// organiser sees FAILED (recorded from the execution's status event), and once the cause is
// removed POST /activities/{id}/redrive runs that step again. Figures printed
// (docs/reliability.md, "Faults").
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  activityExecutionArn,
  describeExecution,
  eventually,
  executionHistory,
  scheduleActivity,
  waitForPhase,
  waitForStatus,
} from '../integration/support/activity';
import { useChaosCloud, organiser } from './support';

const chaos = useChaosCloud();

const openCheckInFunction = () => {
  const id = Object.keys(chaos.cloud.endpoints.functions).find((f) =>
    f.startsWith('OpenCheckInFunction'),
  );
  if (!id) throw new Error('no OpenCheckInFunction in the template');
  return id;
};
const named = (name: string, message: string) => Object.assign(new Error(message), { name });

/**
 * An activity waiting on START whose OpenCheckIn step throws `error` for it until the fault is
 * removed; the organiser opens check-in (202). `thrown()` counts the throws so far.
 */
async function openCheckInThrowing(label: string, error: Error) {
  const id = await scheduleActivity(organiser, { title: `${label}-${randomUUID().slice(0, 8)}` });
  await waitForPhase(organiser, id, 'START');
  let count = 0;
  chaos.cloud.runtime.injectFault(openCheckInFunction(), (event) =>
    (event as { activityId?: string }).activityId === id ? (count++, error) : undefined,
  );
  const open = await organiser.post(`/activities/${id}/check-in/open`);
  expect(open.status, open.text).toBe(202);
  return { id, thrown: () => count };
}

describe('a Lambda step throwing', () => {
  it('is retried while the fault is passing, and the activity goes on once it is removed', async () => {
    const { id, thrown } = await openCheckInThrowing(
      '重试',
      named('TransientError', 'injected: the store is busy'),
    );
    await eventually(
      async () => thrown(),
      (n) => n >= 3,
      60_000,
    );
    chaos.cloud.runtime.injectFault(openCheckInFunction(), undefined);
    const activity = await waitForPhase(organiser, id, 'ATTENDANCE', 90_000);
    const history = await executionHistory(activityExecutionArn(id));
    const failed = history.filter((e) => e.type === 'LambdaFunctionFailed').length;
    expect(activity.status).toBe('CHECK_IN_OPEN');
    expect(failed).toBe(thrown());
    expect((await describeExecution(activityExecutionArn(id))).status).toBe('RUNNING');
    console.log(
      `lambda retry: OpenCheckIn threw TransientError ${thrown()}× until the fault was removed → ` +
        `${failed} LambdaFunctionFailed retried by the definition's Retry (1 s, ×2, full jitter), ` +
        `then it ran; activity ${activity.status}, execution RUNNING`,
    );
  });

  it('fails the execution at the step; the organiser sees FAILED, then a redrive completes it', async () => {
    const { id, thrown } = await openCheckInThrowing(
      '缺陷',
      named('SimulatedDefect', 'injected: a bug in the step'),
    );
    // Recorded from the execution's FAILED event (the rule's target), not by the workflow.
    await waitForStatus(organiser, id, 'FAILED', 30_000);
    const failed = await organiser.get<{
      activity: { status: string; failure?: { error: string; stage: string } };
    }>(`/activities/${id}`);
    const execution = await describeExecution(activityExecutionArn(id));
    const failedAt = (await executionHistory(activityExecutionArn(id)))
      .filter((e) => e.type?.endsWith('StateEntered'))
      .map((e) => e.stateEnteredEventDetails?.name)
      .at(-1);
    expect(failed.json.activity.status).toBe('FAILED');
    expect(failed.json.activity.failure?.error).toBe('SimulatedDefect');
    expect(thrown()).toBe(1);
    expect(execution.status).toBe('FAILED');
    expect(failedAt).toBe('OpenCheckIn');

    // Not before the cause is removed: the redrive would only fail again.
    chaos.cloud.runtime.injectFault(openCheckInFunction(), undefined);
    const redrive = await organiser.post(`/activities/${id}/redrive`, {
      reason: 'the defect in OpenCheckIn is fixed',
    });
    expect(redrive.status, redrive.text).toBe(202);
    expect(redrive.json).toMatchObject({
      status: 'INVITATIONS_SENT',
      redriveCount: 1,
      redrivenNow: true,
    });
    const again = await organiser.post(`/activities/${id}/redrive`, { reason: 'twice' });
    expect(again.status, again.text).toBe(202);
    expect(again.json).toMatchObject({ redrivenNow: false });
    const activity = await waitForPhase(organiser, id, 'ATTENDANCE', 60_000);
    const after = await describeExecution(activityExecutionArn(id));
    const history = await executionHistory(activityExecutionArn(id));
    const openCheckIns = history.filter(
      (e) => e.type === 'TaskStateEntered' && e.stateEnteredEventDetails?.name === 'OpenCheckIn',
    ).length;
    const sendInvitations = history.filter(
      (e) =>
        e.type === 'TaskStateEntered' && e.stateEnteredEventDetails?.name === 'SendInvitations',
    ).length;
    expect(activity.status).toBe('CHECK_IN_OPEN');
    expect(after).toMatchObject({ status: 'RUNNING', redriveCount: 1 });
    expect(openCheckIns).toBe(2);
    expect(sendInvitations).toBe(1);
    console.log(
      `lambda defect and redrive: OpenCheckIn threw SimulatedDefect ${thrown()}× (not retried: ` +
        `not transient) → execution FAILED at ${failedAt}; GET /activities/{id} showed ` +
        `${failed.json.activity.status} (${failed.json.activity.failure?.stage}: ` +
        `${failed.json.activity.failure?.error}); fault removed, POST …/redrive → 202, the ` +
        `execution ran OpenCheckIn again (entered ${openCheckIns}×, SendInvitations ` +
        `${sendInvitations}×) → activity ${activity.status}, execution ${after.status}, ` +
        `redriveCount ${after.redriveCount}`,
    );
  });
});
