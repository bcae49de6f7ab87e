import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { scopeOf } from '../shared/http/auth.js';
import { findingContentHash } from '../findings/domain.js';
import type { FindingItem, FindingRecord } from '../findings/model.js';
import {
  holdsPersonalData,
  lookupDigestsOf,
  normaliseContact,
  normaliseName,
  PERSONAL_FIELDS,
} from '../findings/resident.js';
import {
  changeActivity,
  type ActivityRecord,
  type Store,
  type TransactItem,
} from '../findings/store.js';
import { listFindings } from '../shared/data/findings.js';
import { queryAll } from '../shared/data/query.js';
import { batchGetByKey } from '../shared/data/batch-get.js';
import { keys } from '../shared/data/keys.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../shared/errors.js';
import type { Caller } from '../shared/http/auth.js';
import type { DomainLogger } from '../shared/observability.js';
import { addRetention, retentionStartOf, type Retention } from './retention.js';
import { loadActivity } from '../shared/data/activities.js';
import { withConflictRetry } from '../shared/data/transact.js';
import { getReferrals } from '../shared/data/referrals.js';

export interface PrivacyDeps extends Store {
  now?: () => Date;
  logger?: DomainLogger;
}

const clock = (deps: { now?: () => Date }) => (deps.now ?? (() => new Date()))();

/** The actor of erasures the retention job makes. */
export const RETENTION_ACTOR = 'retention';

const getFinding = async (
  deps: Store,
  activityId: string,
  findingId: string,
): Promise<FindingRecord | undefined> =>
  (
    await deps.db.send(
      new GetCommand({
        TableName: deps.tableName,
        Key: keys.finding(activityId, findingId),
        ConsistentRead: true,
      }),
    )
  ).Item as FindingRecord | undefined;

// --- Retention: when the clock starts -------------------------------------------------------

/**
 * Starts the retention of every resident of the activity whose purpose has ended (the last
 * carrying referral closed, the activity completed with no referral carrying them, or it was
 * cancelled): sets `eraseAfter` and the erasure listing key on the finding, once (conditional).
 * Called after a referral closes, the activity completes or is cancelled; a retry finds the work
 * done.
 */
export const startResidentRetention = async (
  deps: PrivacyDeps & { retention: Retention },
  activityId: string,
): Promise<{ scheduled: number }> => {
  const activity = await loadActivity<ActivityRecord>(deps, activityId);
  const findings = await listFindings(deps, activityId);
  const pending = findings.filter(
    (finding) =>
      holdsPersonalData(finding.raisedBy.resident) &&
      !finding.eraseAfter &&
      !finding.residentErasure,
  );
  if (pending.length === 0) return { scheduled: 0 };
  const findingsById = new Map(findings.map((finding) => [finding.id, finding]));
  const referralIds = findings.map((f) => f.referralId).filter((id): id is string => !!id);
  const referrals = await getReferrals(deps, referralIds);
  const activityFacts = activity as ActivityRecord & { completedAt?: string };
  let scheduled = 0;
  for (const finding of pending) {
    const start = retentionStartOf(finding, {
      findingsById,
      referrals: referrals as ReadonlyMap<
        string,
        { status: string; closedAt?: string; dispatchedAt?: string }
      >,
      activity: {
        status: activity.status,
        completedAt: activityFacts.completedAt,
        cancelledAt: activity.cancellation?.at,
      },
    });
    if (!start) continue;
    const eraseAfter = addRetention(new Date(start.at), deps.retention).toISOString();
    const listing = keys.residentErasureDue(eraseAfter, activityId, finding.id);
    try {
      await deps.db.send(
        new UpdateCommand({
          TableName: deps.tableName,
          Key: keys.finding(activityId, finding.id),
          UpdateExpression:
            'SET eraseAfter = :eraseAfter, retentionFrom = :from, listPk = :listPk, listSk = :listSk',
          ConditionExpression:
            'attribute_exists(pk) AND attribute_not_exists(eraseAfter) AND attribute_not_exists(residentErasure)',
          ExpressionAttributeValues: {
            ':eraseAfter': eraseAfter,
            ':from': start,
            ':listPk': listing.listPk,
            ':listSk': listing.listSk,
          },
        }),
      );
      scheduled++;
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
  }
  if (scheduled > 0) deps.logger?.info('Resident retention started', { activityId, scheduled });
  return { scheduled };
};

// --- Erasure ---------------------------------------------------------------------------------

export interface ErasureRequest {
  activityId: string;
  findingId: string;
  reason: 'RETENTION' | 'REQUEST';
  /** Who erases: an organiser's `sub`, or {@link RETENTION_ACTOR}. */
  actor: string;
  /** Why, for an early erasure at the resident's request (required then). */
  requestReason?: string;
}

/** Whether `text` spells the person's name or contact (normalised as the lookup normalises). */
const mentionsPerson = (text: string, resident: { name?: string; contact?: string }): boolean => {
  const squashed = normaliseName(text);
  const digits = text.replace(/\D/gu, '');
  const name = resident.name ? normaliseName(resident.name) : '';
  const contact = resident.contact ? normaliseContact(resident.contact) : '';
  return (
    (name.length > 0 && squashed.includes(name)) ||
    (contact.length > 0 &&
      (squashed.includes(contact) || (/^\d+$/.test(contact) && digits.includes(contact))))
  );
};

/**
 * Erases a finding's resident's name and contact (the consent flag stays), in one transaction
 * with a RESIDENT_ERASED event on the activity's chain: the name, the contact and the salt of
 * their commitment are removed from the finding, its lookup entries deleted and its erasure
 * listing key removed. The event names the finding, why, and the commitment that the sealed
 * audit record's content hash still covers, so the finding keeps verifying against its record.
 */
export const eraseResident = async (
  deps: PrivacyDeps,
  request: ErasureRequest,
): Promise<FindingRecord> =>
  withConflictRetry(async () => {
    const { activityId, findingId } = request;
    const [activity, finding] = await Promise.all([
      loadActivity<ActivityRecord>(deps, activityId),
      getFinding(deps, activityId, findingId),
    ]);
    if (!finding) throw new NotFoundError(`Finding ${findingId} not found`);
    const resident = finding.raisedBy.resident;
    if (finding.residentErasure) {
      throw new ConflictError(`The resident of finding ${findingId} is already erased`);
    }
    if (!resident || !holdsPersonalData(resident)) {
      throw new ConflictError(`Finding ${findingId} holds no resident's name or contact`);
    }
    if (request.reason === 'REQUEST') {
      if (!request.requestReason) {
        throw new ValidationError('A reason is required', [
          { path: 'reason', message: 'required' },
        ]);
      }
      // The reason goes into the audit trail for good: it must not carry what is being erased.
      if (mentionsPerson(request.requestReason, resident)) {
        throw new ValidationError('The reason must not contain the name or contact being erased', [
          { path: 'reason', message: 'must not contain the name or contact being erased' },
        ]);
      }
    }
    const at = clock(deps).toISOString();
    const erasure = { at, reason: request.reason, by: request.actor };
    const fields = PERSONAL_FIELDS.filter((field) => resident[field] !== undefined);
    const commitment = finding.residentSeal?.commitment;
    // A finding recorded before the seal: its sealed content hash covers the values; checked
    // one last time now, and the answer kept in the event (docs/privacy.md, "Older findings").
    const legacy = commitment
      ? {}
      : { legacyContentHashMatched: await legacyContentHashMatches(deps, finding) };
    const items: TransactItem[] = [
      {
        Update: {
          TableName: deps.tableName,
          Key: keys.finding(activityId, findingId),
          UpdateExpression:
            'SET residentErasure = :erasure REMOVE raisedBy.resident.#name, raisedBy.resident.#contact, listPk, listSk, residentLookupDigests' +
            (finding.residentSeal?.salt ? ', residentSeal.salt' : ''),
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(residentErasure)',
          ExpressionAttributeNames: { '#name': 'name', '#contact': 'contact' },
          ExpressionAttributeValues: { ':erasure': erasure },
        },
      },
      ...(finding.residentLookupDigests ?? []).map((digest) => ({
        Delete: {
          TableName: deps.tableName,
          Key: keys.residentLookup(digest, activityId, findingId),
        },
      })),
    ];
    await changeActivity(
      deps,
      activity,
      {
        actor: request.actor,
        action: 'RESIDENT_ERASED',
        before: null,
        after: {
          findingId,
          reason: request.reason,
          ...(request.requestReason ? { requestReason: request.requestReason } : {}),
          fields,
          ...(commitment ? { residentCommitment: commitment } : legacy),
          ...(finding.eraseAfter ? { eraseAfter: finding.eraseAfter } : {}),
        },
        items,
      },
      at,
    );
    deps.logger?.info('Resident erased', { activityId, findingId, reason: request.reason });
    const { name: _name, contact: _contact, ...kept } = resident;
    const { salt: _salt, ...seal } = finding.residentSeal ?? { commitment: '' };
    const { listPk: _listPk, listSk: _listSk, residentLookupDigests: _digests, ...rest } = finding;
    return {
      ...rest,
      raisedBy: { ...finding.raisedBy, resident: kept },
      ...(finding.residentSeal ? { residentSeal: seal } : {}),
      residentErasure: erasure,
    };
  });

const legacyContentHashMatches = async (deps: Store, finding: FindingItem): Promise<boolean> => {
  const record = (
    await deps.db.send(
      new GetCommand({
        TableName: deps.tableName,
        Key: keys.findingAuditRecord(finding.activityId, finding.id),
        ConsistentRead: true,
      }),
    )
  ).Item as { contentHash?: string } | undefined;
  return record?.contentHash === findingContentHash(finding);
};

/**
 * The retention job: erases every resident whose `eraseAfter` is at or before `asOf` (the
 * scheduled time of the run), found by the erasure listing (no scan). An entry the listing
 * still shows but that is already erased, or not due after all, is skipped.
 */
export const eraseDueResidents = async (
  deps: PrivacyDeps,
  asOf: Date,
): Promise<{ erased: number; skipped: number }> => {
  const due = await queryAll<FindingRecord>(
    deps,
    keys.residentErasuresDueBy(asOf.toISOString()),
    false,
  );
  let erased = 0;
  let skipped = 0;
  for (const entry of due) {
    const finding = await getFinding(deps, entry.activityId, entry.id);
    if (
      !finding ||
      finding.residentErasure ||
      !finding.eraseAfter ||
      Date.parse(finding.eraseAfter) > asOf.getTime()
    ) {
      skipped++;
      continue;
    }
    try {
      await eraseResident(deps, {
        activityId: finding.activityId,
        findingId: finding.id,
        reason: 'RETENTION',
        actor: RETENTION_ACTOR,
      });
      erased++;
    } catch (error) {
      // Erased meanwhile (an early erasure at the resident's request): nothing left to do.
      if (!(error instanceof ConflictError) || error.name === 'ConcurrentModificationError') {
        throw error;
      }
      skipped++;
    }
  }
  deps.logger?.info('Retention run', { asOf: asOf.toISOString(), erased, skipped });
  return { erased, skipped };
};

// --- A resident's request --------------------------------------------------------------------

/** Whether an organiser may act for this finding: district scope, or its street. */
const inScope = (
  caller: Caller,
  streets: { activityStreet?: string; findingStreet?: string },
): boolean => {
  if (!caller.roles.includes('organiser')) return false;
  const scope = scopeOf(caller);
  if (scope === undefined) return true;
  return scope === streets.activityStreet || scope === streets.findingStreet;
};

export interface PersonQuery {
  name?: string;
  contact?: string;
}

export interface ResidentFindingsDeps extends PrivacyDeps {
  residentLookupKey: () => Promise<string>;
}

/**
 * The findings that carry a person's name or contact, as far as the caller's scope reaches:
 * one Query per lookup digest (name, contact), then the findings by key. A finding found under
 * the name only is returned too (a resident may not remember the phone they gave); each says
 * which of the two matched.
 */
export const findResidentFindings = async (
  deps: ResidentFindingsDeps,
  caller: Caller,
  query: PersonQuery,
): Promise<{ finding: FindingRecord; activity: ActivityRecord; matched: string[] }[]> => {
  const key = await deps.residentLookupKey();
  const byField = {
    name: query.name ? lookupDigestsOf(key, { name: query.name }) : [],
    contact: query.contact ? lookupDigestsOf(key, { contact: query.contact }) : [],
  };
  const matches = new Map<
    string,
    { activityId: string; findingId: string; matched: Set<string> }
  >();
  for (const [field, digests] of Object.entries(byField)) {
    for (const digest of digests) {
      const entries = await queryAll<{
        activityId: string;
        findingId: string;
        activityStreet?: string;
        findingStreet?: string;
      }>(deps, keys.findingsOfResident(digest));
      for (const entry of entries) {
        if (!inScope(caller, entry)) continue;
        const id = `${entry.activityId}#${entry.findingId}`;
        const match = matches.get(id) ?? {
          activityId: entry.activityId,
          findingId: entry.findingId,
          matched: new Set<string>(),
        };
        match.matched.add(field);
        matches.set(id, match);
      }
    }
  }
  const list = [...matches.values()];
  const findings = await batchGetByKey<FindingRecord>(
    deps,
    list.map((m) => [`${m.activityId}#${m.findingId}`, keys.finding(m.activityId, m.findingId)]),
    { consistentRead: true },
  );
  const activities = await batchGetByKey<ActivityRecord>(
    deps,
    [...new Set(list.map((m) => m.activityId))].map((id) => [id, keys.activity(id)]),
    { consistentRead: true },
  );
  return list
    .flatMap((m) => {
      const finding = findings.get(`${m.activityId}#${m.findingId}`);
      const activity = activities.get(m.activityId);
      // Scope again on the stored items, not only the lookup entry: fails closed.
      if (
        !finding ||
        !activity ||
        finding.residentErasure ||
        !inScope(caller, { activityStreet: activity.street, findingStreet: finding.street })
      ) {
        return [];
      }
      return [{ finding, activity, matched: [...m.matched].sort() }];
    })
    .sort((a, b) => (a.finding.recordedAt < b.finding.recordedAt ? -1 : 1));
};

/**
 * `POST .../resident/erasure` at a resident's request: the organiser must be in scope of the
 * finding (403 otherwise; 404 for a finding that does not exist).
 */
export const eraseResidentOnRequest = async (
  deps: PrivacyDeps,
  caller: Caller,
  input: { activityId: string; findingId: string; reason: string },
): Promise<FindingRecord> => {
  const [activity, finding] = await Promise.all([
    loadActivity<ActivityRecord>(deps, input.activityId),
    getFinding(deps, input.activityId, input.findingId),
  ]);
  if (!finding) throw new NotFoundError(`Finding ${input.findingId} not found`);
  if (!inScope(caller, { activityStreet: activity.street, findingStreet: finding.street })) {
    throw new ForbiddenError('This finding is outside your street');
  }
  return eraseResident(deps, {
    activityId: input.activityId,
    findingId: input.findingId,
    reason: 'REQUEST',
    actor: caller.sub,
    requestReason: input.reason,
  });
};
