import type { ReferralItem } from '../shared/data/referrals.js';
import { createHash } from 'node:crypto';
import { contentOf } from '../shared/domain/finding-fields.js';
import type { FindingItem } from '../shared/data/findings.js';
import type { z } from 'zod/mini';
import type { findingViewSchema, reviewReferralViewSchema } from './schemas.js';

export { FINDING_KINDS, type FindingKind } from '../shared/domain/finding-fields.js';

/** What the review (主任会议) may decide for a finding. */
export const DECISION_TYPES = ['REFER', 'MERGE', 'ANSWER_DIRECTLY', 'NO_ACTION'] as const;
export type DecisionType = (typeof DECISION_TYPES)[number];

export type {
  FindingDecision,
  FindingItem,
  FindingRecord,
  RaisedBy,
  Resident,
} from '../shared/data/findings.js';
import { pickFields, presentFields } from '../shared/domain/fields.js';

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
  ...pickFields(referral, ['id', 'activityId', 'departmentId', 'findingIds']),
  ...presentFields(referral, ['committeeId', 'dueDate']),
  status: referral.status,
  ...presentFields(referral, ['executionArn', 'approvedAt', 'dispatchedAt']),
});

export type ReferralView = z.output<typeof reviewReferralViewSchema>;
