// Chaos (local cloud of its own, on disk, real engines): the whole local cloud stopped and
// started again on the same ports and data while one activity waits on a task token and another
// on a timer. Figures printed (docs/reliability.md, "Faults").
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  activityExecutionArn,
  closeAttendance,
  closeFindings,
  inSeconds,
  scheduleActivity,
  waitForExecutionEnd,
  waitForPhase,
  waitForStatus,
} from '../integration/support/activity';
import { approveReview, organiser, useChaosCloud } from './support';

const chaos = useChaosCloud({ persistent: true });

describe('the local cloud restarted while executions wait on task tokens and timers', () => {
  it('resumes both and drives them to COMPLETED', async () => {
    // Waits on its START token (an hour away): ended by the organiser after the restart.
    const onToken = await scheduleActivity(organiser, {
      title: `令牌-${randomUUID().slice(0, 8)}`,
    });
    // Waits on its START timer: the deadline passes while the cloud is down or just after.
    const timerSeconds = 30;
    const onTimer = await scheduleActivity(organiser, {
      title: `定时-${randomUUID().slice(0, 8)}`,
      startsAt: inSeconds(timerSeconds),
      endsAt: inSeconds(3600),
    });
    await waitForPhase(organiser, onToken, 'START');
    await waitForPhase(organiser, onTimer, 'START');

    const started = performance.now();
    await chaos.restart();
    const restartMs = performance.now() - started;

    const open = await organiser.post(`/activities/${onToken}/check-in/open`);
    expect(open.status, open.text).toBe(202);
    await waitForPhase(organiser, onToken, 'ATTENDANCE');
    // The timer fires after the restart: OpenCheckIn runs by itself.
    await waitForPhase(organiser, onTimer, 'ATTENDANCE', (timerSeconds + 60) * 1000);
    for (const id of [onToken, onTimer]) {
      await closeAttendance(organiser, id);
      await closeFindings(organiser, id);
      await approveReview(id);
      await waitForStatus(organiser, id, 'COMPLETED');
    }
    const executions = await Promise.all(
      [onToken, onTimer].map((id) => waitForExecutionEnd(activityExecutionArn(id))),
    );
    expect(executions.map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    console.log(
      `cloud restart: stopped and started again in ${(restartMs / 1000).toFixed(1)} s with one ` +
        `activity on its START token and one on a ${timerSeconds} s START timer → the token ` +
        `answered after the restart, the timer fired after it; both COMPLETED, executions ` +
        `${executions.map((e) => e.status).join('/')}`,
    );
  });
});
