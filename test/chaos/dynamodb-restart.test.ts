// Chaos (local cloud of its own, on disk, real engines): DynamoDB Local killed (SIGKILL) while
// an approved review dispatches its referrals, and started again on its port and data. Figures
// printed (docs/reliability.md, "Faults").
import { describe, expect, it } from 'vitest';
import { executionArnOf } from '../../functions/activities/view';
import { keys } from '../../functions/shared/data/keys';
import {
  activityExecutionArn,
  eventually,
  rawItem,
  sleep,
  waitForStatus,
} from '../integration/support/activity';
import { stateMachineArn } from '../integration/support/cloud';
import {
  activityInReview,
  approveReview,
  executionsOf,
  organiser,
  REFERRAL_DEPARTMENTS,
  referralMail,
  tally,
  taskFailures,
  useChaosCloud,
} from './support';

const chaos = useChaosCloud({ persistent: true });

describe('DynamoDB Local killed during referral dispatch, then restarted', () => {
  it('retries as the definition says, a redrive completes what failed: 0 lost or duplicated', async () => {
    const { activityId, referralIds } = await activityInReview();
    await approveReview(activityId);
    // Dispatch is under way (the approval ended the review's task): kill the table mid-step.
    await sleep(150);
    const killedAt = performance.now();
    await chaos.cloud.dynamodb.kill();
    await sleep(3_000);
    await chaos.cloud.dynamodb.start();
    const downMs = performance.now() - killedAt;

    // Sent, or failed for good after the definition's retries (recorded on the referral from
    // the execution's FAILED event): either ends the first half.
    const settled = await eventually(
      () => Promise.all(referralIds.map((id) => rawItem(keys.referral(id)))),
      (all) => all.every((r) => r?.status === 'SENT' || r?.failure !== undefined),
      300_000,
      500,
    );
    const failedFirst = referralIds.filter((_, i) => settled[i]?.failure !== undefined);
    for (const failed of settled.filter((r) => r?.failure)) {
      console.log(`dynamodb kill: referral failure recorded: ${JSON.stringify(failed?.failure)}`);
    }
    // The table is back: a redrive runs each failed step again (the organiser's action).
    for (const id of failedFirst) {
      const redriven = await organiser.post(`/referrals/${id}/redrive`, {
        reason: 'DynamoDB is back',
      });
      expect(redriven.status, redriven.text).toBe(200);
    }
    const items = await eventually(
      () => Promise.all(referralIds.map((id) => rawItem(keys.referral(id)))),
      (all) => all.every((r) => r?.status === 'SENT' && r.failure === undefined),
      120_000,
      500,
    );
    const statuses = items.map((r) => String(r?.status));
    let activity = await waitForStatus(organiser, activityId, ['COMPLETED', 'FAILED'], 300_000);
    const activityRedriven = activity.status === 'FAILED';
    if (activityRedriven) {
      const redriven = await organiser.post(`/activities/${activityId}/redrive`, {
        reason: 'DynamoDB is back',
      });
      expect(redriven.status, redriven.text).toBe(202);
      activity = await waitForStatus(organiser, activityId, 'COMPLETED', 120_000);
    }
    const machine = stateMachineArn('ReferralWorkflow');
    const executions = await executionsOf('ReferralWorkflow');
    const figures = await referralMail(referralIds, REFERRAL_DEPARTMENTS);
    const activityFailures = await taskFailures([activityExecutionArn(activityId)]);
    const referralFailures = await taskFailures(
      referralIds.map((id) => executionArnOf(machine, id)),
    );

    console.log(
      `dynamodb kill: DynamoDB Local SIGKILLed 150 ms after approval, back after ` +
        `${(downMs / 1000).toFixed(1)} s (same port, same data) → ${activityFailures} failed ` +
        `attempts in the activity workflow and ${referralFailures} in the referral workflows, all ` +
        `retried; ${failedFirst.length} referrals and ${activityRedriven ? 1 : 0} activity ` +
        `failed after their retries and were redriven; activity ${activity.status}; ` +
        `referrals ${JSON.stringify(tally(statuses))}, ${executions.length} referral executions for ` +
        `${referralIds.length} referrals, ${figures.sent} SENT, emails per department ` +
        `${Object.values(figures.perDepartment).join('/')}, ${figures.sentWithoutMessageId} ` +
        `marked sent without a message id`,
    );
    expect(statuses).toEqual(referralIds.map(() => 'SENT'));
    expect(activity.status).toBe('COMPLETED');
    expect(executions.map((e) => e.name).sort()).toEqual([...referralIds].sort());
    expect(executions.every((e) => e.status === 'RUNNING')).toBe(true);
    expect(figures.perDepartment).toEqual(
      Object.fromEntries(REFERRAL_DEPARTMENTS.map((d) => [d, 1])),
    );
    expect(figures.sentWithoutMessageId).toBe(0);
  });
});
