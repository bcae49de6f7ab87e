// unit test fixtures for the audit statistics tests
import type { ReferralFacts } from '../../../../functions/audit-stats/items';

/** What the statistics know of one referral: a closed, resolved one to the water authority. */
export const referralFacts = (overrides: Partial<ReferralFacts> = {}): ReferralFacts => ({
  referralId: 'R1',
  activityId: 'A1',
  departmentId: 'dept-water',
  status: 'CLOSED',
  sentAt: '2020-07-10T00:00:00.000Z',
  acknowledged: true,
  answeredAt: '2020-07-15T00:00:00.000Z',
  result: 'RESOLVED',
  overdue: false,
  returnedBy: [],
  ratings: { SATISFIED: 1, BASICALLY_SATISFIED: 0, NOT_SATISFIED: 0 },
  closed: true,
  ...overrides,
});
