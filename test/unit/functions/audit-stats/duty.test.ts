// Unit test (pure functions, no SDK): what a completed activity writes into each deputy's duty
// record, and the summary read back from the counters.
import { describe, expect, it } from 'vitest';
import { dutySummaryFromCounts } from '../../../../functions/audit-stats/domain';
import {
  dutyEntriesOf,
  dutyYearOf,
  entryContribution,
  outcomeCounts,
} from '../../../../functions/audit-stats/duty';
import type { ReferralFactsSource } from '../../../../functions/audit-stats/items';

const activity = {
  id: 'act-1',
  title: '接待日',
  type: 'RECEPTION_DAY',
  street: 'HONGSHAN',
  startsAt: '2026-12-31T17:00:00.000Z',
};

const finding = (
  id: string,
  deputyId: string | undefined,
  extra: Partial<{ kind: string; category: string; referralId: string; recordedAt: string }> = {},
) => ({
  id,
  kind: extra.kind ?? 'PROBLEM',
  category: extra.category ?? 'TRANSPORT',
  recordedAt: extra.recordedAt ?? '2027-01-01T01:00:00.000Z',
  needsReferral: extra.referralId !== undefined,
  ...(extra.referralId ? { referralId: extra.referralId, decision: { type: 'REFER' } } : {}),
  raisedBy: deputyId ? { deputyId } : {},
});

const referral = (id: string, closed: boolean, result?: string): ReferralFactsSource =>
  ({
    id,
    activityId: 'act-1',
    departmentId: 'dept-1',
    status: closed ? 'CLOSED' : 'SENT',
    ...(closed ? { closedAt: '2027-02-01T00:00:00.000Z' } : {}),
    ...(result ? { reply: { result, at: '2027-01-20T00:00:00.000Z' } } : {}),
  }) as unknown as ReferralFactsSource;

describe('dutyEntriesOf', () => {
  it('one entry per deputy who checked in or raised a finding; drafts are no referral', () => {
    const entries = dutyEntriesOf(
      activity,
      [
        { deputyId: 'dep-b', checkedInAt: '2027-01-01T00:10:00.000Z', checkInMethod: 'QR' },
        { deputyId: 'dep-a' },
      ],
      [
        finding('f-2', 'dep-a', {
          referralId: 'ref-draft',
          recordedAt: '2027-01-01T02:00:00.000Z',
        }),
        finding('f-1', 'dep-a', { referralId: 'ref-1', recordedAt: '2027-01-01T01:00:00.000Z' }),
        finding('f-3', undefined),
      ],
      new Set(['ref-1']),
    );
    expect(entries.map((e) => [e.deputyId, e.attended])).toEqual([
      ['dep-a', false],
      ['dep-b', true],
    ]);
    expect(entries[0]!.findings.map((f) => [f.findingId, f.referralId])).toEqual([
      ['f-1', 'ref-1'],
      ['f-2', null],
    ]);
    expect(entries[1]).toMatchObject({ checkedInAt: '2027-01-01T00:10:00.000Z', findings: [] });
  });

  it('the duty year is the China year the activity starts in', () => {
    // 17:00 UTC on 31 December is 01:00 on 1 January in Beijing.
    expect(dutyYearOf(activity.startsAt)).toBe(2027);
    expect(dutyYearOf('2027-12-31T15:59:59.000Z')).toBe(2027);
  });
});

describe('entryContribution', () => {
  it('counts attendance, findings and referrals; a closed outcome now, an open one later', () => {
    const [entry] = dutyEntriesOf(
      activity,
      [{ deputyId: 'dep-a', checkedInAt: '2027-01-01T00:10:00.000Z' }],
      [
        finding('f-1', 'dep-a', { referralId: 'ref-closed' }),
        finding('f-2', 'dep-a', { referralId: 'ref-closed', kind: 'SUGGESTION' }),
        finding('f-3', 'dep-a', { referralId: 'ref-open', category: 'OTHER' }),
      ],
      new Set(['ref-closed', 'ref-open']),
    );
    const { counts, open } = entryContribution(
      entry!,
      new Map([
        ['ref-closed', referral('ref-closed', true, 'RESOLVED')],
        ['ref-open', referral('ref-open', false, 'RESOLVED')],
      ]),
    );
    expect(counts).toEqual({
      'n#activities': 1,
      'type#RECEPTION_DAY': 1,
      'n#findings': 3,
      'kind#PROBLEM': 2,
      'kind#SUGGESTION': 1,
      'category#TRANSPORT': 2,
      'category#OTHER': 1,
      'n#referred': 3,
      // Two findings merged into one referral: one referral.
      'n#referrals': 2,
      'n#answered': 1,
      'n#resolved': 1,
    });
    expect([...open]).toEqual(['ref-open']);
  });

  it('an outcome without an answer counts nothing', () => {
    expect(outcomeCounts({ answeredAt: null, result: null })).toEqual({});
    expect(
      outcomeCounts({ answeredAt: '2027-01-20T00:00:00.000Z', result: 'IN_PROGRESS' }),
    ).toEqual({
      'n#answered': 1,
    });
  });
});

describe('dutySummaryFromCounts', () => {
  it('reads totals and dimensions back, zeros and other attributes left out', () => {
    expect(
      dutySummaryFromCounts({
        'n#activities': 3,
        'type#RECEPTION_DAY': 2,
        'type#COMMUNITY_VISIT': 1,
        'n#findings': 2,
        'kind#PROBLEM': 2,
        'category#TRANSPORT': 2,
        'category#OTHER': 0,
        'n#referred': 1,
        'n#referrals': 1,
      }),
    ).toEqual({
      activitiesAttended: 3,
      activitiesByType: { COMMUNITY_VISIT: 1, RECEPTION_DAY: 2 },
      findingsRaised: 2,
      findingsByKind: { PROBLEM: 2 },
      findingsByCategory: { TRANSPORT: 2 },
      findingsReferred: 1,
      referrals: 1,
      referralsAnswered: 0,
      referralsResolved: 0,
    });
  });
});
