import { departmentFindingOf, type DepartmentFinding } from '../shared/domain/finding-fields.js';
import { appendAuditEvent, streamHead } from '../shared/data/audit.js';
import { dueDateOf } from '../shared/domain/deadlines.js';
import type { CommitteeItem, DepartmentItem } from '../shared/data/reference.js';
import { getFindings } from '../shared/data/findings.js';
import { keys } from '../shared/data/keys.js';
import type { LinkRecord } from '../shared/data/links.js';
import {
  AWAITING_DEPARTMENT,
  clock,
  actOnLinkedReferral,
  withLinkedReferral,
  type StaleReason,
  digestOf,
  endPendingStep,
  getItem,
  queryAll,
  ratingProgress,
  type DepartmentAction,
  type RatingProgress,
  type Deps,
  type ResponseItem,
} from './referral.js';
import { roundOf, type ReferralItem, type ReplyResult } from '../shared/data/referrals.js';

/**
 * The department's side of a referral: what its response page shows (reads only) and the
 * actions it posts. Each action is received at most once per round: a marker item
 * `RESPONSE#<round>#<action>` (progress notes: per distinct text) is put conditionally in the
 * same transaction as the referral's change and its audit event, so a replayed POST finds the
 * marker and changes nothing. REPLY and RETURN then end the AwaitDepartment step with the
 * stored task token.
 */

export type DepartmentInput =
  | { action: 'ACKNOWLEDGE' }
  | { action: 'RETURN'; reason: string }
  | { action: 'REQUEST_EXTENSION'; days: number; reason: string }
  | { action: 'PROGRESS'; text: string }
  | { action: 'REPLY'; result: ReplyResult; text: string };

export type RespondOutcome =
  | { kind: 'DONE'; action: DepartmentAction; signalled?: 'ENDED' | 'CLOSED' | 'NOT_WAITING' }
  | { kind: 'ALREADY'; action: DepartmentAction }
  | { kind: 'CLOSED' }
  | { kind: 'NOT_ALLOWED'; action: DepartmentAction; status: string };

export type { StaleReason } from './referral.js';

export interface ResponsePageModel {
  referralId: string;
  status: string;
  round: number;
  activityTitle: string;
  departmentName: string;
  committeeName?: string;
  /** The China calendar date it is due by (`YYYY-MM-DD`). */
  dueDate?: string;
  findings: DepartmentFinding[];
  history: {
    at: string;
    action: DepartmentAction;
    text?: string;
    result?: ReplyResult;
    days?: number;
  }[];
  extension?: { status: string; days: number; newDueDate?: string; decisionReason?: string };
  /** The department may still act (its referral is waiting on it). */
  open: boolean;
  /** Actions already received this round (their forms are not shown again). */
  done: DepartmentAction[];
  /** After the reply: how many raisers have rated and until when the others may (nobody named). */
  progress?: RatingProgress;
}

const ACTION_EVENTS: Record<DepartmentAction, string> = {
  ACKNOWLEDGE: 'REFERRAL_ACKNOWLEDGED',
  RETURN: 'REFERRAL_RETURNED',
  REQUEST_EXTENSION: 'EXTENSION_REQUESTED',
  PROGRESS: 'PROGRESS_POSTED',
  REPLY: 'REFERRAL_REPLIED',
};

const ONCE_PER_ROUND = new Set<DepartmentAction>([
  'ACKNOWLEDGE',
  'RETURN',
  'REQUEST_EXTENSION',
  'REPLY',
]);

const markerKey = (referralId: string, round: number, input: DepartmentInput) =>
  keys.referralResponse(
    referralId,
    round,
    input.action,
    input.action === 'PROGRESS' ? digestOf(input.text) : undefined,
  );

/** The link belongs to the referral's current round (a re-routed or reopened referral has moved on). */
const isCurrent = (referral: ReferralItem, link: LinkRecord) =>
  roundOf(referral) === link.round && referral.id === link.referralId;

const isAwaiting = (referral: ReferralItem) =>
  (AWAITING_DEPARTMENT as readonly string[]).includes(referral.status) &&
  !referral.committeeClosure;

/** The response page's content. Reads only. */
export const responsePage = (
  deps: Deps,
  link: LinkRecord,
): Promise<ResponsePageModel | StaleReason> =>
  withLinkedReferral(deps, link, isCurrent, async (referral, round) => {
    const [activity, department, committee, findings, responses, progress] = await Promise.all([
      getItem<{ title?: string }>(deps, keys.activity(referral.activityId)),
      getItem<DepartmentItem>(deps, keys.department(referral.departmentId)),
      referral.committeeId
        ? getItem<CommitteeItem>(deps, keys.committee(referral.committeeId))
        : Promise.resolve(undefined),
      getFindings(deps, referral.activityId, referral.findingIds),
      queryAll<ResponseItem>(deps, keys.responsesOfReferral(referral.id)),
      ratingProgress(deps, referral, { names: false }),
    ]);
    const ofRound = responses
      .filter((response) => response.round === round)
      .sort((a, b) => (a.at < b.at ? -1 : 1));
    const extension =
      referral.extensionRequest && referral.extensionRequest.round === round
        ? referral.extensionRequest
        : undefined;
    return {
      referralId: referral.id,
      status: referral.status,
      round,
      activityTitle: activity?.title ?? '',
      departmentName: department?.name ?? referral.departmentId,
      ...(committee ? { committeeName: committee.name } : {}),
      ...(referral.dueDate || referral.dueAt ? { dueDate: dueDateOf(referral) } : {}),
      // The department needs what is wrong and where, never who raised it.
      findings: findings.map(departmentFindingOf),
      history: ofRound.map((response) => ({
        at: response.at,
        action: response.action,
        ...(response.text !== undefined ? { text: response.text } : {}),
        ...(response.reason !== undefined ? { text: response.reason } : {}),
        ...(response.result !== undefined ? { result: response.result } : {}),
        ...(response.days !== undefined ? { days: response.days } : {}),
      })),
      ...(extension
        ? {
            extension: {
              status: extension.status,
              days: extension.days,
              ...(extension.newDueDate ? { newDueDate: extension.newDueDate } : {}),
              ...(extension.decisionReason ? { decisionReason: extension.decisionReason } : {}),
            },
          }
        : {}),
      open: isAwaiting(referral),
      done: [
        ...new Set(
          ofRound.map((response) => response.action).filter((action) => ONCE_PER_ROUND.has(action)),
        ),
      ],
      ...(progress ? { progress } : {}),
    };
  });

/** What one action changes on the referral, and what its audit event says. */
const changeOf = (
  referral: ReferralItem,
  input: DepartmentInput,
  at: string,
  round: number,
): { set: Record<string, unknown>; after: Record<string, unknown> } => {
  switch (input.action) {
    case 'ACKNOWLEDGE': {
      const status = referral.status === 'SENT' ? 'ACKNOWLEDGED' : referral.status;
      return { set: { status, acknowledgedAt: at }, after: { status, acknowledgedAt: at } };
    }
    case 'RETURN': {
      const returned = { round, departmentId: referral.departmentId, reason: input.reason, at };
      return {
        set: { status: 'RETURNED', returned },
        after: { status: 'RETURNED', departmentId: referral.departmentId, reason: input.reason },
      };
    }
    case 'REQUEST_EXTENSION': {
      const extensionRequest = {
        round,
        days: input.days,
        reason: input.reason,
        requestedAt: at,
        status: 'PENDING',
      };
      return {
        set: { extensionRequest },
        after: { days: input.days, reason: input.reason, dueDate: referral.dueDate ?? null },
      };
    }
    case 'PROGRESS':
      return { set: { lastProgressAt: at }, after: { text: input.text } };
    case 'REPLY': {
      const reply = {
        round,
        departmentId: referral.departmentId,
        result: input.result,
        text: input.text,
        at,
      };
      return {
        set: { status: 'REPLIED', reply, repliedAt: at },
        after: { status: 'REPLIED', result: input.result, text: input.text },
      };
    }
  }
};

const OUTCOMES: Partial<Record<DepartmentAction, string>> = {
  REPLY: 'REPLIED',
  RETURN: 'RETURNED',
};

/**
 * Receives one department action. A replay (the marker exists) changes nothing; for a final
 * action (REPLY, RETURN) it only re-sends the outcome if the step is still waiting, which
 * completes an earlier attempt whose signal was lost.
 */
export const respond = (
  deps: Deps,
  link: LinkRecord,
  input: DepartmentInput,
): Promise<RespondOutcome | StaleReason> =>
  actOnLinkedReferral(deps, link, isCurrent, async (referral, round, commit) => {
    const key = markerKey(referral.id, round, input);
    const outcome = OUTCOMES[input.action];

    const marker = await getItem<ResponseItem>(deps, key);
    if (marker) {
      if (outcome && referral.status === OUTCOMES[marker.action]) {
        await endPendingStep(deps, referral, 'DEPARTMENT', { outcome });
      }
      return { kind: 'ALREADY', action: input.action };
    }
    if (!isAwaiting(referral)) {
      const final = ['REPLIED', 'RETURNED', 'CLOSED', 'CLOSED_BY_COMMITTEE', 'REROUTED'];
      return final.includes(referral.status) || referral.committeeClosure
        ? { kind: 'CLOSED' }
        : { kind: 'NOT_ALLOWED', action: input.action, status: referral.status };
    }
    if (input.action === 'REQUEST_EXTENSION' && referral.extensionRequest?.status === 'PENDING') {
      return { kind: 'ALREADY', action: input.action };
    }

    const at = clock(deps).toISOString();
    const change = changeOf(referral, input, at, round);
    const { items } = appendAuditEvent({
      tableName: deps.tableName,
      streamId: keys.auditStreamOfReferral(referral.id),
      head: streamHead(keys.referral(referral.id), referral),
      change: {
        set: { ...change.set, updatedAt: at },
        condition: {
          // auditSeq already serialises every change of the head; this names the intent.
          expression: '#expectedStatus = :expectedStatus',
          names: { '#expectedStatus': 'status' },
          values: { ':expectedStatus': referral.status },
        },
      },
      event: {
        at,
        actor: `department:${referral.departmentId}`,
        action: ACTION_EVENTS[input.action],
        before: { status: referral.status, round },
        after: { ...change.after, round },
      },
    });
    const response: ResponseItem = {
      ...key,
      entity: 'REFERRAL_RESPONSE',
      referralId: referral.id,
      round,
      action: input.action,
      departmentId: referral.departmentId,
      at,
      ...(input.action === 'RETURN' || input.action === 'REQUEST_EXTENSION'
        ? { reason: input.reason }
        : {}),
      ...(input.action === 'REQUEST_EXTENSION' ? { days: input.days } : {}),
      ...(input.action === 'PROGRESS' || input.action === 'REPLY' ? { text: input.text } : {}),
      ...(input.action === 'REPLY' ? { result: input.result } : {}),
    };
    // A lost race runs the pass again: either the same action was received meanwhile (it finds
    // its marker) or something else changed the referral (it re-checks it).
    await commit(items, response);

    if (!outcome) return { kind: 'DONE', action: input.action };
    // The state is stored; now end the human step. If the step is between two waits (a deadline
    // check runs), AwaitReferral finds the status and ends its new wait at once.
    const signalled = await endPendingStep(deps, referral, 'DEPARTMENT', { outcome });
    if (signalled !== 'ENDED') {
      deps.logger?.warn('Department outcome stored; the workflow was not waiting', {
        referralId: referral.id,
        outcome,
        signalled,
      });
    }
    return { kind: 'DONE', action: input.action, signalled };
  });
