import {
  DescribeExecutionCommand,
  StartExecutionCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { executionArnOf } from '../activities/view.js';
import {
  appendAuditEvent,
  streamHead,
  GENESIS_HASH,
  type HeadChange,
} from '../shared/data/audit.js';
import { referralListingOf } from '../referrals/listing.js';
import type { ActivityItem } from '../shared/data/items.js';
import { keys } from '../shared/data/keys.js';
import { listRoutingRules } from '../shared/data/reference.js';
import {
  writeTransaction,
  MAX_TRANSACTION_ITEMS,
  withConflictRetry,
} from '../shared/data/transact.js';
import { routeFinding } from '../shared/domain/routing.js';
import { stepFunctionsFault } from '../shared/transient.js';
import { ConcurrentModificationError, ConflictError } from '../shared/errors.js';
import { clock, type TableDeps } from '../shared/domain/deps.js';
import type { FindingItem } from '../findings/model.js';
import {
  SEAL_ALGORITHM,
  changeActivity,
  getActiveFlags,
  hasStatus,
  listFindingAuditRecords,
  sealDigest,
  statusOf,
  writeInChunks,
  type ActivityRecord,
  type TransactItem,
  type WorkflowStatus,
} from '../findings/store.js';
import { listFindings } from '../shared/data/findings.js';
import { endedActivityPuts } from '../audit/listing.js';
import { assertNotFinal, changeActivityOnce } from './activity-state.js';
import { WORKFLOW_ACTOR } from '../shared/workflow/actor.js';
import { buildReport, type AttendanceStats } from './report.js';
import { planTriage } from './triage-plan.js';
import { recordDutyOfActivity } from '../audit-stats/duty.js';
import { completionStatsWrites, type ReferralFactsSource } from '../audit-stats/items.js';
import { loadActivity } from '../shared/data/activities.js';
import { listInvitations } from '../shared/data/invitations.js';
import { type ReferralItem, getReferrals } from '../shared/data/referrals.js';

export type StepDeps = TableDeps;

const listingFor = (activity: ActivityRecord, status: WorkflowStatus) =>
  keys.activityListing(status, activity.startsAt, activity.id);

/** Moves the status on, only if nobody else moved it since it was read. */
const moveTo = (
  activity: ActivityRecord,
  status: WorkflowStatus,
  phase: string,
  change: HeadChange = {},
): HeadChange => ({
  set: { status, phase, ...listingFor(activity, status), ...change.set },
  remove: ['failure', ...(change.remove ?? [])],
  condition: {
    expression:
      '#expectedStatus = :expectedStatus' +
      (change.condition ? ` AND (${change.condition.expression})` : ''),
    names: { '#expectedStatus': 'status', ...change.condition?.names },
    values: { ':expectedStatus': activity.status, ...change.condition?.values },
  },
});

/**
 * The workflow moves the activity on to `status` in `phase` (only if nobody else moved it since
 * it was read), with its audit event: `before` is the status it had unless given, `after`
 * starts with the status it moves to.
 */
const advance = (
  deps: StepDeps,
  activity: ActivityRecord,
  at: string,
  move: {
    status: WorkflowStatus;
    phase: string;
    action: string;
    set?: Record<string, unknown>;
    remove?: string[];
    before?: Record<string, unknown>;
    after?: Record<string, unknown>;
    items?: TransactItem[];
  },
): Promise<void> =>
  changeActivity(
    deps,
    activity,
    {
      actor: WORKFLOW_ACTOR,
      action: move.action,
      before: move.before ?? { status: activity.status },
      after: { status: move.status, ...move.after },
      change: moveTo(activity, move.status, move.phase, { set: move.set, remove: move.remove }),
      ...(move.items ? { items: move.items } : {}),
    },
    at,
  );

// --- CloseFindings -----------------------------------------------------------------------

/**
 * Closes and seals the findings. First the status moves to TRIAGE (so the ConditionCheck of
 * any later finding fails), then the unchained `AUDIT_FINDING#` records, now complete, are read
 * and one chained FINDINGS_SEALED event stores their count and digest. Each part is skipped
 * when a retry finds it done.
 */
export const closeFindings = (
  deps: StepDeps,
  activityId: string,
): Promise<{ activityId: string }> =>
  changeActivityOnce<ActivityRecord, { activityId: string }>(deps, activityId, {
    doneAnswer: (activity) =>
      activity.findingsSeal && !hasStatus(activity, 'FAILED') ? { activityId } : undefined,
    change: async (loaded) => {
      let activity = loaded;
      if (!activity.findingsClosedAt) {
        if (!hasStatus(activity, 'FINDINGS_OPEN', 'FAILED')) {
          throw new ConflictError(
            `Activity ${activityId} is ${statusOf(activity)}: findings cannot be closed`,
          );
        }
        const at = clock(deps).toISOString();
        await advance(deps, activity, at, {
          status: 'TRIAGE',
          phase: 'TRIAGE',
          action: 'FINDINGS_CLOSED',
          set: { findingsClosedAt: at },
          remove: ['pendingTask'],
          before: { status: activity.status, phase: activity.phase },
          after: { phase: 'TRIAGE' },
        });
        activity = await loadActivity<ActivityRecord>(deps, activityId);
      }
      const records = await listFindingAuditRecords(deps, activityId);
      const seal = { count: records.length, digest: sealDigest(records) };
      const at = clock(deps).toISOString();
      await advance(deps, activity, at, {
        status: 'TRIAGE',
        phase: 'TRIAGE',
        action: 'FINDINGS_SEALED',
        set: { findingsSeal: { ...seal, at } },
        remove: ['pendingTask'],
        after: { ...seal, algorithm: SEAL_ALGORITHM },
      });
      deps.logger?.info('Findings sealed', { count: seal.count });
      return { activityId };
    },
  });

// --- Triage ------------------------------------------------------------------------------

export interface TriageResult {
  activityId: string;
  referrals: number;
  unrouted: number;
}

const findingUpdate = (
  tableName: string,
  finding: Pick<FindingItem, 'activityId' | 'id'>,
  referralId: string | undefined,
): TransactItem => ({
  Update: {
    TableName: tableName,
    Key: keys.finding(finding.activityId, finding.id),
    UpdateExpression: referralId
      ? 'SET #referralId = :referralId REMOVE #unrouted'
      : 'SET #unrouted = :true REMOVE #referralId',
    ConditionExpression: 'attribute_exists(pk)',
    ExpressionAttributeNames: { '#referralId': 'referralId', '#unrouted': 'unrouted' },
    ExpressionAttributeValues: referralId ? { ':referralId': referralId } : { ':true': true },
  },
});

/** A new draft referral: not yet the head of its own audit stream (`auditSeq` 0). */
export const draftReferralItem = (
  activity: Pick<ActivityItem, 'id' | 'street'>,
  draft: { referralId: string; departmentId: string; findingIds: string[] },
  at: string,
): ReferralItem => ({
  ...keys.referral(draft.referralId),
  ...keys.referralOwnership(activity.id, draft.departmentId),
  ...referralListingOf({ id: draft.referralId, status: 'DRAFT' }),
  entity: 'REFERRAL',
  id: draft.referralId,
  activityId: activity.id,
  // A street organiser's 督办 list shows the referrals of its street's activities only.
  street: activity.street,
  departmentId: draft.departmentId,
  findingIds: draft.findingIds,
  status: 'DRAFT',
  createdAt: at,
  updatedAt: at,
  auditSeq: 0,
  auditHash: GENESIS_HASH,
});

/**
 * Drafts the referrals: routing rules send each finding that needs referral to its department,
 * one referral per department listing its findings; findings no rule routes (or routed to an
 * inactive department) are flagged `unrouted` for the review. Status IN_REVIEW. Returns
 * numbers only. Referral ids are derived from activity and department, so a retry rewrites the
 * same items; when everything fits it is one transaction with the audit event.
 */
export const triage = (deps: StepDeps, activityId: string): Promise<TriageResult> =>
  changeActivityOnce<ActivityRecord, TriageResult>(deps, activityId, {
    doneAnswer: (activity) =>
      activity.triage && !hasStatus(activity, 'FAILED')
        ? { activityId, referrals: activity.triage.referrals, unrouted: activity.triage.unrouted }
        : undefined,
    change: async (activity) => {
      if (!hasStatus(activity, 'TRIAGE', 'FAILED') || !activity.findingsSeal) {
        throw new ConflictError(`Activity ${activityId} is ${statusOf(activity)}: cannot triage`);
      }
      const [findings, rules] = await Promise.all([
        listFindings(deps, activityId),
        listRoutingRules(deps),
      ]);
      const routed = findings
        .filter((finding) => finding.needsReferral)
        .map((finding) =>
          routeFinding(rules, {
            category: finding.category,
            street: finding.street ?? activity.street,
          }),
        )
        .filter((id): id is string => id !== undefined);
      const active = await getActiveFlags(deps, 'department', routed);
      const plan = planTriage(activity, findings, rules, (id) => active.get(id) === true);

      const at = clock(deps).toISOString();
      const items: TransactItem[] = [
        ...plan.referrals.map((draft) => ({
          Put: { TableName: deps.tableName, Item: draftReferralItem(activity, draft, at) },
        })),
        ...plan.referrals.flatMap((draft) =>
          draft.findingIds.map((id) =>
            findingUpdate(deps.tableName, { activityId, id }, draft.referralId),
          ),
        ),
        ...plan.unrouted.map((id) => findingUpdate(deps.tableName, { activityId, id }, undefined)),
      ];
      const fits = items.length + 2 <= MAX_TRANSACTION_ITEMS;
      if (!fits) await writeInChunks(deps, items);
      const counts = { referrals: plan.referrals.length, unrouted: plan.unrouted.length };
      await advance(deps, activity, at, {
        status: 'IN_REVIEW',
        phase: 'REVIEW',
        action: 'FINDINGS_TRIAGED',
        set: { triage: { ...counts, at } },
        after: { referrals: plan.referrals, unrouted: plan.unrouted },
        ...(fits ? { items } : {}),
      });
      deps.logger?.info('Findings triaged', counts);
      return { activityId, ...counts };
    },
  });

// --- DispatchReferrals -------------------------------------------------------------------

export interface DispatchDeps extends StepDeps {
  sfn: SFNClient;
  referralStateMachineArn: string;
  concurrency?: number;
}

const errorName = (error: unknown) => (error as { name?: string }).name ?? '';

/** A referral execution exists with another input: never ours to take over. */
export class ReferralExecutionConflictError extends ConflictError {
  override readonly name = 'ReferralExecutionConflictError';
}

/**
 * Starts the referral's workflow (name = referral id, input `{referralId}`). An execution that
 * already exists with the same input is ours, from an earlier attempt: success.
 */
export const startReferralExecution = async (
  deps: DispatchDeps,
  referralId: string,
): Promise<string> => {
  const input = JSON.stringify({ referralId });
  try {
    const started = await deps.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: deps.referralStateMachineArn,
        name: referralId,
        input,
      }),
    );
    return started.executionArn ?? executionArnOf(deps.referralStateMachineArn, referralId);
  } catch (error) {
    if (errorName(error) === 'ExecutionAlreadyExists') {
      const executionArn = executionArnOf(deps.referralStateMachineArn, referralId);
      const existing = await deps.sfn.send(new DescribeExecutionCommand({ executionArn }));
      const same = (() => {
        try {
          return JSON.stringify(JSON.parse(existing.input ?? 'null')) === input;
        } catch {
          return false;
        }
      })();
      if (same) return executionArn;
      throw new ReferralExecutionConflictError(
        `Execution ${referralId} exists with another input`,
        { cause: error },
      );
    }
    throw stepFunctionsFault(error);
  }
};

/** Marks one referral DISPATCHED: event 1 of the referral's own audit stream. */
const markDispatched = async (
  deps: DispatchDeps,
  referral: ReferralItem,
  executionArn: string,
): Promise<void> => {
  const at = clock(deps).toISOString();
  const { items } = appendAuditEvent({
    tableName: deps.tableName,
    streamId: keys.auditStreamOfReferral(referral.id),
    head: streamHead(keys.referral(referral.id), referral),
    change: {
      set: { status: 'DISPATCHED', executionArn, dispatchedAt: at, updatedAt: at },
      condition: {
        expression: '#expectedStatus = :approved',
        names: { '#expectedStatus': 'status' },
        values: { ':approved': 'APPROVED' },
      },
    },
    event: {
      at,
      actor: WORKFLOW_ACTOR,
      action: 'REFERRAL_DISPATCHED',
      before: { status: referral.status },
      after: {
        status: 'DISPATCHED',
        activityId: referral.activityId,
        departmentId: referral.departmentId,
        findingIds: referral.findingIds,
        committeeId: referral.committeeId ?? null,
        dueDate: referral.dueDate ?? null,
        executionArn,
      },
    },
  });
  try {
    await writeTransaction(deps.db, items);
  } catch (error) {
    if (!(error instanceof ConcurrentModificationError)) throw error;
    const [current] = (await getReferrals(deps, [referral.id])).values();
    if (current?.status === 'DISPATCHED') return;
    throw error;
  }
};

/**
 * Marks each approved referral DISPATCHED (with its execution ARN and audit event), then starts
 * its referral workflow; then one chained REFERRALS_DISPATCHED event on the activity. Safe to
 * retry at any point: a DISPATCHED referral is started again (a start that already happened is
 * recognised by name and input), one its workflow moved on is skipped. Never runs before the
 * review was approved.
 */
export const dispatchReferrals = async (
  deps: DispatchDeps,
  activityId: string,
): Promise<{ activityId: string; dispatched: number }> => {
  let activity = await loadActivity<ActivityRecord>(deps, activityId);
  if (
    hasStatus(activity, 'COMPLETED') ||
    (activity.referralsDispatchedAt && !hasStatus(activity, 'FAILED'))
  ) {
    return { activityId, dispatched: activity.dispatchedCount ?? 0 };
  }
  assertNotFinal(activity);
  if (!activity.reviewApprovedAt) {
    throw new ConflictError(`The review of activity ${activityId} is not approved`);
  }
  if (!hasStatus(activity, 'DISPATCHING')) {
    if (!hasStatus(activity, 'IN_REVIEW', 'FAILED')) {
      throw new ConflictError(`Activity ${activityId} is ${statusOf(activity)}: cannot dispatch`);
    }
    await withConflictRetry(async () => {
      const current = await loadActivity<ActivityRecord>(deps, activityId);
      if (hasStatus(current, 'DISPATCHING')) return;
      const at = clock(deps).toISOString();
      await advance(deps, current, at, {
        status: 'DISPATCHING',
        phase: 'DISPATCH',
        action: 'DISPATCH_STARTED',
        remove: ['pendingTask'],
        before: { status: current.status, phase: current.phase },
        after: { referrals: current.approvedReferralIds?.length ?? 0 },
      });
    });
    activity = await loadActivity<ActivityRecord>(deps, activityId);
  }

  const ids = activity.approvedReferralIds ?? [];
  const referrals = await getReferrals(deps, ids);
  const queue = ids.map((id) => referrals.get(id)).filter((r): r is ReferralItem => !!r);
  const dispatched: { referralId: string; executionArn: string }[] = [];
  let failure: unknown;
  const worker = async () => {
    for (
      let referral = queue.shift();
      referral && failure === undefined;
      referral = queue.shift()
    ) {
      try {
        // Its workflow has moved it on (SENT and later): dispatched by an earlier attempt.
        if (referral.status !== 'APPROVED' && referral.status !== 'DISPATCHED') {
          if (!referral.executionArn) {
            throw new ConflictError(`Referral ${referral.id} is ${referral.status}, not APPROVED`);
          }
          dispatched.push({ referralId: referral.id, executionArn: referral.executionArn });
          continue;
        }
        // Marked first, started second: the execution's first step then always finds it
        // DISPATCHED (before, it started on APPROVED, failed and waited for its Retry: one
        // failed invocation and two transitions more per referral). The name makes the
        // execution ARN known in advance; a start that already happened is recognised.
        const executionArn =
          referral.executionArn ?? executionArnOf(deps.referralStateMachineArn, referral.id);
        if (referral.status === 'APPROVED') await markDispatched(deps, referral, executionArn);
        await startReferralExecution(deps, referral.id);
        dispatched.push({ referralId: referral.id, executionArn });
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, deps.concurrency ?? 4) }, worker));
  if (failure !== undefined) throw failure;
  if (dispatched.length !== ids.length) {
    throw new ConflictError(
      `Activity ${activityId}: ${ids.length - dispatched.length} approved referrals are missing`,
    );
  }

  dispatched.sort((a, b) => (a.referralId < b.referralId ? -1 : 1));
  await withConflictRetry(async () => {
    const current = await loadActivity<ActivityRecord>(deps, activityId);
    if (current.referralsDispatchedAt) return;
    const at = clock(deps).toISOString();
    await advance(deps, current, at, {
      status: 'DISPATCHING',
      phase: 'DISPATCH',
      action: 'REFERRALS_DISPATCHED',
      set: { referralsDispatchedAt: at, dispatchedCount: dispatched.length },
      after: { dispatched },
    });
  });
  deps.logger?.info('Referrals dispatched', { dispatched: dispatched.length });
  return { activityId, dispatched: dispatched.length };
};

// --- CompleteActivity --------------------------------------------------------------------

/**
 * Computes the activity's report data (person-times by level from the stored attendance
 * statistics, findings by kind and category, referrals by department) and completes it, in one
 * transaction with the ACTIVITY_COMPLETED event that holds the same numbers.
 */
export const completeActivity = (
  deps: StepDeps,
  activityId: string,
): Promise<{ activityId: string }> =>
  changeActivityOnce<ActivityRecord, { activityId: string }>(deps, activityId, {
    doneAnswer: (activity) => (hasStatus(activity, 'COMPLETED') ? { activityId } : undefined),
    change: async (activity) => {
      if (!activity.referralsDispatchedAt || !hasStatus(activity, 'DISPATCHING', 'FAILED')) {
        throw new ConflictError(`Activity ${activityId} is ${statusOf(activity)}: cannot complete`);
      }
      const [findings, referrals] = await Promise.all([
        listFindings(deps, activityId),
        getReferrals(deps, activity.approvedReferralIds ?? []),
      ]);
      const report = buildReport({
        invitedCount: activity.invitedCount,
        attendance: attendanceOf(activity),
        findings,
        referrals: [...referrals.values()],
      });
      // Each participant's duty record entry and year counters (functions/audit-stats/duty.ts),
      // before the completion: a retry then finds them written and adds nothing, where a retry
      // after the completion would stop at COMPLETED and never write them.
      await recordDutyOfActivity(
        deps,
        activity,
        await listInvitations(deps, activityId),
        findings,
        referrals as unknown as ReadonlyMap<string, ReferralFactsSource>,
      );
      const at = clock(deps).toISOString();
      // Statistics items and rollups (functions/audit-stats/items.ts): the activity's item and
      // its rollup ADDs always in this transaction (the ADDs count once only because they commit
      // with the status change), the referrals' items too when they fit.
      const stats = completionStatsWrites(
        deps.tableName,
        activity,
        report,
        [...referrals.values()] as unknown as ReferralFactsSource[],
        at,
      );
      // Audit listing entries (functions/audit/listing.ts): same transaction, always.
      const endedEntries = endedActivityPuts(deps.tableName, activity, 'COMPLETED', at, { report });
      const statsFit =
        stats.core.length + stats.referrals.length + 2 + endedEntries.length <=
        MAX_TRANSACTION_ITEMS;
      if (!statsFit) await writeInChunks(deps, stats.referrals);
      await advance(deps, activity, at, {
        status: 'COMPLETED',
        phase: 'COMPLETED',
        action: 'ACTIVITY_COMPLETED',
        set: { report, completedAt: at },
        remove: ['pendingTask'],
        after: { report },
        items: [...endedEntries, ...stats.core, ...(statsFit ? stats.referrals : [])],
      });
      return { activityId };
    },
  });

/** The attendance statistics CloseAttendance stored on the activity. */
const attendanceOf = (activity: ActivityRecord): AttendanceStats | undefined => {
  const record = activity as unknown as Record<string, unknown>;
  const stats = (record.attendance ?? record.attendanceStats) as AttendanceStats | undefined;
  return stats && typeof stats === 'object' ? stats : undefined;
};
