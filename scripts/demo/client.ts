// Talking to a running local cloud through its public HTTP API only, as the demo's users would:
// tokens from the local issuer, JSON calls, polling until the workflow has moved on.
import { randomUUID } from 'node:crypto';
import type { LocalCloudEndpoints } from '../../infra/local/cloud';
import { requestToken } from '../../infra/local/token';
import { eventually, PollTimeout } from '../../test/support/poll';

export class DemoError extends Error {
  override name = 'DemoError';
}

/** What a replay needs: where the cloud answers, and where to say what it did. */
export interface DemoContext {
  endpoints: LocalCloudEndpoints;
  /** A numbered step of the replay. */
  step(text: string): void;
  /** A detail line under the last step. */
  detail(text: string): void;
}

export type DemoRole = 'organiser' | 'deputy' | 'auditor';

const notAnswering = (endpoints: LocalCloudEndpoints) =>
  new DemoError(
    `The local cloud does not answer at ${endpoints.api}: is npm start still running? (Start it again with npm start.)`,
  );

export const mint = (endpoints: LocalCloudEndpoints, role: DemoRole, sub?: string) =>
  requestToken(endpoints, { role, ...(sub ? { sub } : {}) });

export interface Caller {
  call<T>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<T>;
}

export function as(endpoints: LocalCloudEndpoints, token: string): Caller {
  const call = async <T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    attempt = 0,
  ): Promise<T> => {
    let res: Response;
    try {
      res = await fetch(`${endpoints.api}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      throw notAnswering(endpoints);
    }
    const text = await res.text();
    // 429 (the stage throttle: a burst of check-ins) and 503 + Retry-After (e.g. the activity
    // was busy) ask for a retry: back off with jitter, as any client of the API should.
    if ((res.status === 429 || res.status === 503) && attempt < 8) {
      const retryAfter = Number(res.headers.get('retry-after'));
      const backoff = Math.min(8_000, 250 * 2 ** attempt) * (0.5 + Math.random() / 2);
      const wait = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : backoff;
      await new Promise((resolve) => setTimeout(resolve, wait));
      return call<T>(method, path, body, headers, attempt + 1);
    }
    if (!res.ok) throw new DemoError(`${method} ${path} answered ${res.status}: ${text}`);
    return (text ? JSON.parse(text) : {}) as T;
  };
  return { call: (method, path, body, headers) => call(method, path, body, headers) };
}

/**
 * Waits until `probe` gives a value (the test kit's polling helper, the demo's own error). The
 * default wait is long because the demo replays many activities at once: on a loaded 2-core
 * machine a community visit's invitations took more than a minute (a CI run under load failed
 * at 60 s); a healthy local cloud answers within seconds, so the bound only decides when to give up.
 */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  ms = 180_000,
): Promise<T> {
  try {
    return (await eventually(probe, (value) => value !== undefined, {
      timeoutMs: ms,
      intervalMs: 200,
      what,
    })) as T;
  } catch (error) {
    if (error instanceof PollTimeout) throw new DemoError(`timed out waiting for ${what}`);
    throw error;
  }
}

/** A date `days` from today in China Standard Time (the API checks due dates in that zone). */
export const chinaDateIn = (days: number): string =>
  new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);

/** The instant of `hh:mm` China time on the China date `day` (`YYYY-MM-DD`). */
export const chinaTime = (day: string, hhmm: string): string =>
  new Date(`${day}T${hhmm}:00+08:00`).toISOString();

// --- what the API answers (the parts the demo reads) ---------------------------------------

export interface ActivityJson {
  activity: {
    id: string;
    status: string;
    phase: string;
    pendingTask?: { phase: string; deadline?: string };
    counts: { invited: number; emailsSent: number };
    attendance?: {
      invited: number;
      accepted: number;
      attended: number;
      madeUp: number;
      personTimesByLevel: Record<string, number>;
      personTimesTotal: number;
    };
  };
  workflow: { status: string; executionArn: string } | null;
}

export interface FindingJson {
  id: string;
  category: string;
  place: string;
  description: string;
  needsReferral: boolean;
  referralId?: string;
  unrouted?: boolean;
  raisedBy: { deputyId?: string; resident?: { name?: string } };
  decision?: { type: string };
}

export interface ReviewJson {
  findings: FindingJson[];
  referrals: {
    id: string;
    departmentId: string;
    findingIds: string[];
    status: string;
    committeeId?: string;
    dueDate?: string;
  }[];
  approval: { ready: boolean; undecided: string[] };
}

/** `SENT 11, ACKNOWLEDGED 1`: how many referrals stand at each status. */
export const referralStatusTally = (referrals: readonly { status: string }[]): string => {
  const counts = new Map<string, number>();
  for (const { status } of referrals) counts.set(status, (counts.get(status) ?? 0) + 1);
  return [...counts].map(([status, n]) => `${status} ${n}`).join(', ') || 'none';
};

/** Polls an activity until `done`, failing fast when its workflow failed. */
export const waitForActivity = (
  organiser: Caller,
  activityId: string,
  what: string,
  done: (view: ActivityJson) => boolean,
): Promise<ActivityJson> =>
  until(what, async () => {
    const view = await organiser.call<ActivityJson>('GET', `/activities/${activityId}`);
    if (view.activity.status === 'FAILED') {
      throw new DemoError(`the activity failed: ${JSON.stringify(view.activity)}`);
    }
    return done(view) ? view : undefined;
  });

/** The department triage proposed for each finding of a review (by the routing rules). */
export const proposedDepartments = (review: ReviewJson): Map<string, string> =>
  new Map(review.referrals.flatMap((r) => r.findingIds.map((id) => [id, r.departmentId] as const)));

/** The referrals the approval dispatched, at whatever status their own workflows reached. */
export const dispatchedReferrals = (review: ReviewJson): ReviewJson['referrals'] =>
  review.referrals.filter((r) => !['DRAFT', 'APPROVED'].includes(r.status));

/**
 * Schedules an activity (once: the request carries an idempotency key); returns what the API
 * answered, its id, a poller of that activity, and the organiser's steps that move its workflow
 * on, each waiting until the workflow awaits the next human step.
 */
export async function scheduleActivity(organiser: Caller, body: Record<string, unknown>) {
  const created = await organiser.call<ActivityJson>('POST', '/activities', body, {
    'idempotency-key': randomUUID(),
  });
  const activityId = created.activity.id;
  const waitFor = (what: string, done: (view: ActivityJson) => boolean) =>
    waitForActivity(organiser, activityId, what, done);
  const post = (action: string) => organiser.call('POST', `/activities/${activityId}/${action}`);
  const awaiting = (phase: string) => (view: ActivityJson) =>
    view.activity.pendingTask?.phase === phase;
  const review = () => organiser.call<ReviewJson>('GET', `/activities/${activityId}/review`);
  return {
    created,
    activityId,
    waitFor,
    /** The activity's review (主任会议): findings, referrals, approval. */
    review,
    invitationsSent: () => waitFor('the invitations', awaiting('START')),
    openCheckIn: async () => {
      await post('check-in/open');
      return waitFor('check-in to open', awaiting('ATTENDANCE'));
    },
    closeAttendance: async () => {
      await post('attendance/close');
      return waitFor('attendance to close', awaiting('FINDINGS'));
    },
    /** Closes findings and returns the review as triage left it. */
    closeFindings: async () => {
      await post('findings/close');
      await waitFor('triage', awaiting('REVIEW'));
      return review();
    },
    /** The chairmen's meeting's decisions on findings; returns the review after them. */
    decide: (decisions: unknown[]) =>
      organiser.call<ReviewJson>('POST', `/activities/${activityId}/review/decisions`, {
        decisions,
      }),
    /**
     * The chairmen's meeting puts each referral under a supervising committee with a due date,
     * as `supervisionOf` says; returns the review as the last of these answers gave it.
     */
    supervise: async (
      referrals: ReviewJson['referrals'],
      supervisionOf: (referral: ReviewJson['referrals'][number]) => {
        committee: string;
        days: number;
      },
    ): Promise<ReviewJson | undefined> => {
      let supervised: ReviewJson | undefined;
      for (const referral of referrals) {
        const { committee, days } = supervisionOf(referral);
        supervised = await organiser.call<ReviewJson>(
          'POST',
          `/activities/${activityId}/review/referrals/${referral.id}`,
          { committeeId: committee, dueDate: chinaDateIn(days) },
        );
      }
      return supervised;
    },
    /** Approves the review, then waits until the activity is COMPLETED and its workflow SUCCEEDED. */
    approveToCompletion: async (): Promise<{
      approvedReferrals: number;
      completed: ActivityJson;
    }> => {
      const { approvedReferrals } = await organiser.call<{ approvedReferrals: number }>(
        'POST',
        `/activities/${activityId}/review/approve`,
      );
      const completed = await waitFor(
        'completion',
        (v) => v.activity.status === 'COMPLETED' && v.workflow?.status === 'SUCCEEDED',
      );
      return { approvedReferrals, completed };
    },
  };
}
