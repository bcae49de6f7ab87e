import {
  endPendingStep,
  clock,
  getItem,
  queryAll,
  AWAITING_DEPARTMENT,
  type Deps,
  type RatingItem,
  type ResponseItem,
} from '../department/referral.js';
import {
  appendAuditEvent,
  auditEventOf,
  streamHead,
  verifyChain,
  type AuditEvent,
} from '../shared/data/audit.js';
import type { ActivityItem } from '../shared/data/items.js';
import { keys } from '../shared/data/keys.js';
import type { DepartmentItem } from '../shared/data/reference.js';
import { writeTransaction } from '../shared/data/transact.js';
import {
  addDays,
  chinaDateOf,
  checkExtension,
  dueInstantOf,
  type DeadlineConfig,
} from '../shared/domain/deadlines.js';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors.js';
import { checkRedrive, redrive } from '../shared/workflow/execution-failure.js';
import { referralListingAfter } from '../referrals/listing.js';
import { CLOSED_STATUSES } from '../referrals/model.js';
import { executionArnOf } from '../activities/view.js';
import type { z } from 'zod/mini';
import type {
  CloseBody,
  committeeCloseAnswerSchema,
  ExtensionBody,
  extensionAnswerSchema,
  RedriveBody,
  redriveReferralAnswerSchema,
  referralDetailSchema,
  rerouteAnswerSchema,
  RerouteBody,
} from './schemas.js';
import { unknownReferenceMessage } from '../shared/reference-ids.js';
import { listFindings } from '../shared/data/findings.js';
import { referralViewOf, routingOf } from './view.js';
import {
  getReferral,
  roundOf,
  type ExtensionRequest,
  type ReferralItem,
} from '../shared/data/referrals.js';

/**
 * The organisers' side of a referral (docs/referral-workflow.md): read it with its history,
 * re-route a returned referral (ends AwaitReroute), decide a requested extension (the due date
 * moves, never past the statutory limit), and close it as the supervising committee (ends
 * AwaitDepartment). Each change is one transaction with its event on the referral's own chain
 * (`REFERRAL#<id>`); the human step is ended after the change is stored, so a lost signal is
 * completed by repeating the request.
 */

export interface ActionContext {
  /** Cognito `sub`: the actor of the audit event. */
  actor: string;
  /** Refuses (with a named error) callers who may not act on this activity's referrals. */
  authorize?: (activity: Pick<ActivityItem, 'street'>) => void;
}

/** A dispatched referral and its activity, once the caller is authorized for the activity. */
const loadWithActivity = async (
  deps: Deps,
  referralId: string,
  context: Pick<ActionContext, 'authorize'>,
): Promise<{ referral: ReferralItem; activity: ActivityItem | undefined }> => {
  const referral = await getReferral(deps, referralId);
  if (!referral || referral.status === 'DRAFT' || referral.status === 'APPROVED') {
    throw new NotFoundError(`Referral ${referralId} not found`);
  }
  const activity = await getItem<ActivityItem>(deps, keys.activity(referral.activityId));
  context.authorize?.(activity ?? { street: undefined as unknown as ActivityItem['street'] });
  return { referral, activity };
};

const load = async (
  deps: Deps,
  referralId: string,
  context: Pick<ActionContext, 'authorize'>,
): Promise<ReferralItem> => (await loadWithActivity(deps, referralId, context)).referral;

const change = (
  deps: Deps,
  referral: ReferralItem,
  set: Record<string, unknown>,
  event: {
    at: string;
    actor: string;
    action: string;
    before: Record<string, unknown>;
    after: Record<string, unknown>;
  },
) =>
  appendAuditEvent({
    tableName: deps.tableName,
    streamId: keys.auditStreamOfReferral(referral.id),
    head: streamHead(keys.referral(referral.id), referral),
    change: {
      // The 督办 list entry follows the due date an extension moves.
      set: { ...set, ...referralListingAfter(referral, set), updatedAt: event.at },
      condition: {
        expression: '#expectedStatus = :expectedStatus',
        names: { '#expectedStatus': 'status' },
        values: { ':expectedStatus': referral.status },
      },
    },
    event,
  }).items;

// --- GET /referrals/{referralId} -----------------------------------------------------------

export const getReferralDetail = async (
  deps: Deps,
  referralId: string,
  context: Pick<ActionContext, 'authorize'> & { showComments: boolean },
): Promise<z.output<typeof referralDetailSchema>> => {
  const { referral, activity } = await loadWithActivity(deps, referralId, context);
  const [responses, ratings, events, findings] = await Promise.all([
    queryAll<ResponseItem>(deps, keys.responsesOfReferral(referralId)),
    queryAll<RatingItem>(deps, {
      ...keys.ratingsOfReferralRound(referralId, 1),
      sortKeyPrefix: 'RATING#',
    }),
    queryAll<AuditEvent>(deps, keys.auditEventsOfStream(keys.auditStreamOfReferral(referralId))),
    // The activity's findings in one query (a referral carries a few of its findings; the
    // function may query the table, and the view keeps only the referral's own).
    listFindings(deps, referral.activityId),
  ]);
  const history = events.map(auditEventOf);
  const chain = verifyChain(history);
  return {
    referral: referralViewOf(referral, { activity, findings, now: clock(deps) }),
    responses: responses
      .map(({ pk: _p, sk: _s, ...response }) => response)
      .sort((a, b) => (a.at < b.at ? -1 : 1)),
    ratings: ratings
      .map(({ pk: _p, sk: _s, comment, ...rating }) =>
        context.showComments ? { ...rating, comment } : rating,
      )
      .sort((a, b) => (a.at < b.at ? -1 : 1)),
    history,
    chain: chain.ok ? { ok: true, length: chain.length } : chain,
  };
};

// --- POST /referrals/{referralId}/reroute --------------------------------------------------

export const rerouteReferral = async (
  deps: Deps,
  referralId: string,
  body: RerouteBody,
  context: ActionContext,
): Promise<z.output<typeof rerouteAnswerSchema>> => {
  const referral = await load(deps, referralId, context);
  const round = roundOf(referral);
  const returnedRound = referral.returned?.round ?? round;

  // Already re-routed to this department (a repeated request): complete a lost signal only.
  if (
    referral.status === 'RETURNED' &&
    returnedRound < round &&
    referral.departmentId === body.departmentId
  ) {
    await endPendingStep(deps, referral, 'REROUTE', { outcome: 'REROUTED' });
    return { referralId, departmentId: referral.departmentId, round, repeated: true };
  }
  if (referral.status !== 'RETURNED' || returnedRound < round) {
    throw new ConflictError(
      `Referral ${referralId} is ${referral.status}: only a returned referral can be re-routed`,
    );
  }
  if (referral.pendingTask?.phase !== 'REROUTE') {
    throw new ConflictError(
      `Referral ${referralId} is not waiting to be re-routed yet; retry in a moment`,
    );
  }
  if (body.departmentId === referral.departmentId) {
    throw new ValidationError('Choose another department than the one that returned it', [
      { path: 'departmentId', message: 'is the department that returned the referral' },
    ]);
  }
  const department = await getItem<DepartmentItem>(deps, keys.department(body.departmentId));
  if (!department || !department.active) {
    throw new ValidationError(`Department ${body.departmentId} does not exist or is inactive`, [
      {
        path: 'departmentId',
        message: department
          ? 'must be an active department'
          : unknownReferenceMessage('department', body.departmentId),
      },
    ]);
  }

  const at = clock(deps).toISOString();
  const nextRound = round + 1;
  const routing = [
    ...routingOf(referral),
    { departmentId: body.departmentId, at, by: context.actor, reason: body.reason },
  ];
  await writeTransaction(
    deps.db,
    change(
      deps,
      referral,
      {
        departmentId: body.departmentId,
        ...keys.referralOwnership(referral.activityId, body.departmentId),
        routing,
        round: nextRound,
        reroutedAt: at,
      },
      {
        at,
        actor: context.actor,
        action: 'REFERRAL_REROUTED',
        before: { status: referral.status, departmentId: referral.departmentId, round },
        after: { departmentId: body.departmentId, round: nextRound, reason: body.reason },
      },
    ),
  );
  const signalled = await endPendingStep(deps, referral, 'REROUTE', { outcome: 'REROUTED' });
  deps.logger?.info('Referral re-routed', { referralId, round: nextRound, signalled });
  return { referralId, departmentId: body.departmentId, round: nextRound, routing };
};

// --- POST /referrals/{referralId}/extension ------------------------------------------------

/** `YYYY-MM-DD` plus whole days. */
const addDaysToDate = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

export const decideExtension = async (
  deps: Deps & { config: Pick<DeadlineConfig, 'statutoryLimitDays' | 'statutoryMaxDays'> },
  referralId: string,
  body: ExtensionBody,
  context: ActionContext,
): Promise<z.output<typeof extensionAnswerSchema>> => {
  const referral = await load(deps, referralId, context);
  const round = roundOf(referral);
  const request = referral.extensionRequest;
  if (!request || request.round !== round || request.status !== 'PENDING') {
    throw new ConflictError(`Referral ${referralId} has no pending extension request`);
  }
  if (!(AWAITING_DEPARTMENT as readonly string[]).includes(referral.status)) {
    throw new ConflictError(`Referral ${referralId} is ${referral.status}: nothing to extend`);
  }
  const at = clock(deps).toISOString();
  const decided: ExtensionRequest = {
    ...request,
    status: body.decision === 'GRANT' ? 'GRANTED' : 'REFUSED',
    decidedAt: at,
    decidedBy: context.actor,
    decisionReason: body.reason,
  };
  const set: Record<string, unknown> = { extensionRequest: decided };
  let after: Record<string, unknown> = { decision: body.decision, reason: body.reason };

  if (body.decision === 'GRANT') {
    const days = body.days ?? request.days;
    const currentDue = dueInstantOf(referral);
    const currentDueDate = referral.dueDate ?? chinaDateOf(new Date(currentDue.getTime() - 1));
    const newDueDate = addDaysToDate(currentDueDate, days);
    const dispatchedAt = new Date(referral.dispatchedAt ?? referral.createdAt);
    const problem = checkExtension(
      { dispatchedAt, currentDueDate, requestedDueDate: newDueDate },
      deps.config,
    );
    if (problem) {
      throw new ValidationError(`The new due date ${newDueDate} ${problem}`, [
        { path: 'days', message: `the new due date ${problem}` },
      ]);
    }
    decided.newDueDate = newDueDate;
    set.dueDate = newDueDate;
    if (referral.dueAt) set.dueAt = addDays(currentDue, days).toISOString();
    after = { ...after, days, dueDate: newDueDate, ...(set.dueAt ? { dueAt: set.dueAt } : {}) };
  }

  await writeTransaction(
    deps.db,
    change(deps, referral, set, {
      at,
      actor: context.actor,
      action: body.decision === 'GRANT' ? 'EXTENSION_GRANTED' : 'EXTENSION_REFUSED',
      before: {
        status: referral.status,
        round,
        dueDate: referral.dueDate ?? null,
        requestedDays: request.days,
      },
      after,
    }),
  );
  return { referralId, extension: decided, dueDate: (set.dueDate as string) ?? referral.dueDate };
};

// --- POST /referrals/{referralId}/close ----------------------------------------------------

export const closeByCommittee = async (
  deps: Deps,
  referralId: string,
  body: CloseBody,
  context: ActionContext,
): Promise<z.output<typeof committeeCloseAnswerSchema>> => {
  const referral = await load(deps, referralId, context);
  const round = roundOf(referral);
  if (referral.committeeClosure) {
    // A repeated request: complete a lost signal only.
    await endPendingStep(deps, referral, 'DEPARTMENT', { outcome: 'CLOSED_BY_COMMITTEE' });
    return { referralId, committeeClosure: referral.committeeClosure, repeated: true };
  }
  if (!(AWAITING_DEPARTMENT as readonly string[]).includes(referral.status)) {
    throw new ConflictError(
      `Referral ${referralId} is ${referral.status}: the committee closes only a referral awaiting its department`,
    );
  }
  const at = clock(deps).toISOString();
  const committeeClosure = { by: context.actor, reason: body.reason, at, round };
  await writeTransaction(
    deps.db,
    change(
      deps,
      referral,
      { committeeClosure },
      {
        at,
        actor: context.actor,
        action: 'REFERRAL_CLOSE_BY_COMMITTEE',
        before: { status: referral.status, round },
        after: { reason: body.reason, round },
      },
    ),
  );
  const signalled = await endPendingStep(deps, referral, 'DEPARTMENT', {
    outcome: 'CLOSED_BY_COMMITTEE',
  });
  deps.logger?.info('Referral closed by the committee', { referralId, signalled });
  return { referralId, committeeClosure };
};

// --- POST /referrals/{referralId}/redrive --------------------------------------------------

/**
 * Once the cause of a failure is removed (a department's address fixed, a service back), the
 * organiser runs the referral's failed step again: the recorded failure is cleared with a
 * REFERRAL_REDRIVEN event, then RedriveExecution. Both halves are idempotent, so a repeated
 * request finishes what a failed one began; while the execution runs again it answers
 * `redrivenNow: false`.
 */
export const redriveReferral = async (
  deps: Deps & { stateMachineArn: string },
  referralId: string,
  body: RedriveBody,
  context: ActionContext,
): Promise<z.output<typeof redriveReferralAnswerSchema>> => {
  const referral = await load(deps, referralId, context);
  if (CLOSED_STATUSES.includes(referral.status)) {
    throw new ConflictError(`Referral ${referralId} is ${referral.status}: nothing to redrive`);
  }
  const executionArn = executionArnOf(deps.stateMachineArn, referralId);
  const check = await checkRedrive(deps.sfn, executionArn);
  const failure = (referral as { failure?: { error: string } }).failure;
  if (failure) {
    const at = clock(deps).toISOString();
    await writeTransaction(
      deps.db,
      appendAuditEvent({
        tableName: deps.tableName,
        streamId: keys.auditStreamOfReferral(referral.id),
        head: streamHead(keys.referral(referral.id), referral),
        change: {
          set: { updatedAt: at },
          remove: ['failure'],
          condition: { expression: 'attribute_exists(failure)' },
        },
        event: {
          at,
          actor: context.actor,
          action: 'REFERRAL_REDRIVEN',
          before: { status: referral.status, error: failure.error },
          after: {
            status: referral.status,
            redriveCount: check.redriveCount + 1,
            reason: body.reason,
          },
        },
      }).items,
    );
  }
  const redrivenNow = check.state === 'REDRIVABLE';
  const redriveCount = redrivenNow
    ? await redrive(deps.sfn, executionArn, check.redriveCount)
    : check.redriveCount;
  deps.logger?.info('Referral workflow redriven', { referralId, redriveCount, redrivenNow });
  return { referralId, status: referral.status, redriveCount, redrivenNow };
};
