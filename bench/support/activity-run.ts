// One activity through the HTTP API, as the cost and throughput benchmarks drive it: the
// deputies' answers, check-ins and findings, and the organiser's steps: schedule, open check-in, close attendance and findings, and the chairmen's
// meeting (committee and due date on each referral, approve) up to every referral SENT. Each
// answer goes to the benchmark's own `expect`, which counts it and decides what a wrong status
// means there (a failure to report, or an error that ends the run).
import { DEMO_COMMITTEE_IDS } from '../../infra/local/seed';
import { keys } from '../../functions/shared/data/keys';
import { activityBody, findingBody, inDays } from '../../test/support/bodies';
import { pool } from '../../test/support/load';
import {
  idempotencyKey,
  readItem,
  waitFor,
  waitForPhase,
  waitForStatus,
  type ApiClient,
  type ApiResult,
  type BenchCloud,
} from './metered-cloud';

export type Expect = (what: string, res: ApiResult, status: number) => unknown;

export interface ActivityDriver {
  bench: BenchCloud;
  organiser: ApiClient;
  expect: Expect;
  /** How long each wait for the workflow may take (the waits' own default when undefined). */
  waitMs?: number;
}

/** Schedules an activity in Wenchong inviting `invited` (once, by an idempotency key). */
export async function schedule(driver: ActivityDriver, title: string, invited: string[]) {
  const res = await driver.organiser.call<{ activity?: { id: string } }>(
    'POST',
    '/activities',
    activityBody({ title, invitedDeputyIds: invited }),
    idempotencyKey(),
  );
  driver.expect('schedule', res, 201);
  const id = res.json?.activity?.id;
  if (!id) throw new Error(`schedule: ${res.status} ${res.text}`);
  await waitForPhase(driver.bench, id, 'START', driver.waitMs);
  return id;
}

/** Opens check-in early and waits for the ATTENDANCE step. */
export async function openCheckIn(driver: ActivityDriver, id: string): Promise<void> {
  driver.expect(
    'open check-in',
    await driver.organiser.call('POST', `/activities/${id}/check-in/open`),
    202,
  );
  await waitForPhase(driver.bench, id, 'ATTENDANCE', driver.waitMs);
}

/** Closes attendance, then findings, and waits for the review after triage. */
export async function closeAttendanceAndFindings(
  driver: ActivityDriver,
  id: string,
): Promise<void> {
  const { organiser, bench } = driver;
  driver.expect(
    'close attendance',
    await organiser.call('POST', `/activities/${id}/attendance/close`),
    202,
  );
  await waitForPhase(bench, id, 'FINDINGS', driver.waitMs);
  driver.expect(
    'close findings',
    await organiser.call('POST', `/activities/${id}/findings/close`),
    200,
  );
  await waitForPhase(bench, id, 'REVIEW', driver.waitMs);
}

/**
 * The chairmen's meeting: committee and due date on every drafted referral, approve; then waits
 * until the activity is COMPLETED and each referral SENT. Returns the referrals' ids.
 */
export async function approveReview(driver: ActivityDriver, id: string): Promise<string[]> {
  const { organiser, bench } = driver;
  const review = await organiser.call<{ referrals?: { id: string }[] }>(
    'GET',
    `/activities/${id}/review`,
  );
  driver.expect('review', review, 200);
  const referrals = (review.json?.referrals ?? []).map((referral) => referral.id);
  for (const referral of referrals) {
    driver.expect(
      'referral committee and due date',
      await organiser.call('POST', `/activities/${id}/review/referrals/${referral}`, {
        committeeId: DEMO_COMMITTEE_IDS.urbanConstruction,
        dueDate: inDays(30),
      }),
      200,
    );
  }
  driver.expect('approve', await organiser.call('POST', `/activities/${id}/review/approve`), 200);
  await waitForStatus(bench, id, 'COMPLETED', driver.waitMs);
  for (const referral of referrals) {
    await waitFor(
      () => readItem(bench, keys.referral(referral)),
      (item) => item?.status === 'SENT',
      `referral ${referral} SENT`,
      driver.waitMs,
    );
  }
  return referrals;
}

export type DeputyStep = 'accept' | 'check in' | 'finding';

/** The deputies' part of an activity. */
export interface DeputiesPart {
  invited: string[];
  /** What each deputy records: the finding's fields apart from the defaults (findingBody). */
  findings: { by: string; fields: Record<string, unknown> }[];
  /** How many requests of a step are in flight at once. */
  inFlight: (step: DeputyStep) => number;
}

/**
 * One activity end to end: scheduled; every invited deputy accepts; check-in opened early; every
 * deputy checks in and the findings are recorded; attendance and findings closed; the review
 * approved; COMPLETED and each referral SENT. Returns its id and its referrals' ids.
 */
export async function driveActivity(
  driver: ActivityDriver,
  title: string,
  part: DeputiesPart,
): Promise<{ id: string; referrals: string[] }> {
  const { bench, expect } = driver;
  const as = (deputyId: string) => bench.client({ role: 'deputy', sub: deputyId });
  const each = <T>(step: DeputyStep, items: T[], send: (item: T) => Promise<ApiResult>) =>
    pool(
      part.inFlight(step),
      items.map(
        (item) => async () => expect(step, await send(item), step === 'accept' ? 200 : 201),
      ),
    );
  const id = await schedule(driver, title, part.invited);
  await each('accept', part.invited, (who) =>
    as(who).call('POST', `/activities/${id}/invitation/response`, { response: 'ACCEPTED' }),
  );
  await openCheckIn(driver, id);
  await each('check in', part.invited, (who) =>
    as(who).call('POST', `/activities/${id}/check-ins`),
  );
  await each('finding', part.findings, ({ by, fields }) =>
    as(by).call('POST', `/activities/${id}/findings`, findingBody(fields)),
  );
  await closeAttendanceAndFindings(driver, id);
  return { id, referrals: await approveReview(driver, id) };
}
