import { batchGetByKey } from './batch-get.js';
import type { Store } from './activities.js';
import { keys, type ListingKey, type PrimaryKey } from './keys.js';
import { queryAll } from './query.js';
import type { FindingContent } from '../domain/finding-fields.js';

/**
 * The store of findings (`pk=ACTIVITY#<id> sk=FINDING#<findingId>`): the item's type and every
 * read of findings. Writes are parts of the transactions that record, triage, decide and erase
 * (each with its audit record in the same step).
 */

/**
 * A resident whose problem an organiser (or a deputy) records. Personal data, kept minimal: it
 * is shown only to organisers and to whoever recorded it, never to other deputies or auditors,
 * and never enters a workflow payload or an audit record. Name and contact are erased when
 * their retention ends or at the resident's request (docs/privacy.md); the consent flag stays.
 */
export interface Resident {
  name?: string;
  contact?: string;
  consentToContact: boolean;
}

export interface RaisedBy {
  /** The deputy who raised it (or received it from a resident). */
  deputyId?: string;
  resident?: Resident;
}

interface DecisionBase {
  reason: string;
  decidedBy: string;
  decidedAt: string;
}

export type FindingDecision =
  | (DecisionBase & { type: 'REFER'; departmentId: string })
  | (DecisionBase & { type: 'MERGE'; intoFindingId: string })
  | (DecisionBase & { type: 'ANSWER_DIRECTLY'; answer: string })
  | (DecisionBase & { type: 'NO_ACTION' });

/** `pk=ACTIVITY#<id> sk=FINDING#<findingId>`: its content (finding-fields.ts) and its record. */
export type FindingItem = PrimaryKey & FindingContent & FindingRecordFields;

interface FindingRecordFields {
  entity: 'FINDING';
  id: string;
  activityId: string;
  raisedBy: RaisedBy;
  /** Cognito `sub` of whoever recorded it. */
  recordedBy: string;
  recordedAt: string;
  /** The draft (later approved) referral that lists it. */
  referralId?: string;
  /** Triage found no routing rule (or only an inactive department) for it. */
  unrouted?: boolean;
  decision?: FindingDecision;
  /**
   * Salted commitment to the resident's name and contact, which the content hash covers instead
   * of the values (functions/findings/resident.ts). Absent on findings recorded before it: their
   * content hash covers the values (docs/privacy.md, "Older findings").
   */
  residentSeal?: { salt?: string; commitment: string };
  /** Digests of the resident lookup entries (`keys.residentLookup`), deleted at erasure. */
  residentLookupDigests?: string[];
  /** When the resident's name and contact are due for erasure (set when retention starts). */
  eraseAfter?: string;
  /** What started the retention: the last carrying referral closed, the activity ended. */
  retentionFrom?: {
    at: string;
    cause: 'REFERRALS_CLOSED' | 'ACTIVITY_COMPLETED' | 'ACTIVITY_CANCELLED';
  };
  /** Set when the name and contact were erased. */
  residentErasure?: { at: string; reason: 'RETENTION' | 'REQUEST'; by: string };
}

/** A finding with its resident erasure listing key while erasure is pending. */
export type FindingRecord = FindingItem & Partial<ListingKey>;

/** Every finding of an activity, in id (= time) order, strongly consistent. */
export const listFindings = (store: Store, activityId: string): Promise<FindingItem[]> =>
  queryAll<FindingItem>(store, keys.findingsOfActivity(activityId));

/**
 * The findings of an activity with these ids (a referral's), in that order, strongly
 * consistent; missing ones left out. BatchGet, 100 keys a call, unprocessed keys retried.
 */
export const getFindings = async (
  store: Store,
  activityId: string,
  findingIds: readonly string[],
): Promise<FindingItem[]> => {
  const found = await batchGetByKey<FindingItem>(
    store,
    findingIds.map((id) => [id, keys.finding(activityId, id)] as const),
    { consistentRead: true },
  );
  return findingIds.map((id) => found.get(id)).filter((f): f is FindingItem => f !== undefined);
};
