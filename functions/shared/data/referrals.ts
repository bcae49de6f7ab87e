import { batchGetByIds } from './batch-get.js';
import {
  DEFAULT_DEPARTMENT_LEVEL,
  REFERRAL_STATUS_NAMES,
  type RecipientLevel,
} from '../domain/reference.js';
import type { Store } from './activities.js';
import type { PendingTask } from './items.js';
import { keys, type OwnershipKey, type PrimaryKey } from './keys.js';
import { getItem } from './query.js';

/**
 * The referral (转办), one type for every area that reads or writes it: the review drafts and
 * approves it, the referral workflow sends, reminds, escalates and closes it, the department's
 * page and the organisers' API answer it (docs/referral-workflow.md). What each later stage
 * adds is optional, so an item written by any stage reads safely.
 */

/** Statuses until dispatch (the review). */
export const REFERRAL_STATUSES = ['DRAFT', 'APPROVED', 'DISPATCHED'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

/**
 * Statuses of a referral from dispatch on: `DISPATCHED` → `SENT` → (`ACKNOWLEDGED`) →
 * (`OVERDUE`) → `REPLIED` → `CLOSED`; `RETURNED` → (re-routed) `SENT`; `REOPENED` → `SENT`;
 * `CLOSED_BY_COMMITTEE`. Declared once, with their names, in REFERRAL_STATUS_NAMES
 * (shared/domain/reference.ts): the statuses from `DISPATCHED` on, in its order.
 */
export type ReferralWorkflowStatus = Exclude<
  keyof typeof REFERRAL_STATUS_NAMES,
  Exclude<ReferralStatus, 'DISPATCHED'>
>;
const STATUS_CODES = Object.keys(REFERRAL_STATUS_NAMES) as (keyof typeof REFERRAL_STATUS_NAMES)[];
export const REFERRAL_WORKFLOW_STATUSES = STATUS_CODES.slice(
  STATUS_CODES.indexOf('DISPATCHED'),
) as [ReferralWorkflowStatus, ...ReferralWorkflowStatus[]];

/** Every status a referral goes through, before dispatch and after. */
export const REFERRAL_STATUS_CODES = [
  ...new Set([...REFERRAL_STATUSES, ...REFERRAL_WORKFLOW_STATUSES]),
] as [ReferralStatus | ReferralWorkflowStatus, ...(ReferralStatus | ReferralWorkflowStatus)[]];

/** Human steps of the referral workflow (`pendingTask.phase`, stored by AwaitReferral). */
export const REFERRAL_PHASES = ['DEPARTMENT', 'REROUTE', 'RATING'] as const;
export type ReferralPhase = (typeof REFERRAL_PHASES)[number];

export const RATINGS = ['SATISFIED', 'BASICALLY_SATISFIED', 'NOT_SATISFIED'] as const;
export type Rating = (typeof RATINGS)[number];

export const REPLY_RESULTS = ['RESOLVED', 'PARTLY_RESOLVED', 'UNRESOLVABLE'] as const;
export type ReplyResult = (typeof REPLY_RESULTS)[number];

export interface RoutingEntry {
  departmentId: string;
  at: string;
  /** `workflow` for the first dispatch, else the organiser's `sub`. */
  by: string;
  reason?: string;
}

export interface ExtensionRequest {
  round: number;
  days: number;
  reason: string;
  requestedAt: string;
  status: 'PENDING' | 'GRANTED' | 'REFUSED';
  decidedAt?: string;
  decidedBy?: string;
  decisionReason?: string;
  /** The due date after a grant. */
  newDueDate?: string;
}

export interface ReferralReply {
  round: number;
  departmentId: string;
  result: ReplyResult;
  text: string;
  at: string;
}

export interface SentEmailRecord {
  round: number;
  departmentId: string;
  /**
   * The department's level when it was emailed, or EXTERNAL for a recipient outside the
   * district: what statistics count the referral under, whatever the department becomes later.
   * Missing on referrals sent before levels: DISTRICT.
   */
  departmentLevel?: RecipientLevel;
  messageId: string;
  at: string;
}

/**
 * The level a referral's current department was emailed at (its latest email to that
 * department), `DISTRICT` when it was sent before levels existed or is not sent yet.
 */
export const recipientLevelOfReferral = (referral: {
  departmentId: string;
  sent?: { departmentId?: string; departmentLevel?: RecipientLevel };
  emails?: readonly { departmentId?: string; departmentLevel?: RecipientLevel }[];
}): RecipientLevel => levelEmailedTo(referral, referral.departmentId);

/** The level department `departmentId` was last emailed this referral at (default DISTRICT). */
export const levelEmailedTo = (
  referral: {
    sent?: { departmentId?: string; departmentLevel?: RecipientLevel };
    emails?: readonly { departmentId?: string; departmentLevel?: RecipientLevel }[];
  },
  departmentId: string,
): RecipientLevel =>
  [referral.sent, ...[...(referral.emails ?? [])].reverse()].find(
    (email) => email?.departmentId === departmentId && email.departmentLevel !== undefined,
  )?.departmentLevel ?? DEFAULT_DEPARTMENT_LEVEL;

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

/**
 * `pk=REFERRAL#<id> sk=REFERRAL`, ownership GSI `ACTIVITY#<activityId>` / `REFERRAL#<departmentId>`.
 * While the activity is under review its changes are audited on the activity's chain; from
 * dispatch on the referral is the head of its own stream (`auditSeq` starts at 0).
 */
export interface ReferralItem extends PrimaryKey, OwnershipKey {
  entity: 'REFERRAL';
  id: string;
  activityId: string;
  departmentId: string;
  findingIds: string[];
  committeeId?: string;
  /** The street of its activity (what a street organiser's scope is checked against). */
  street?: string;
  /** The 督办 list entry (keys.referralListing; functions/referrals/listing.ts). */
  listPk?: string;
  listSk?: string;
  /** `YYYY-MM-DD`: the day the department must have answered by. */
  dueDate?: string;
  status: ReferralStatus | ReferralWorkflowStatus;
  createdAt: string;
  updatedAt: string;
  approvedAt?: string;
  approvedBy?: string;
  executionArn?: string;
  dispatchedAt?: string;
  auditSeq: number;
  auditHash: string;

  // From dispatch on (the referral workflow, the department's page, the organisers' API).
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
  acknowledgedAt?: string;
  returned?: { round: number; departmentId: string; reason: string; at: string };
  reply?: ReferralReply;
  previousReplies?: Record<string, unknown>[];
  repliedAt?: string;
  extensionRequest?: ExtensionRequest;
  /** The feedback of a round: who is asked to rate it (opaque references). */
  feedback?: FeedbackRecord;
  /** The latest rating of each raiser (the comment stays on the rating item). */
  ratings?: Record<string, { rating: Rating; at: string; round: number }>;
  reopened?: boolean;
  reopenCount?: number;
  committeeClosure?: { by: string; reason: string; at: string; round: number };
  closedAt?: string;
  outcome?: ReferralOutcome;
  /** As ActivityFailure: the cause without trace, the request id of the full one's log line. */
  failure?: { error: string; cause: string; at: string; requestId?: string };
  routing?: RoutingEntry[];
}

/** The round a referral is in: 1 until a re-routing or a reopening moved it on. */
export const roundOf = (referral: Pick<ReferralItem, 'round'>): number =>
  referral.round && referral.round > 0 ? referral.round : 1;

/** One referral, strongly consistent. */
export const getReferral = (store: Store, referralId: string): Promise<ReferralItem | undefined> =>
  getItem<ReferralItem>(store, keys.referral(referralId));

/** Referrals by id, strongly consistent; unknown ids are absent from the map. */
export const getReferrals = (
  store: Store,
  ids: readonly string[],
): Promise<Map<string, ReferralItem>> => {
  return batchGetByIds<ReferralItem>(store, ids, keys.referral, { consistentRead: true });
};
