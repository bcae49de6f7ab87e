import type { ReferralItem } from '../findings/model.js';
import type { PendingTask } from '../shared/data/items.js';

/**
 * Statuses of a referral from dispatch on (docs/referral-workflow.md): `DISPATCHED` → `SENT` →
 * (`ACKNOWLEDGED`) → (`OVERDUE`) → `REPLIED` → `CLOSED`; `RETURNED` → (re-routed) `SENT`;
 * `REOPENED` → `SENT`; `CLOSED_BY_COMMITTEE`.
 */
export const REFERRAL_WORKFLOW_STATUSES = [
  'DISPATCHED',
  'SENT',
  'ACKNOWLEDGED',
  'OVERDUE',
  'RETURNED',
  'REPLIED',
  'REOPENED',
  'CLOSED',
  'CLOSED_BY_COMMITTEE',
] as const;
export type ReferralWorkflowStatus = (typeof REFERRAL_WORKFLOW_STATUSES)[number];

/** Statuses in which the department holds the referral of the current round. */
export const WITH_DEPARTMENT: readonly string[] = ['SENT', 'ACKNOWLEDGED', 'OVERDUE'];
export const CLOSED_STATUSES: readonly string[] = ['CLOSED', 'CLOSED_BY_COMMITTEE'];

/** Human steps of the referral workflow (`pendingTask.phase`). */
export const REFERRAL_PHASES = ['DEPARTMENT', 'REROUTE', 'RATING'] as const;
export type ReferralPhase = (typeof REFERRAL_PHASES)[number];

/** How the human steps end (`SendTaskSuccess` output `{outcome}`). */
export const DEPARTMENT_OUTCOMES = ['REPLIED', 'RETURNED', 'CLOSED_BY_COMMITTEE'] as const;
export const RATINGS = ['SATISFIED', 'BASICALLY_SATISFIED', 'NOT_SATISFIED'] as const;
export type Rating = (typeof RATINGS)[number];

export interface SentEmailRecord {
  round: number;
  departmentId: string;
  messageId: string;
  at: string;
}

export interface ReminderRecord {
  round: number;
  /** The due instant the reminder was for (an extension gets its own reminders). */
  due: string;
  offsetSeconds: number;
  messageId: string;
  at: string;
}

export interface FeedbackRecord {
  round: number;
  /** Opaque raiser references (`D.<deputyId>`, `R.<findingId>`): who may rate this round. */
  raiserRefs: string[];
  emailed: number;
  at: string;
  ratingDeadline: string;
  /**
   * The rating links emailed to deputies (`D.<deputyId>` → link id and expiry; the token is
   * recomputed, never stored), so the deputy's own page can show the same rating link.
   */
  deputyRateLinks?: Record<string, { linkId: string; expiresAt: number }>;
}

/**
 * The referral item as the referral workflow reads and writes it: the issue-3 item plus the
 * fields of its own life. Fields written by the department page and the organiser API
 * (`reply`, `routing`, `acknowledgedAt`, `committeeClosure` …) are read leniently.
 */
export interface ReferralRecord extends Omit<ReferralItem, 'status'> {
  status: ReferralWorkflowStatus | ReferralItem['status'];
  /** Routing / reopen count; 1 for the first department (absent until the first email). */
  round?: number;
  /** A full timestamp of the deadline; wins over `dueDate` (deadlines of seconds in tests). */
  dueAt?: string;
  /** Per-referral reminder offsets in seconds, overriding `REMINDER_DAYS_BEFORE`. */
  reminderSecondsBefore?: number[];
  pendingTask?: PendingTask;
  /** The department email of the current round. */
  sent?: SentEmailRecord;
  emails?: SentEmailRecord[];
  reminders?: ReminderRecord[];
  escalation?: { round: number; due: string; messageId: string; at: string; recipients: number };
  overdueAt?: string;
  reply?: { result?: string; text?: string; at?: string; round?: number } & Record<string, unknown>;
  previousReplies?: Record<string, unknown>[];
  repliedAt?: string;
  feedback?: FeedbackRecord;
  reopened?: boolean;
  reopenCount?: number;
  committeeClosure?: Record<string, unknown>;
  closedAt?: string;
  outcome?: ReferralOutcome;
  /** As ActivityFailure: the cause without trace, the request id of the full one's log line. */
  failure?: { error: string; cause: string; at: string; requestId?: string };
  routing?: Record<string, unknown>[];
}

/** What CloseReferral stores on the referral, and counts into the activity's report data. */
export interface ReferralOutcome {
  status: 'CLOSED' | 'CLOSED_BY_COMMITTEE';
  /** The department's final result (e.g. RESOLVED), or null when none was given. */
  result: string | null;
  answeredAt: string | null;
  answeredOnTime: boolean | null;
  reopened: boolean;
  rounds: number;
  ratings: Record<Rating, number>;
}

/** Referral outcome counts kept on the activity (`referralOutcomes`), part of its report data. */
export interface ReferralOutcomeCounts {
  closed: number;
  closedByCommittee: number;
  answeredOnTime: number;
  answeredLate: number;
  reopened: number;
  byResult: Record<string, number>;
  ratings: Record<Rating, number>;
  referralIds: string[];
}

export const emptyOutcomeCounts = (): ReferralOutcomeCounts => ({
  closed: 0,
  closedByCommittee: 0,
  answeredOnTime: 0,
  answeredLate: 0,
  reopened: 0,
  byResult: {},
  ratings: { SATISFIED: 0, BASICALLY_SATISFIED: 0, NOT_SATISFIED: 0 },
  referralIds: [],
});

/** Adds one closed referral's outcome to the activity's counts (pure; idempotent by id). */
export const addOutcome = (
  counts: ReferralOutcomeCounts | undefined,
  referralId: string,
  outcome: ReferralOutcome,
): ReferralOutcomeCounts => {
  const next = structuredClone(counts ?? emptyOutcomeCounts());
  if (next.referralIds.includes(referralId)) return next;
  next.referralIds.push(referralId);
  if (outcome.status === 'CLOSED') next.closed++;
  else next.closedByCommittee++;
  if (outcome.answeredOnTime === true) next.answeredOnTime++;
  if (outcome.answeredOnTime === false) next.answeredLate++;
  if (outcome.reopened) next.reopened++;
  if (outcome.result) next.byResult[outcome.result] = (next.byResult[outcome.result] ?? 0) + 1;
  for (const rating of ['SATISFIED', 'BASICALLY_SATISFIED', 'NOT_SATISFIED'] as const) {
    next.ratings[rating] += outcome.ratings[rating];
  }
  return next;
};

/** The round a referral is in: 1 until a re-routing or a reopening moved it on. */
export const roundOf = (referral: Pick<ReferralRecord, 'round'>): number =>
  referral.round && referral.round > 0 ? referral.round : 1;
