import type { ReferralItem } from '../shared/data/referrals.js';
import { createHash } from 'node:crypto';
import { contentOf, type FindingContent } from '../shared/domain/finding-fields.js';
import type { ListingKey, PrimaryKey } from '../shared/data/keys.js';
import type { z } from 'zod/mini';
import type { findingViewSchema, reviewReferralViewSchema } from './schemas.js';

export { FINDING_KINDS, type FindingKind } from '../shared/domain/finding-fields.js';

/** What the review (主任会议) may decide for a finding. */
export const DECISION_TYPES = ['REFER', 'MERGE', 'ANSWER_DIRECTLY', 'NO_ACTION'] as const;
export type DecisionType = (typeof DECISION_TYPES)[number];

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

// Crockford base32, as ids.ts: referral ids have the shape of every other id.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The referral of a department within an activity: one per department per activity, so the id
 * is derived from both (the activity id's time part, then 16 characters of a SHA-256). Triage
 * and the review find or create it without a lookup, and a retried step writes the same item.
 * It is also the referral workflow's execution name.
 */
export const referralIdOf = (activityId: string, departmentId: string): string => {
  const digest = createHash('sha256').update(`${activityId}#${departmentId}`, 'utf8').digest();
  let random = '';
  for (let i = 0; i < 16; i++) random += ALPHABET[digest[i]! % 32];
  return activityId.slice(0, 10) + random;
};

/** Who may see what of a finding. */
export interface FindingAudience {
  /** Organisers (in scope): everything. */
  full: boolean;
  /** The caller's `sub`: whoever recorded a finding sees its resident. */
  sub: string;
}

/**
 * A finding as the API shows it. Resident details only for organisers and the finding's author;
 * anyone else learns only that a resident raised it.
 */
export const toFindingView = (finding: FindingItem, audience: FindingAudience): FindingView => {
  const showResident = audience.full || finding.recordedBy === audience.sub;
  const { resident, deputyId } = finding.raisedBy;
  return {
    id: finding.id,
    activityId: finding.activityId,
    ...contentOf(finding),
    raisedBy: {
      ...(deputyId ? { deputyId } : {}),
      ...(resident
        ? { resident: showResident ? resident : { consentToContact: resident.consentToContact } }
        : {}),
    },
    recordedBy: finding.recordedBy,
    recordedAt: finding.recordedAt,
    ...(finding.referralId ? { referralId: finding.referralId } : {}),
    ...(finding.unrouted ? { unrouted: true } : {}),
    ...(finding.decision ? { decision: finding.decision } : {}),
    ...(finding.residentErasure && resident
      ? { residentErasedAt: finding.residentErasure.at }
      : {}),
  };
};

export type FindingView = z.output<typeof findingViewSchema>;

export const toReferralView = (referral: ReferralItem): ReferralView => ({
  id: referral.id,
  activityId: referral.activityId,
  departmentId: referral.departmentId,
  findingIds: referral.findingIds,
  ...(referral.committeeId ? { committeeId: referral.committeeId } : {}),
  ...(referral.dueDate ? { dueDate: referral.dueDate } : {}),
  status: referral.status,
  ...(referral.executionArn ? { executionArn: referral.executionArn } : {}),
  ...(referral.approvedAt ? { approvedAt: referral.approvedAt } : {}),
  ...(referral.dispatchedAt ? { dispatchedAt: referral.dispatchedAt } : {}),
});

export type ReferralView = z.output<typeof reviewReferralViewSchema>;
