import type { ReferralOutcome, Rating } from '../shared/data/referrals.js';

/** Statuses in which the department holds the referral of the current round. */
export const WITH_DEPARTMENT: readonly string[] = ['SENT', 'ACKNOWLEDGED', 'OVERDUE'];
export const CLOSED_STATUSES: readonly string[] = ['CLOSED', 'CLOSED_BY_COMMITTEE'];

/** Referral outcome counts kept on the activity (`referralOutcomes`), part of its report data. */
export interface ReferralOutcomeCounts {
  closed: number;
  closedByCommittee: number;
  answeredOnTime: number;
  answeredLate: number;
  reopened: number;
  byResult: Record<string, number>;
  ratings: Record<Rating, number>;
  referralIds: string[];
}

export const emptyOutcomeCounts = (): ReferralOutcomeCounts => ({
  closed: 0,
  closedByCommittee: 0,
  answeredOnTime: 0,
  answeredLate: 0,
  reopened: 0,
  byResult: {},
  ratings: { SATISFIED: 0, BASICALLY_SATISFIED: 0, NOT_SATISFIED: 0 },
  referralIds: [],
});

/** Adds one closed referral's outcome to the activity's counts (pure; idempotent by id). */
export const addOutcome = (
  counts: ReferralOutcomeCounts | undefined,
  referralId: string,
  outcome: ReferralOutcome,
): ReferralOutcomeCounts => {
  const next = structuredClone(counts ?? emptyOutcomeCounts());
  if (next.referralIds.includes(referralId)) return next;
  next.referralIds.push(referralId);
  if (outcome.status === 'CLOSED') next.closed++;
  else next.closedByCommittee++;
  if (outcome.answeredOnTime === true) next.answeredOnTime++;
  if (outcome.answeredOnTime === false) next.answeredLate++;
  if (outcome.reopened) next.reopened++;
  if (outcome.result) next.byResult[outcome.result] = (next.byResult[outcome.result] ?? 0) + 1;
  for (const rating of ['SATISFIED', 'BASICALLY_SATISFIED', 'NOT_SATISFIED'] as const) {
    next.ratings[rating] += outcome.ratings[rating];
  }
  return next;
};
