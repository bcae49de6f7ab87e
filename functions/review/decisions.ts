import { ConflictError, ValidationError, type FieldIssue } from '../shared/errors.js';
import { GENESIS_HASH } from '../shared/data/audit.js';
import { keys } from '../shared/data/keys.js';
import { referralIdOf, type FindingDecision, type FindingItem } from '../findings/model.js';
import type { z } from 'zod/mini';
import type { approvalCheckSchema, DecisionInput } from './schemas.js';
import { unknownReferenceMessage } from '../shared/reference-ids.js';
import { type ReferralItem } from '../shared/data/referrals.js';

/** What the review works on: every finding of the activity and its current referrals. */
export interface ReviewState {
  activityId: string;
  findings: ReadonlyMap<string, FindingItem>;
  referrals: ReadonlyMap<string, ReferralItem>;
}

export interface ReviewContext {
  actor: string;
  at: string;
  /** Departments named in the request: id → active. Unknown ids are absent. */
  departments: ReadonlyMap<string, boolean>;
}

/** The writes a review action makes: changed findings, changed or new referrals, emptied ones. */
export interface ReviewChanges {
  findings: FindingItem[];
  referrals: ReferralItem[];
  deletedReferralIds: string[];
}

class Working {
  readonly findings: Map<string, FindingItem>;
  readonly referrals: Map<string, ReferralItem>;
  readonly changedFindings = new Set<string>();
  readonly changedReferrals = new Set<string>();

  constructor(
    private readonly state: ReviewState,
    private readonly at: string,
  ) {
    this.findings = new Map([...state.findings].map(([id, f]) => [id, structuredClone(f)]));
    this.referrals = new Map([...state.referrals].map(([id, r]) => [id, structuredClone(r)]));
  }

  private touch(referral: ReferralItem) {
    if (referral.status !== 'DRAFT') {
      throw new ConflictError(`Referral ${referral.id} is ${referral.status}: the review is over`);
    }
    referral.updatedAt = this.at;
    this.changedReferrals.add(referral.id);
  }

  /** The findings merged into `targetId` (a merge is one level deep: see applyDecisions). */
  private mergedInto(targetId: string): FindingItem[] {
    return [...this.findings.values()].filter(
      (other) => other.decision?.type === 'MERGE' && other.decision.intoFindingId === targetId,
    );
  }

  /**
   * Puts the finding into `referral` (none: out of any), and with it every finding merged into
   * it: a merge joins findings in one referral, it never drops one, so the department sees
   * each, each raiser is told and may rate, and each duty record counts it.
   */
  private moveTo(finding: FindingItem, referral: ReferralItem | undefined) {
    if (finding.referralId !== referral?.id) {
      const previous = finding.referralId ? this.referrals.get(finding.referralId) : undefined;
      if (previous) {
        this.touch(previous);
        previous.findingIds = previous.findingIds.filter((id) => id !== finding.id);
      }
      if (referral) {
        this.touch(referral);
        referral.findingIds = [...referral.findingIds, finding.id].sort();
        finding.referralId = referral.id;
      } else {
        delete finding.referralId;
      }
      this.changedFindings.add(finding.id);
    }
    for (const merged of this.mergedInto(finding.id)) this.moveTo(merged, referral);
  }

  detach(finding: FindingItem) {
    this.moveTo(finding, undefined);
  }

  /** A merged finding goes where the finding it is merged into goes (its referral, or none). */
  follow(finding: FindingItem, target: FindingItem) {
    this.moveTo(finding, target.referralId ? this.referrals.get(target.referralId) : undefined);
  }

  attach(finding: FindingItem, departmentId: string) {
    const referralId = referralIdOf(this.state.activityId, departmentId);
    let referral = this.referrals.get(referralId);
    if (!referral) {
      referral = {
        ...keys.referral(referralId),
        ...keys.referralOwnership(this.state.activityId, departmentId),
        entity: 'REFERRAL',
        id: referralId,
        activityId: this.state.activityId,
        departmentId,
        findingIds: [],
        status: 'DRAFT',
        createdAt: this.at,
        updatedAt: this.at,
        auditSeq: 0,
        auditHash: GENESIS_HASH,
      };
      this.referrals.set(referralId, referral);
    }
    this.moveTo(finding, referral);
  }

  changes(): ReviewChanges {
    const referrals = [...this.changedReferrals]
      .map((id) => this.referrals.get(id)!)
      .filter((referral) => referral.findingIds.length > 0);
    const deletedReferralIds = [...this.changedReferrals].filter(
      (id) => this.referrals.get(id)!.findingIds.length === 0 && this.state.referrals.has(id),
    );
    return {
      findings: [...this.changedFindings].map((id) => this.findings.get(id)!),
      referrals,
      deletedReferralIds,
    };
  }
}

/**
 * Applies the review's decisions, in order, to a copy of the state and returns what changed.
 * REFER moves the finding into its department's referral (created if the activity has none);
 * MERGE puts it where the finding it is merged into is (that finding's referral, or none), and
 * it moves with that finding from then on; ANSWER_DIRECTLY and NO_ACTION take it out of any
 * referral; a referral left empty is deleted. Every invalid decision is reported (422) and then nothing changes: an unknown or
 * repeated finding, an unknown or inactive department, merging into itself, into an unknown
 * finding or into one that is itself merged, or merging a finding others are merged into.
 */
export const applyDecisions = (
  state: ReviewState,
  decisions: readonly DecisionInput[],
  context: ReviewContext,
  path = 'decisions',
): ReviewChanges => {
  const working = new Working(state, context.at);
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();

  decisions.forEach((input, index) => {
    const at = (field: string) => `${path}.${index}.${field}`;
    const finding = working.findings.get(input.findingId);
    if (!finding) {
      issues.push({ path: at('findingId'), message: `unknown finding ${input.findingId}` });
      return;
    }
    if (seen.has(input.findingId)) {
      issues.push({
        path: at('findingId'),
        message: `finding ${input.findingId} is decided twice`,
      });
      return;
    }
    seen.add(input.findingId);

    const base = { reason: input.reason, decidedBy: context.actor, decidedAt: context.at };
    let decision: FindingDecision;
    switch (input.decision) {
      case 'REFER': {
        const active = context.departments.get(input.departmentId);
        if (active === undefined) {
          issues.push({
            path: at('departmentId'),
            message: unknownReferenceMessage('department', input.departmentId),
          });
          return;
        }
        if (!active) {
          issues.push({
            path: at('departmentId'),
            message: `department ${input.departmentId} is not active`,
          });
          return;
        }
        decision = { ...base, type: 'REFER', departmentId: input.departmentId };
        break;
      }
      case 'MERGE': {
        const target = working.findings.get(input.intoFindingId);
        if (input.intoFindingId === input.findingId) {
          issues.push({
            path: at('intoFindingId'),
            message: 'a finding cannot be merged into itself',
          });
          return;
        }
        if (!target) {
          issues.push({
            path: at('intoFindingId'),
            message: `unknown finding ${input.intoFindingId}`,
          });
          return;
        }
        if (target.decision?.type === 'MERGE') {
          issues.push({
            path: at('intoFindingId'),
            message: `finding ${target.id} is itself merged into ${target.decision.intoFindingId}`,
          });
          return;
        }
        const mergedHere = [...working.findings.values()].filter(
          (other) =>
            other.decision?.type === 'MERGE' && other.decision.intoFindingId === finding.id,
        );
        if (mergedHere.length > 0) {
          issues.push({
            path: at('findingId'),
            message: `findings ${mergedHere.map((f) => f.id).join(', ')} are merged into ${finding.id}: decide them first`,
          });
          return;
        }
        decision = { ...base, type: 'MERGE', intoFindingId: input.intoFindingId };
        break;
      }
      case 'ANSWER_DIRECTLY':
        decision = { ...base, type: 'ANSWER_DIRECTLY', answer: input.answer };
        break;
      case 'NO_ACTION':
        decision = { ...base, type: 'NO_ACTION' };
        break;
    }

    // The decision first: who is merged into whom decides where the findings go.
    finding.decision = decision;
    working.changedFindings.add(finding.id);
    if (decision.type === 'REFER') working.attach(finding, decision.departmentId);
    else if (decision.type === 'MERGE')
      working.follow(finding, working.findings.get(decision.intoFindingId)!);
    else working.detach(finding);
  });

  if (issues.length > 0) {
    throw new ValidationError(
      `Invalid decisions: ${issues
        .slice(0, 10)
        .map((issue) => `${issue.path}: ${issue.message}`)
        .join('; ')}`,
      issues,
    );
  }
  return working.changes();
};

export interface ReferralUpdate {
  committeeId?: string | undefined;
  dueDate?: string | undefined;
  moveFindingIds?: readonly string[] | undefined;
  reason?: string | undefined;
}

/** Today's date in China Standard Time, where the activities happen. */
export const chinaDate = (now: Date): string =>
  new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

const MAX_DUE_DAYS = 366;

/**
 * Sets a draft referral's supervising committee and due date and moves findings into it (each
 * move is a REFER decision to the referral's department). The committee must exist and be
 * active; the due date must lie after today (China time) and within a year.
 */
export const applyReferralUpdate = (
  state: ReviewState,
  referralId: string,
  update: ReferralUpdate,
  context: ReviewContext & { committees: ReadonlyMap<string, boolean>; now: Date },
): ReviewChanges => {
  const referral = state.referrals.get(referralId);
  if (!referral) throw new ConflictError(`Referral ${referralId} is not a referral of this review`);
  const issues: FieldIssue[] = [];
  if (update.committeeId !== undefined) {
    const active = context.committees.get(update.committeeId);
    if (active === undefined) {
      issues.push({
        path: 'committeeId',
        message: unknownReferenceMessage('committee', update.committeeId),
      });
    } else if (!active) {
      issues.push({
        path: 'committeeId',
        message: `committee ${update.committeeId} is not active`,
      });
    }
  }
  if (update.dueDate !== undefined) {
    const today = chinaDate(context.now);
    const latest = chinaDate(new Date(context.now.getTime() + MAX_DUE_DAYS * 86_400_000));
    if (update.dueDate <= today) {
      issues.push({ path: 'dueDate', message: `must be after today (${today})` });
    } else if (update.dueDate > latest) {
      issues.push({ path: 'dueDate', message: `must be on or before ${latest}` });
    }
  }
  if (issues.length > 0) {
    throw new ValidationError(
      `Invalid referral update: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      issues,
    );
  }

  const moved = applyDecisions(
    state,
    (update.moveFindingIds ?? []).map((findingId) => ({
      findingId,
      decision: 'REFER' as const,
      departmentId: referral.departmentId,
      reason: update.reason ?? '',
    })),
    { ...context, departments: new Map([[referral.departmentId, true]]) },
    'moveFindingIds',
  );
  const target = moved.referrals.find((r) => r.id === referralId) ?? structuredClone(referral);
  if (target.status !== 'DRAFT') {
    throw new ConflictError(`Referral ${referralId} is ${target.status}: the review is over`);
  }
  const updated: ReferralItem = {
    ...target,
    ...(update.committeeId !== undefined ? { committeeId: update.committeeId } : {}),
    ...(update.dueDate !== undefined ? { dueDate: update.dueDate } : {}),
    updatedAt: context.at,
  };
  return {
    findings: moved.findings,
    referrals: [...moved.referrals.filter((r) => r.id !== referralId), updated],
    deletedReferralIds: moved.deletedReferralIds,
  };
};

export type ApprovalCheck = z.output<typeof approvalCheckSchema>;

/**
 * Whether the review may be approved: every finding that needs referral is decided (a finding
 * triage routed into a draft referral counts as proposed for referral, which approval
 * confirms), and every referral has a supervising committee and a due date.
 */
export const checkApproval = (state: ReviewState): ApprovalCheck => {
  const undecided = [...state.findings.values()]
    .filter((finding) => finding.needsReferral && !finding.decision && !finding.referralId)
    .map((finding) => finding.id)
    .sort();
  const incomplete = [...state.referrals.values()]
    .filter((referral) => referral.findingIds.length > 0)
    .map((referral) => ({
      referralId: referral.id,
      missing: [
        ...(referral.committeeId ? [] : ['committeeId' as const]),
        ...(referral.dueDate ? [] : ['dueDate' as const]),
      ],
    }))
    .filter((entry) => entry.missing.length > 0)
    .sort((a, b) => (a.referralId < b.referralId ? -1 : 1));
  return { ready: undecided.length === 0 && incomplete.length === 0, undecided, incomplete };
};
