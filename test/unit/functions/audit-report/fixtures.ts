// unit test fixtures for the activity report (plain data, no SDK)
import type { ActivityReport } from '../../../../functions/activity-workflow/report.js';
import type { ReferralFactsSource } from '../../../../functions/audit-stats/items.js';
import type { ReportViewInput } from '../../../../functions/audit-report/model.js';
import { DEMO_JURISDICTION } from '../../../../infra/local/demo-jurisdiction';

export const ACTIVITY_ID = '01JABCDEFGHJKMNPQRSTVWXYZ0';
export const REFERRAL_A = '01JABCDEFGHJKMNPQRSTVWXYZA';
export const REFERRAL_B = '01JABCDEFGHJKMNPQRSTVWXYZB';

/** Text that would break out of an element, an attribute or a header if not escaped. */
export const HOSTILE = `<script>alert(1)</script>"'><img src=x onerror=alert(2)>&amp;\r\nBcc: x@evil.example`;

export const report = (overrides: Partial<ActivityReport> = {}): ActivityReport => ({
  // dep-0020 sits at MUNICIPAL and DISTRICT: once at each level, once in the total of 3.
  personTimes: { byLevel: { MUNICIPAL: 1, DISTRICT: 3, TOWN: 1 }, total: 3 },
  attendance: { invited: 4, checkedIn: 3 },
  findings: {
    total: 6,
    byKind: { PROBLEM: 4, SUGGESTION: 2 },
    byCategory: { DRAINAGE: 3, EDUCATION: 2, OTHER: 1 },
    needingReferral: 5,
    referred: 4,
    merged: 1,
    answeredDirectly: 1,
    noAction: 0,
    unrouted: 0,
  },
  referrals: {
    total: 2,
    dispatched: 2,
    byDepartment: [
      { departmentId: 'dept-water', referralId: REFERRAL_A, findings: 3, status: 'DISPATCHED' },
      { departmentId: 'dept-education', referralId: REFERRAL_B, findings: 1, status: 'DISPATCHED' },
    ],
  },
  ...overrides,
});

export const referrals = (): ReferralFactsSource[] => [
  {
    id: REFERRAL_A,
    activityId: ACTIVITY_ID,
    departmentId: 'dept-water',
    status: 'CLOSED',
    sent: { at: '2026-07-13T01:00:00.000Z' },
    acknowledgedAt: '2026-07-14T01:00:00.000Z',
    closedAt: '2026-07-30T01:00:00.000Z',
    outcome: {
      result: 'RESOLVED',
      answeredAt: '2026-07-20T01:00:00.000Z',
      answeredOnTime: true,
      // 2 of 3 satisfied or basically satisfied: 满意率 66.7%.
      ratings: { SATISFIED: 1, BASICALLY_SATISFIED: 1, NOT_SATISFIED: 1 },
    },
  },
  {
    id: REFERRAL_B,
    activityId: ACTIVITY_ID,
    departmentId: 'dept-education',
    status: 'OVERDUE',
    sent: { at: '2026-07-13T01:00:00.000Z' },
    overdueAt: '2026-08-13T01:00:00.000Z',
  },
];

export const viewInput = (overrides: Partial<ReportViewInput> = {}): ReportViewInput => ({
  activity: {
    id: ACTIVITY_ID,
    title: '代表接待日',
    type: 'RECEPTION_DAY',
    street: 'WENCHONG',
    location: '文冲人大代表联络站',
    startsAt: '2026-07-12T01:30:00.000Z',
    endsAt: '2026-07-12T05:30:00.000Z',
    status: 'COMPLETED',
    completedAt: '2026-07-12T09:00:00.000Z',
    details: { liaisonStations: ['文冲人大代表联络站', '新龙人大代表联络站'] },
  },
  report: report(),
  referrals: referrals(),
  departmentNames: new Map([
    ['dept-water', '区水务局'],
    ['dept-education', '区教育局'],
  ]),
  jurisdiction: DEMO_JURISDICTION,
  now: new Date('2026-08-20T02:00:00.000Z'),
  ...overrides,
});
