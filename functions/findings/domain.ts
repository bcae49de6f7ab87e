import { createHash } from 'node:crypto';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  activityStatusCheck,
  loadActivity,
  type ActivityRequest,
} from '../shared/data/activities.js';
import { getInvitation } from '../shared/data/invitations.js';
import { canonicalJson } from '../shared/data/audit.js';
import { keys } from '../shared/data/keys.js';
import { contentOf } from '../shared/domain/finding-fields.js';
import { putNew, writeTransaction } from '../shared/data/transact.js';
import {
  ConcurrentModificationError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  TransientError,
  ValidationError,
} from '../shared/errors.js';
import type { Caller } from '../shared/http/auth.js';
import { newId } from '../shared/ids.js';
import type { DomainLogger } from '../shared/observability.js';
import { endHumanStep, type EndHumanStepResult } from '../shared/workflow/phase-control.js';
import { toFindingView, type FindingItem, type FindingView, type RaisedBy } from './model.js';
import { holdsPersonalData, lookupDigestsOf, sealResident } from './resident.js';
import type { RecordFindingBody } from './schemas.js';
import {
  assertOrganiserFor,
  hasStatus,
  isOrganiserFor,
  statusOf,
  type ActivityRecord,
  type WorkflowStatus,
} from './store.js';
import { listFindings } from '../shared/data/findings.js';

export interface FindingsDeps {
  db: DynamoDBDocumentClient;
  tableName: string;
  /** The secret key of the resident lookup digests (needed to record a resident's details). */
  residentLookupKey?: () => Promise<string>;
  now?: () => Date;
  newId?: (now: Date) => string;
  logger?: DomainLogger;
}

/** Deputies record on site while check-in is open, and afterwards until findings close. */
export const RECORDING_STATUSES: readonly WorkflowStatus[] = ['CHECK_IN_OPEN', 'FINDINGS_OPEN'];

const MAX_ATTEMPTS = 5;

const notFound = (activityId: string) => new NotFoundError(`Activity ${activityId} not found`);

/**
 * Who raised a finding as its content hash covers it: with a resident seal, the resident's
 * consent and the salted commitment to their name and contact, never the values (so the hash
 * still verifies after erasure and cannot be used to test a guessed name); without one (findings
 * recorded before the seal existed) `raisedBy` as stored, the values included.
 */
const hashedRaisedBy = (finding: FindingItem) => {
  const { deputyId, resident } = finding.raisedBy;
  if (!finding.residentSeal || !resident) return finding.raisedBy;
  return {
    deputyId,
    resident: {
      consentToContact: resident.consentToContact,
      commitment: finding.residentSeal.commitment,
    },
  };
};

/**
 * SHA-256 over a finding's content: the audit record proves it unchanged. The resident enters
 * only through their salted commitment ({@link hashedRaisedBy}).
 */
export const findingContentHash = (finding: FindingItem): string =>
  createHash('sha256')
    .update(
      canonicalJson({
        id: finding.id,
        activityId: finding.activityId,
        ...contentOf(finding),
        raisedBy: hashedRaisedBy(finding),
        recordedBy: finding.recordedBy,
        recordedAt: finding.recordedAt,
      }),
      'utf8',
    )
    .digest('hex');

/**
 * The unchained audit record of a finding: what was recorded, by whom, when, without the
 * resident's details (only whether there is a resident, and the content hash that covers them).
 */
export const findingAuditRecord = (finding: FindingItem) => ({
  ...keys.findingAuditRecord(finding.activityId, finding.id),
  entity: 'AUDIT_FINDING',
  activityId: finding.activityId,
  findingId: finding.id,
  at: finding.recordedAt,
  actor: finding.recordedBy,
  action: 'FINDING_RECORDED',
  after: {
    ...contentOf(finding),
    raisedBy: {
      ...(finding.raisedBy.deputyId ? { deputyId: finding.raisedBy.deputyId } : {}),
      resident: finding.raisedBy.resident !== undefined,
    },
  },
  contentHash: findingContentHash(finding),
  // Which content hash this is: 2 = the resident by salted commitment (docs/privacy.md).
  ...(finding.residentSeal ? { contentHashVersion: 2 } : {}),
});

/**
 * Seals the finding's resident (salted commitment, docs/privacy.md) and returns the lookup
 * entries a resident's request finds it by: one per distinct digest of the normalised name and
 * contact, with the streets that scope who may see it. Nothing for a finding without a name or
 * contact.
 */
const residentLookupEntries = async (
  deps: FindingsDeps,
  activity: ActivityRecord,
  finding: FindingItem,
): Promise<Record<string, unknown>[]> => {
  const resident = finding.raisedBy.resident;
  if (!resident || !holdsPersonalData(resident)) return [];
  if (!deps.residentLookupKey) throw new Error('No resident lookup key configured');
  const digests = lookupDigestsOf(await deps.residentLookupKey(), resident);
  finding.residentSeal = sealResident(resident);
  finding.residentLookupDigests = digests;
  return digests.map((digest) => ({
    ...keys.residentLookup(digest, finding.activityId, finding.id),
    entity: 'RESIDENT_LOOKUP',
    activityId: finding.activityId,
    findingId: finding.id,
    activityStreet: activity.street,
    ...(finding.street ? { findingStreet: finding.street } : {}),
  }));
};

/** Who raised a finding: the calling deputy, or for an organiser a resident or an invitee. */
const raisedByFor = async (
  deps: FindingsDeps,
  activity: ActivityRecord,
  input: RecordFindingBody,
  caller: Caller,
): Promise<RaisedBy> => {
  const resident = input.resident
    ? {
        ...(input.resident.name ? { name: input.resident.name } : {}),
        ...(input.resident.contact ? { contact: input.resident.contact } : {}),
        consentToContact: input.resident.consentToContact,
      }
    : undefined;

  if (isOrganiserFor(caller, activity)) {
    if (!input.deputyId && !resident) {
      throw new ValidationError('An organiser records a finding for a resident or a deputy', [
        { path: 'resident', message: 'resident or deputyId is required' },
      ]);
    }
    if (input.deputyId && !(await getInvitation(deps, activity.id, input.deputyId))) {
      throw new ValidationError(`Deputy ${input.deputyId} is not invited to this activity`, [
        { path: 'deputyId', message: `deputy ${input.deputyId} is not invited` },
      ]);
    }
    return {
      ...(input.deputyId ? { deputyId: input.deputyId } : {}),
      ...(resident ? { resident } : {}),
    };
  }

  if (!caller.roles.includes('deputy')) {
    // An organiser of another street, or an auditor: the activity is not theirs to see.
    throw caller.roles.includes('organiser')
      ? notFound(activity.id)
      : new ForbiddenError('Only deputies and organisers record findings');
  }
  if (!(await getInvitation(deps, activity.id, caller.deputyId))) throw notFound(activity.id);
  if (input.deputyId && input.deputyId !== caller.deputyId) {
    throw new ForbiddenError('A deputy records findings in their own name only');
  }
  return { deputyId: caller.deputyId, ...(resident ? { resident } : {}) };
};

/**
 * Records a finding with its unchained audit record, in one transaction that also checks the
 * activity still takes findings. Findings from hundreds of deputies do not contend on the
 * activity's chain head; CloseFindings seals them. A transaction that lost a race with another
 * finding is retried; one that lost against the close is refused (409).
 */
export const recordFinding = async (
  deps: FindingsDeps,
  { activityId, body: input, caller }: ActivityRequest<RecordFindingBody>,
): Promise<FindingView> => {
  let activity = await loadActivity<ActivityRecord>(deps, activityId);
  const raisedBy = await raisedByFor(deps, activity, input, caller);
  const now = (deps.now ?? (() => new Date()))();
  const id = (deps.newId ?? newId)(now);
  const finding: FindingItem = {
    ...keys.finding(activityId, id),
    entity: 'FINDING',
    id,
    activityId,
    ...contentOf(input),
    raisedBy,
    recordedBy: caller.sub,
    recordedAt: now.toISOString(),
    // The deputy's duty record finds it by this key (functions/audit-stats).
    ...(raisedBy.deputyId ? keys.findingOwnership(raisedBy.deputyId, activity.startsAt, id) : {}),
  };
  const lookupEntries = await residentLookupEntries(deps, activity, finding);

  for (let attempt = 1; ; attempt++) {
    if (!hasStatus(activity, ...RECORDING_STATUSES)) {
      throw new ConflictError(
        `Activity ${activityId} does not take findings now (status ${statusOf(activity)})`,
      );
    }
    try {
      await writeTransaction(deps.db, [
        putNew(deps.tableName, finding),
        putNew(deps.tableName, findingAuditRecord(finding)),
        ...lookupEntries.map((entry) => putNew(deps.tableName, entry)),
        activityStatusCheck(deps.tableName, activityId, ['CHECK_IN_OPEN', 'FINDINGS_OPEN']),
      ]);
      return toFindingView(finding, { full: true, sub: caller.sub });
    } catch (error) {
      if (!(error instanceof ConcurrentModificationError)) throw error;
      if (attempt >= MAX_ATTEMPTS) {
        throw new TransientError('Too many findings at once; retry later', { cause: error });
      }
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 25 * 2 ** attempt));
      activity = await loadActivity<ActivityRecord>(deps, activityId);
    }
  }
};

/**
 * Findings of an activity as `caller` may see them: organisers (in scope) and auditors every
 * finding (auditors without residents' details), a deputy invited to it only their own.
 */
export const readFindings = async (
  deps: FindingsDeps,
  activityId: string,
  caller: Caller,
): Promise<{ findings: FindingView[] }> => {
  const activity = await loadActivity<ActivityRecord>(deps, activityId);
  const organiser = isOrganiserFor(caller, activity);
  const all = await (async () => {
    if (organiser || caller.roles.includes('auditor')) return listFindings(deps, activityId);
    if (
      caller.roles.includes('deputy') &&
      (await getInvitation(deps, activityId, caller.deputyId))
    ) {
      const findings = await listFindings(deps, activityId);
      return findings.filter(
        (finding) =>
          finding.recordedBy === caller.sub || finding.raisedBy.deputyId === caller.deputyId,
      );
    }
    throw notFound(activityId);
  })();
  return {
    findings: all.map((finding) => toFindingView(finding, { full: organiser, sub: caller.sub })),
  };
};

/** `POST .../findings/close`: ends the FINDINGS human step (the workflow seals them next). */
export const closeFindingsPhase = async (
  deps: FindingsDeps & { sfn: SFNClient },
  activityId: string,
  caller: Caller,
): Promise<EndHumanStepResult> =>
  endHumanStep(deps, {
    activityId,
    phase: 'FINDINGS',
    actor: caller.sub,
    authorize: (activity) => assertOrganiserFor(caller, activity),
  });
