// Chaos (local cloud of its own, real engines): local SES unreachable, then throttling the
// sends, while an approved review dispatches its referrals; then SES answering with an
// error code nobody documented (issue 12 item 5: such an answer once stopped a referral as
// "rejected"). Figures printed (docs/reliability.md, "Faults").
import { describe, expect, it } from 'vitest';
import { executionArnOf } from '../../functions/activities/view';
import { rawItem, sleep, waitForStatus } from '../integration/support/activity';
import { stateMachineArn } from '../integration/support/cloud';
import { keys } from '../../functions/shared/data/keys';
import { eventually } from '../support/poll';
import {
  activityInReview,
  approveReview,
  organiser,
  REFERRAL_DEPARTMENTS,
  referralMail,
  referralsSent,
  taskFailures,
  useChaosCloud,
} from './support';

const chaos = useChaosCloud();

const injectedSends = () => chaos.sesFaults.stats.injected.SendEmail ?? 0;

/**
 * Waits until SES has answered at least one more send with the injected fault. A fixed sleep
 * here once let every retry of the workflow (full jitter, up to 8 s apart by then) fall after
 * the window, so no send met the fault the test is about.
 */
const untilAFaultIsInjected = async (before: number) =>
  eventually(
    async () => injectedSends(),
    (n) => n > before,
    {
      timeoutMs: 90_000,
      what: 'a send answered with the injected fault',
    },
  );

describe('SES down, then throttling the sends (all until one is throttled, then half), during referral dispatch', () => {
  it('sends every referral email exactly once in the end; none marked sent without a message id', async () => {
    const { activityId, referralIds } = await activityInReview();

    await chaos.sesFaults.configure({ down: true });
    await approveReview(activityId);
    await sleep(4_000);
    await chaos.sesFaults.configure({ throttleRate: 1 });
    await untilAFaultIsInjected(0);
    await chaos.sesFaults.configure({ throttleRate: 0.5 });
    await sleep(6_000);
    await chaos.sesFaults.configure({});

    const statuses = await referralsSent(referralIds);
    await waitForStatus(organiser, activityId, 'COMPLETED', 60_000);
    const figures = await referralMail(referralIds, REFERRAL_DEPARTMENTS);
    const machine = stateMachineArn('ReferralWorkflow');
    const failures = await taskFailures(referralIds.map((id) => executionArnOf(machine, id)));
    const { injected, forwarded } = chaos.sesFaults.stats;

    expect(statuses).toEqual(referralIds.map(() => 'SENT'));
    expect(figures.perDepartment).toEqual(
      Object.fromEntries(REFERRAL_DEPARTMENTS.map((d) => [d, 1])),
    );
    expect(figures.sentWithoutMessageId).toBe(0);
    expect(injected.SendEmail ?? 0).toBeGreaterThan(0);
    console.log(
      `ses: ${referralIds.length} referrals dispatched with SES down 4 s, then Throttling on ` +
        `${injected.SendEmail ?? 0} of ${(injected.SendEmail ?? 0) + (forwarded.SendEmail ?? 0)} ` +
        `sends (every send until one was throttled, then half for 6 s) → ${failures} SendReferralEmail attempts failed and were retried by the ` +
        `workflow; ${figures.sent}/${referralIds.length} SENT, emails per department ` +
        `${Object.values(figures.perDepartment).join('/')}, ` +
        `${figures.sentWithoutMessageId} marked sent without a message id`,
    );
  });
});

describe('SES answering with an error code it does not document, during referral dispatch', () => {
  it('retries it with backoff: every referral email sent exactly once, none stopped as rejected', async () => {
    const before = (await referralMail([], REFERRAL_DEPARTMENTS)).perDepartment;
    const { activityId, referralIds } = await activityInReview();
    const injectedBefore = injectedSends();

    // `<Code>Error</Code>`: the SDK names the error "Error", as in the attack's
    // "SES rejected the email (Error)".
    await chaos.sesFaults.configure({ throttleRate: 1, errorCode: 'Error' });
    await approveReview(activityId);
    await untilAFaultIsInjected(injectedBefore);
    await sleep(3_000);
    await chaos.sesFaults.configure({ throttleRate: 0.5, errorCode: 'Error' });
    await sleep(3_000);
    await chaos.sesFaults.configure({});

    const statuses = await referralsSent(referralIds);
    const after = (await referralMail(referralIds, REFERRAL_DEPARTMENTS)).perDepartment;
    const injected = injectedSends() - injectedBefore;

    expect(statuses).toEqual(referralIds.map(() => 'SENT'));
    expect(REFERRAL_DEPARTMENTS.map((d) => (after[d] ?? 0) - (before[d] ?? 0))).toEqual(
      REFERRAL_DEPARTMENTS.map(() => 1),
    );
    expect(injected).toBeGreaterThan(0);
    for (const id of referralIds) {
      expect((await rawItem(keys.referral(id)))?.failure, id).toBeUndefined();
    }
    console.log(
      `ses: ${referralIds.length} referrals dispatched while SES answered an undocumented code ` +
        `("Error") to every send until one was answered so and 3 s more, then to half for 3 s → ${injected} answers injected, ` +
        `all retried; ${statuses.length}/${referralIds.length} SENT, one email per department`,
    );
  });
});
