import type { FindingItem } from '../findings/model.js';
import { holdsPersonalData } from '../findings/resident.js';

/**
 * How long a resident's name and contact are kept (docs/privacy.md, "How long"): pure rules.
 * The clock starts when the purpose they were collected for ends — the last referral that
 * carries the finding closed, or, for a finding no referral carries, the activity completed —
 * and runs for the retention period (`RESIDENT_RETENTION`, an ISO 8601 duration, 6 months by
 * default).
 */

export const DEFAULT_RESIDENT_RETENTION = 'P6M';

export interface Retention {
  years: number;
  months: number;
  days: number;
  seconds: number;
}

const DURATION =
  /^P(?:(\d{1,3})Y)?(?:(\d{1,4})M)?(?:(\d{1,5})D)?(?:T(?:(\d{1,6})H)?(?:(\d{1,7})M)?(?:(\d{1,9})S)?)?$/;

/**
 * An ISO 8601 duration of years, months, days, hours, minutes and seconds (`P6M`, `P180D`,
 * `PT30S`); empty or absent = {@link DEFAULT_RESIDENT_RETENTION}. Zero is refused: personal
 * data is never erased before its purpose ended, and never at the instant it ends either.
 */
export const parseRetention = (value: string | undefined): Retention => {
  const text = value === undefined || value.trim() === '' ? DEFAULT_RESIDENT_RETENTION : value;
  const match = DURATION.exec(text.trim());
  if (!match || text.trim() === 'P' || text.trim().endsWith('T')) {
    throw new Error(
      `RESIDENT_RETENTION must be an ISO 8601 duration such as P6M or PT30S, got ${JSON.stringify(value)}`,
    );
  }
  const n = (index: number) => Number(match[index] ?? 0);
  const retention = {
    years: n(1),
    months: n(2),
    days: n(3),
    seconds: n(4) * 3600 + n(5) * 60 + n(6),
  };
  if (Object.values(retention).every((part) => part === 0)) {
    throw new Error('RESIDENT_RETENTION must be longer than zero');
  }
  return retention;
};

/**
 * `from` plus the retention, in calendar terms (UTC): months and years land on the same day of
 * the month, or the month's last day when it has no such day (31 August + 6 months = 28/29
 * February).
 */
export const addRetention = (from: Date, retention: Retention): Date => {
  const result = new Date(from.getTime());
  const months = retention.years * 12 + retention.months;
  if (months > 0) {
    const day = result.getUTCDate();
    result.setUTCDate(1);
    result.setUTCMonth(result.getUTCMonth() + months);
    const lastDay = new Date(
      Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0),
    ).getUTCDate();
    result.setUTCDate(Math.min(day, lastDay));
  }
  return new Date(result.getTime() + retention.days * 86_400_000 + retention.seconds * 1000);
};

/**
 * The referrals that carry a finding's resident: its own referral, and for a finding merged
 * into another (MERGE) the referral of the finding it was merged into, following merges.
 */
export const carryingReferralIds = (
  finding: FindingItem,
  findingsById: ReadonlyMap<string, FindingItem>,
): string[] => {
  const ids = new Set<string>();
  const seen = new Set<string>();
  for (let current: FindingItem | undefined = finding; current && !seen.has(current.id);) {
    seen.add(current.id);
    if (current.referralId) ids.add(current.referralId);
    current =
      current.decision?.type === 'MERGE'
        ? findingsById.get(current.decision.intoFindingId)
        : undefined;
  }
  return [...ids];
};

export interface RetentionStart {
  at: string;
  cause: 'REFERRALS_CLOSED' | 'ACTIVITY_COMPLETED' | 'ACTIVITY_CANCELLED';
}

const CLOSED = ['CLOSED', 'CLOSED_BY_COMMITTEE'];

/**
 * When the retention of a finding's resident starts, or undefined while it must not start yet
 * (or there is nothing to keep):
 * - with carrying referrals, when the last of them closed (none before every one is closed);
 * - without, when the activity completed (a consultation answered on the spot, a finding decided
 *   NO_ACTION, merged into one never referred ...);
 * - for a cancelled activity, when it was cancelled, or when the last of its carrying referrals
 *   already dispatched closed (one cancelled during dispatch); referrals never dispatched never
 *   go out and hold nothing up.
 */
export const retentionStartOf = (
  finding: FindingItem,
  context: {
    findingsById: ReadonlyMap<string, FindingItem>;
    referrals: ReadonlyMap<string, { status: string; closedAt?: string; dispatchedAt?: string }>;
    activity: { status: string; completedAt?: string; cancelledAt?: string };
  },
): RetentionStart | undefined => {
  if (!holdsPersonalData(finding.raisedBy.resident) || finding.residentErasure) return undefined;
  const { activity, referrals } = context;
  const cancelledAt = activity.status === 'CANCELLED' ? activity.cancelledAt : undefined;
  const carrying = carryingReferralIds(finding, context.findingsById).filter(
    (id) => !cancelledAt || referrals.get(id)?.dispatchedAt,
  );
  if (carrying.length > 0) {
    const times = cancelledAt ? [cancelledAt] : [];
    for (const id of carrying) {
      const referral = referrals.get(id);
      if (!referral?.closedAt || !CLOSED.includes(referral.status)) return undefined;
      times.push(referral.closedAt);
    }
    return { at: times.sort().at(-1)!, cause: 'REFERRALS_CLOSED' };
  }
  if (cancelledAt) return { at: cancelledAt, cause: 'ACTIVITY_CANCELLED' };
  if (activity.status === 'COMPLETED' && activity.completedAt) {
    return { at: activity.completedAt, cause: 'ACTIVITY_COMPLETED' };
  }
  return undefined;
};
