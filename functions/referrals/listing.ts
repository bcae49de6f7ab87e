import { keys, type ListingKey } from '../shared/data/keys.js';
import { dueInstantOf } from '../shared/domain/deadlines.js';
import { CLOSED_STATUSES } from './model.js';

/** What the 督办 list entry of a referral follows: its committee, due date and closure. */
export interface ReferralListingSource {
  id: string;
  status: string;
  committeeId?: string | undefined;
  dueDate?: string | undefined;
  dueAt?: string | undefined;
}

/** The due instant a referral's listing sorts by, absent while it has no due date (a draft). */
export const listedDueOf = (referral: Omit<ReferralListingSource, 'id' | 'status'>) =>
  referral.dueAt || referral.dueDate ? dueInstantOf(referral).toISOString() : undefined;

/**
 * The listing attributes (`GET /referrals`, keys.referralListing) of a referral as it is after
 * a change: every write that sets a referral's status, committee or due date puts these with
 * it, so the 督办 list never shows a stale due date or an open referral that has closed.
 */
export const referralListingOf = (referral: ReferralListingSource): ListingKey =>
  keys.referralListing({
    referralId: referral.id,
    committeeId: referral.committeeId,
    closed: CLOSED_STATUSES.includes(referral.status),
    due: listedDueOf(referral),
  });

/**
 * The listing attributes after a change that sets `set` and removes `remove` on `referral`
 * (the shape of an audited head change, functions/shared/data/audit.ts).
 */
export const referralListingAfter = (
  referral: ReferralListingSource,
  set: Record<string, unknown>,
  remove: readonly string[] = [],
): ListingKey => {
  const after: Record<string, unknown> = { ...referral, ...set };
  for (const name of remove) delete after[name];
  return referralListingOf(after as unknown as ReferralListingSource);
};
