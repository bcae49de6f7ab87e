import { createHash } from 'node:crypto';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { loadActivity, type Store } from '../shared/data/activities.js';
import { batchGetByIds } from '../shared/data/batch-get.js';
import { queryAll } from '../shared/data/query.js';
import {
  appendAuditEvent,
  streamHead,
  canonicalJson,
  type HeadChange,
} from '../shared/data/audit.js';
import type { ActivityItem } from '../shared/data/items.js';
import { keys } from '../shared/data/keys.js';
import {
  MAX_TRANSACTION_ITEMS,
  chunk,
  writeTransaction,
  withConflictRetry,
} from '../shared/data/transact.js';
import { clock } from '../shared/domain/deps.js';
import { ForbiddenError, NotFoundError } from '../shared/errors.js';
import type { Caller } from '../shared/http/auth.js';
import { streetOfClaim } from '../shared/http/auth.js';

export type { Store };

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * Statuses of the activity workflow (docs/activity-workflow.md). Compared as strings: the
 * shared `ActivityStatus` type grows with each piece of the workflow.
 */
export type WorkflowStatus =
  | 'SCHEDULED'
  | 'INVITATIONS_SENT'
  | 'CHECK_IN_OPEN'
  | 'FINDINGS_OPEN'
  | 'TRIAGE'
  | 'IN_REVIEW'
  | 'DISPATCHING'
  | 'COMPLETED'
  | 'CANCELLED'
  | 'FAILED';

export const statusOf = (activity: ActivityItem): WorkflowStatus =>
  activity.status as string as WorkflowStatus;

export const hasStatus = (activity: ActivityItem, ...statuses: WorkflowStatus[]): boolean =>
  statuses.includes(statusOf(activity));

/** Attributes issue 3 adds to the activity item (read defensively: older items lack them). */
export interface ActivityExtras {
  findingsClosedAt?: string;
  findingsSeal?: { count: number; digest: string; at: string };
  triage?: { referrals: number; unrouted: number; at: string };
  reviewApprovedAt?: string;
  approvedReferralIds?: string[];
  referralsDispatchedAt?: string;
  dispatchedCount?: number;
  cancellation?: { reason: string; by: string; at: string; noticesComplete?: boolean };
  report?: Record<string, unknown>;
}

export type ActivityRecord = ActivityItem & ActivityExtras;

/**
 * Organisers scoped to a street (`custom:street`) act only on that street's activities; others
 * get 404, as for an activity that does not exist.
 */
export const isOrganiserFor = (caller: Caller, activity: ActivityItem): boolean => {
  if (!caller.roles.includes('organiser')) return false;
  if (!caller.street) return true;
  return streetOfClaim(caller.street) === activity.street;
};

export const assertOrganiserFor = (caller: Caller, activity: ActivityItem): void => {
  if (isOrganiserFor(caller, activity)) return;
  if (caller.roles.includes('organiser')) {
    throw new NotFoundError(`Activity ${activity.id} not found`);
  }
  throw new ForbiddenError('This action requires the role organiser');
};

/** The unchained audit records of an activity's findings, in key order. */
export const listFindingAuditRecords = (
  store: Store,
  activityId: string,
): Promise<Record<string, unknown>[]> =>
  queryAll<Record<string, unknown>>(store, keys.findingAuditRecordsOfActivity(activityId));

/**
 * The seal over unchained audit records: SHA-256 over the canonical JSON of the records, as
 * stored, in key order. Changing, removing or adding a record after the seal changes it.
 */
export const sealDigest = (records: readonly Record<string, unknown>[]): string =>
  createHash('sha256').update(canonicalJson(records), 'utf8').digest('hex');

export const SEAL_ALGORITHM = 'SHA-256 over the canonical JSON array of the records in key order';

export interface ActivityChange {
  actor: string;
  action: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  change?: HeadChange;
  /** Other writes that belong to the same state change (same transaction when they fit). */
  items?: TransactItem[];
}

/**
 * Appends one chained audit event to the activity with the change and its other writes, in one
 * TransactWriteItems, conditional on the chain head not having moved since `activity` was read.
 * Writes that do not fit one transaction raise an error: callers split their work first.
 */
export const changeActivity = async (
  deps: Store,
  activity: ActivityItem,
  change: ActivityChange,
  at: string,
): Promise<void> => {
  const { items } = appendAuditEvent({
    tableName: deps.tableName,
    streamId: keys.auditStreamOfActivity(activity.id),
    head: streamHead(keys.activity(activity.id), activity),
    change: { ...change.change, set: { ...change.change?.set, updatedAt: at } },
    event: {
      at,
      actor: change.actor,
      action: change.action,
      before: change.before,
      after: change.after,
    },
  });
  await writeTransaction(deps.db, [...items, ...(change.items ?? [])]);
};

/**
 * One change of the activity as it is now: read consistently; `decide` gives the change made
 * at `at`, or nothing when there is nothing to do; written with its audit event; read and
 * decided again when a concurrent change came in between.
 */
export const changeActivityNow = (
  deps: Store & { now?: () => Date },
  activityId: string,
  decide: (activity: ActivityRecord, at: string) => ActivityChange | undefined,
): Promise<void> =>
  withConflictRetry(async () => {
    const activity = await loadActivity<ActivityRecord>(deps, activityId);
    const at = clock(deps).toISOString();
    const change = decide(activity, at);
    if (change) await changeActivity(deps, activity, change, at);
  });

/** Writes items in transactions of at most 100 (for idempotent preparatory writes). */
export const writeInChunks = async (deps: Store, items: readonly TransactItem[]): Promise<void> => {
  for (const part of chunk(items, MAX_TRANSACTION_ITEMS)) await writeTransaction(deps.db, part);
};

export const put = (tableName: string, item: Record<string, unknown>, condition?: string) => ({
  Put: {
    TableName: tableName,
    Item: item,
    ...(condition ? { ConditionExpression: condition } : {}),
  },
});

/** Departments or committees by id (existence and `active` only), strongly consistent. */
export const getActiveFlags = async (
  store: Store,
  kind: 'department' | 'committee',
  ids: readonly string[],
): Promise<Map<string, boolean>> => {
  const found = await batchGetByIds<{ id: string; active?: boolean }>(store, ids, keys[kind], {
    attributes: ['id', 'active'],
    consistentRead: true,
  });
  return new Map([...found].map(([id, { active }]) => [id, active !== false]));
};
