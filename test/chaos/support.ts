// The chaos suites' own local cloud: each file starts one (they kill and restart engines, so they
// cannot share the integration run's cloud), with fault proxies in front of DynamoDB Local and
// local SES for the functions, while the tests read the engines directly.
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { demoDepartments, demoDeputies, demoSeedItems } from '../../infra/local/seed';
import { keys } from '../../functions/shared/data/keys';
import { startLocalCloud, type LocalCloud, type LocalCloudPorts } from '../../infra/local/cloud';
import { localCode } from '../../infra/local/code';
import {
  startDynamoDbFaultProxy,
  startSesFaultProxy,
  type DynamoDbFaults,
  type FaultProxy,
  type SesFaults,
} from '../../infra/local/faults';
import { reservePort } from '../../infra/local/ports';
import { afterAll, beforeAll, expect } from 'vitest';
import { api, type ApiClient, type ApiResponse } from '../integration/support/api';
import { eventually, sleep } from '../support/poll';
import { useLocalCloud } from '../integration/support/cloud';
import {
  closeAttendance,
  closeFindings,
  executionHistory,
  inDays,
  openCheckIn,
  rawItem,
  recordFinding,
  scheduleActivity,
  waitForPhase,
} from '../integration/support/activity';
import { sentMail } from '../integration/support/aws';
import { mintToken } from '../integration/support/token';

export interface ChaosCloud {
  cloud: LocalCloud;
  /** In front of DynamoDB Local for every function. */
  dynamodbFaults: FaultProxy<DynamoDbFaults>;
  /** In front of local SES for every function. */
  sesFaults: FaultProxy<SesFaults>;
  /** Stops the cloud and starts it again on the same ports and data (needs `persistent`). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts a cloud for one test file. `persistent`: data under a fresh folder in .local/chaos
 * (DynamoDB Local on disk, executions persisted), so engines can be killed and restarted.
 */
export async function startChaosCloud(options: { persistent?: boolean } = {}): Promise<ChaosCloud> {
  const host = '127.0.0.1';
  // Reserved, not just picked: the cloud releases each just before its engine binds it, so no
  // outgoing connection takes one meanwhile. A restart finds them released and binds them again.
  const ports = {
    api: await reservePort(host),
    dynamodb: await reservePort(host),
    ses: await reservePort(host),
    stepfunctions: await reservePort(host),
    secretsmanager: await reservePort(host),
    kms: await reservePort(host),
    s3: await reservePort(host),
  } satisfies Required<LocalCloudPorts>;
  const dynamodbFaults = await startDynamoDbFaultProxy({
    target: `http://${host}:${ports.dynamodb.port}`,
  });
  const sesFaults = await startSesFaultProxy({ target: `http://${host}:${ports.ses.port}` });
  const dataDir = options.persistent ? resolve('.local', 'chaos', randomUUID()) : undefined;

  const start = async (attempt = 1): Promise<LocalCloud> => {
    let cloud: LocalCloud;
    try {
      cloud = await startCloud();
    } catch (error) {
      // On a loaded machine DynamoDB Local's JVM can miss its 30 s to answer: try again.
      if ((error as Error).name !== 'DynamoDbLocalStartError' || attempt >= 3) throw error;
      return start(attempt + 1);
    }
    await cloud.seedIfEmpty(demoSeedItems());
    useLocalCloud(cloud.endpoints);
    return cloud;
  };

  const startCloud = (): Promise<LocalCloud> =>
    startLocalCloud({
      ...(dataDir ? { dataDir } : { inMemory: true }),
      ports,
      quiet: true,
      allowTokenMinting: true,
      code: localCode(),
      // The functions (and the workflows' SDK integrations) reach the engines through the proxies.
      functionEnv: {
        AWS_ENDPOINT_URL_DYNAMODB: dynamodbFaults.url,
        AWS_ENDPOINT_URL_SES: sesFaults.url,
        AWS_ENDPOINT_URL_SESV2: sesFaults.url,
      },
    });

  const chaos: ChaosCloud = {
    cloud: await start(),
    dynamodbFaults,
    sesFaults,
    restart: async () => {
      if (!dataDir) throw new Error('restart needs a persistent chaos cloud');
      await chaos.cloud.stop();
      chaos.cloud = await start();
    },
    stop: async () => {
      useLocalCloud(undefined);
      await chaos.cloud.stop();
      await dynamodbFaults.stop();
      await sesFaults.stop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return chaos;
}

/**
 * Every chaos file's opening: its own cloud, started before its tests and stopped after them.
 * The returned object stands for the cloud started (read it inside tests and hooks).
 */
export function useChaosCloud(options: { persistent?: boolean } = {}): ChaosCloud {
  let chaos: ChaosCloud | undefined;
  beforeAll(async () => {
    chaos = await startChaosCloud(options);
  });
  afterAll(async () => {
    await chaos?.stop();
  });
  const started = (): ChaosCloud => {
    if (!chaos) throw new Error('the chaos cloud is not started: read it inside a test or hook');
    return chaos;
  };
  return {
    get cloud() {
      return started().cloud;
    },
    get dynamodbFaults() {
      return started().dynamodbFaults;
    },
    get sesFaults() {
      return started().sesFaults;
    },
    restart: () => started().restart(),
    stop: () => started().stop(),
  };
}

/** The organiser every chaos file drives the API as, and the deputy who raises findings. */
export const organiser = api('organiser');
export const raiser = api({ role: 'deputy', sub: 'dep-0001' });

/** The departments the referral chaos files refer findings to, one referral each. */
export const REFERRAL_DEPARTMENTS = [
  'dept-water',
  'dept-education',
  'dept-forestry',
  'dept-planning',
  'dept-transport',
  'dept-health',
];

// ---- clients that behave like real ones ---------------------------------------------------------

/**
 * Sends a request as a well-behaved client does: throttled (429) or told to come back (503),
 * it waits (exponential backoff with full jitter) and sends it again, at most `attempts` times.
 * Every answer is kept, so the figures count what the server said, not only the last word.
 */
export async function politely<T>(
  send: () => Promise<ApiResponse<T>>,
  options: { attempts?: number; retryOn?: number[]; baseMs?: number; maxMs?: number } = {},
): Promise<{ final: ApiResponse<T>; answers: number[]; ms: number }> {
  const retryOn = options.retryOn ?? [429, 503];
  const answers: number[] = [];
  const started = performance.now();
  for (let attempt = 0; ; attempt++) {
    const res = await send();
    answers.push(res.status);
    if (!retryOn.includes(res.status) || attempt + 1 >= (options.attempts ?? 30)) {
      return { final: res, answers, ms: performance.now() - started };
    }
    const ceiling = Math.min(options.maxMs ?? 2_000, (options.baseMs ?? 100) * 2 ** attempt);
    await sleep(Math.random() * ceiling);
  }
}

/** Tally of numbers or strings: `{201: 3, 409: 1}`. */
export function tally(values: (number | string)[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

// ---- reading the engines directly: the integration kit's readers, on this file's cloud ----------

export { executionsOf, queryItems, scanItems } from '../integration/support/aws';

export type { ApiClient };

// ---- an activity up to its referrals ------------------------------------------------------------

/** Categories the demo routing rules send to distinct departments (seed.ts). */
export const CATEGORIES_BY_DEPARTMENT: Record<string, string> = {
  'dept-water': 'DRAINAGE',
  'dept-education': 'EDUCATION',
  'dept-forestry': 'ANCIENT_TREES',
  'dept-human-resources': 'LABOUR_DISPUTE',
  'dept-planning': 'LAND_PLANNING',
  'dept-transport': 'TRANSPORT',
  'dept-health': 'HEALTH',
  'dept-civil-affairs': 'ELDERLY_CARE',
};

/**
 * Drives an activity to its review, with one finding per department (so one referral each), and
 * sets committee and due date on every referral; approving it (which dispatches) is the caller's
 * (`approveReview`). The organiser and the raiser are the chaos files' own.
 */
export async function activityInReview(
  departments: string[] = REFERRAL_DEPARTMENTS,
): Promise<{ activityId: string; referralIds: string[] }> {
  const activityId = await scheduleActivity(organiser, { invitedDeputyIds: ['dep-0001'] });
  await openCheckIn(organiser, activityId);
  await closeAttendance(organiser, activityId);
  for (const dept of departments) {
    await recordFinding(raiser, activityId, { category: CATEGORIES_BY_DEPARTMENT[dept] });
  }
  await closeFindings(organiser, activityId);
  const review = await organiser.get<{ referrals: { id: string; departmentId: string }[] }>(
    `/activities/${activityId}/review`,
  );
  if (review.status !== 200) throw new Error(`review: ${review.status} ${review.text}`);
  for (const referral of review.json.referrals) {
    const res = await organiser.post(`/activities/${activityId}/review/referrals/${referral.id}`, {
      committeeId: 'cmte-urban-construction',
      dueDate: inDays(30),
    });
    if (res.status !== 200) throw new Error(`referral ${referral.id}: ${res.status} ${res.text}`);
  }
  const byDept = new Set(review.json.referrals.map((r) => r.departmentId));
  if (departments.some((d) => !byDept.has(d))) {
    throw new Error(`review has referrals for ${[...byDept].join(', ')}`);
  }
  return { activityId, referralIds: review.json.referrals.map((r) => r.id) };
}

/** The organiser approves the review, which dispatches its referrals (asserts 200). */
export async function approveReview(activityId: string): Promise<void> {
  const approved = await organiser.post(`/activities/${activityId}/review/approve`);
  expect(approved.status, approved.text).toBe(200);
}

/** Waits until every referral is SENT (or fails after `timeoutMs`); returns their statuses. */
export async function referralsSent(referralIds: string[], timeoutMs = 120_000) {
  return eventually(
    () => Promise.all(referralIds.map(async (id) => (await rawItem(keys.referral(id)))?.status)),
    (all) => all.every((status) => status === 'SENT'),
    { timeoutMs, intervalMs: 500, what: 'every referral SENT' },
  );
}

/**
 * An activity inviting the first 250 demo deputies, waiting on its START step, and each
 * deputy's token, minted first so that a race is between the requests, not the token minting.
 */
export async function crowdedActivity(
  title: string,
): Promise<{ id: string; deputies: string[]; tokens: string[] }> {
  const deputies = demoDeputies()
    .slice(0, 250)
    .map((d) => d.id);
  const id = await scheduleActivity(organiser, { title, invitedDeputyIds: deputies });
  await waitForPhase(organiser, id, 'START', 120_000);
  const tokens = await Promise.all(deputies.map((sub) => mintToken({ role: 'deputy', sub })));
  return { id, deputies, tokens };
}

export interface ReferralMailFigures {
  /** Referral emails in local SES, by department mailbox. */
  perDepartment: Record<string, number>;
  /** Referrals whose status says sent (SENT or later). */
  sent: number;
  /** Referrals marked sent whose email claim holds no SES message id. */
  sentWithoutMessageId: number;
}

/** What was sent for these referrals, read from the table and local SES. */
export async function referralMail(
  referralIds: string[],
  departments: string[],
): Promise<ReferralMailFigures> {
  const departmentMail = (id: string) => demoDepartments().find((d) => d.id === id)!.emails[0]!;
  const mail = await sentMail();
  const perDepartment: Record<string, number> = {};
  for (const dept of departments) {
    const address = departmentMail(dept);
    perDepartment[dept] = mail.filter(
      (m) => m.destination.to.includes(address) && m.subject.includes('代表意见建议转办'),
    ).length;
  }
  let sent = 0;
  let sentWithoutMessageId = 0;
  for (const id of referralIds) {
    const referral = await rawItem(keys.referral(id));
    if (!referral || referral.status === 'DISPATCHED' || referral.status === 'APPROVED') continue;
    sent++;
    const claim = await rawItem(
      keys.emailClaim(`REFERRAL#${id}#ROUND#1#DEPARTMENT#${String(referral.departmentId)}`),
    );
    if (!claim?.messageId) sentWithoutMessageId++;
  }
  return { perDepartment, sent, sentWithoutMessageId };
}

/** Lambda task failures (each one retried or caught) in the histories of these executions. */
export async function taskFailures(executionArns: string[]): Promise<number> {
  let failures = 0;
  for (const arn of executionArns) {
    failures += (await executionHistory(arn)).filter(
      (e) => e.type === 'LambdaFunctionFailed' || e.type === 'TaskFailed',
    ).length;
  }
  return failures;
}
