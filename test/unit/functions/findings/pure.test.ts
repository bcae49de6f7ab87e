// unit test: plain functions (triage grouping, review validation, report aggregation, views)
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../../../functions/activity-workflow/report.js';
import { planTriage } from '../../../../functions/activity-workflow/triage-plan.js';
import { findingAuditRecord } from '../../../../functions/findings/domain.js';
import {
  referralIdOf,
  toFindingView,
  type FindingItem,
} from '../../../../functions/findings/model.js';
import { sealDigest } from '../../../../functions/findings/store.js';
import {
  applyDecisions,
  applyReferralUpdate,
  checkApproval,
  chinaDate,
  type ReviewState,
} from '../../../../functions/review/decisions.js';
import { ConflictError, ValidationError } from '../../../../functions/shared/errors.js';
import { ID_PATTERN } from '../../../../functions/shared/ids.js';
import { type ReferralItem } from '../../../../functions/shared/data/referrals.js';

const ACTIVITY = '01J5ZQ8V6W7X8Y9Z0ABCDEFGHJ';
const fid = (n: number) => `01J6000000000000000000${String(n).padStart(4, '0')}`;

/** An organiser's decision to merge a finding into finding `id`. */
const mergedInto = (id: string) => ({
  type: 'MERGE' as const,
  intoFindingId: id,
  reason: 'r',
  decidedBy: 'o',
  decidedAt: 'x',
});
const finding = (n: number, overrides: Partial<FindingItem> = {}): FindingItem => ({
  pk: `ACTIVITY#${ACTIVITY}`,
  sk: `FINDING#${fid(n)}`,
  entity: 'FINDING',
  id: fid(n),
  activityId: ACTIVITY,
  kind: 'PROBLEM',
  category: 'DRAINAGE',
  description: `问题 ${n}`,
  place: '文冲村',
  raisedBy: { deputyId: 'dep-0001' },
  recordedBy: 'dep-0001',
  recordedAt: '2020-08-18T02:00:00.000Z',
  needsReferral: true,
  ...overrides,
});

const referral = (departmentId: string, findingIds: string[], extra: Partial<ReferralItem> = {}) =>
  ({
    pk: `REFERRAL#${referralIdOf(ACTIVITY, departmentId)}`,
    sk: 'REFERRAL',
    ownerPk: `ACTIVITY#${ACTIVITY}`,
    ownerSk: `REFERRAL#${departmentId}`,
    entity: 'REFERRAL',
    id: referralIdOf(ACTIVITY, departmentId),
    activityId: ACTIVITY,
    departmentId,
    findingIds,
    status: 'DRAFT',
    createdAt: 'x',
    updatedAt: 'x',
    auditSeq: 0,
    auditHash: '0'.repeat(64),
    ...extra,
  }) as ReferralItem;

const rules = [
  { category: 'DRAINAGE' as const, street: '*' as const, departmentId: 'dept-water' },
  { category: 'ANCIENT_TREES' as const, street: 'LUOGANG' as const, departmentId: 'dept-forestry' },
  { category: 'EDUCATION' as const, street: '*' as const, departmentId: 'dept-closed' },
];

describe('referralIdOf', () => {
  it('is an id of the usual shape, stable per activity and department', () => {
    const id = referralIdOf(ACTIVITY, 'dept-water');
    expect(id).toMatch(ID_PATTERN);
    expect(id.slice(0, 10)).toBe(ACTIVITY.slice(0, 10));
    expect(referralIdOf(ACTIVITY, 'dept-water')).toBe(id);
    expect(referralIdOf(ACTIVITY, 'dept-forestry')).not.toBe(id);
  });
});

describe('planTriage', () => {
  it('drafts one referral per department and flags what no rule routes', () => {
    const plan = planTriage(
      { id: ACTIVITY, street: 'WENCHONG' },
      [
        finding(3),
        finding(1),
        finding(2, { category: 'ANCIENT_TREES', street: 'LUOGANG' }),
        finding(4, { category: 'ANCIENT_TREES' }), // no rule for WENCHONG, no catch-all
        finding(5, { category: 'EDUCATION' }), // routed to an inactive department
        finding(6, { needsReferral: false, kind: 'CONSULTATION' }),
      ],
      rules,
      (id) => id !== 'dept-closed',
    );
    expect(plan.referrals).toEqual([
      {
        referralId: referralIdOf(ACTIVITY, 'dept-forestry'),
        departmentId: 'dept-forestry',
        findingIds: [fid(2)],
      },
      {
        referralId: referralIdOf(ACTIVITY, 'dept-water'),
        departmentId: 'dept-water',
        findingIds: [fid(1), fid(3)],
      },
    ]);
    expect(plan.unrouted).toEqual([fid(4), fid(5)]);
  });

  it('plans nothing when nothing needs referral', () => {
    expect(
      planTriage(
        { id: ACTIVITY, street: 'WENCHONG' },
        [finding(1, { needsReferral: false })],
        rules,
        () => true,
      ),
    ).toEqual({ referrals: [], unrouted: [] });
  });
});

const stateOf = (findings: FindingItem[], referrals: ReferralItem[]): ReviewState => ({
  activityId: ACTIVITY,
  findings: new Map(findings.map((f) => [f.id, f])),
  referrals: new Map(referrals.map((r) => [r.id, r])),
});

const context = {
  actor: 'org-1',
  at: '2020-08-20T02:00:00.000Z',
  departments: new Map([
    ['dept-water', true],
    ['dept-housing', true],
    ['dept-closed', false],
  ]),
};

describe('applyDecisions', () => {
  const water = referral('dept-water', [fid(1), fid(2)]);
  const base = () =>
    stateOf(
      [
        finding(1, { referralId: water.id }),
        finding(2, { referralId: water.id }),
        finding(3, { unrouted: true }),
      ],
      [water],
    );

  it('refers an unrouted finding to a new draft referral of its department', () => {
    const changes = applyDecisions(
      base(),
      [
        {
          findingId: fid(3),
          decision: 'REFER',
          departmentId: 'dept-housing',
          reason: '住建部门负责',
        },
      ],
      context,
    );
    const housing = referralIdOf(ACTIVITY, 'dept-housing');
    expect(changes.findings[0]).toMatchObject({
      id: fid(3),
      referralId: housing,
      decision: { type: 'REFER', departmentId: 'dept-housing', decidedBy: 'org-1' },
    });
    expect(changes.referrals).toEqual([
      expect.objectContaining({ id: housing, findingIds: [fid(3)], status: 'DRAFT', auditSeq: 0 }),
    ]);
    expect(changes.deletedReferralIds).toEqual([]);
  });

  it('moves findings out of referrals and deletes a referral left empty', () => {
    const changes = applyDecisions(
      base(),
      [
        { findingId: fid(2), decision: 'MERGE', intoFindingId: fid(1), reason: '同一问题' },
        {
          findingId: fid(1),
          decision: 'ANSWER_DIRECTLY',
          answer: '已现场解答',
          reason: '可当场答复',
        },
      ],
      context,
    );
    expect(changes.findings.map((f) => [f.id, f.decision?.type, f.referralId])).toEqual([
      [fid(2), 'MERGE', undefined],
      [fid(1), 'ANSWER_DIRECTLY', undefined],
    ]);
    expect(changes.referrals).toEqual([]);
    expect(changes.deletedReferralIds).toEqual([water.id]);
  });

  it('keeps a merged finding in the referral of the finding it joins, and moves it along', () => {
    // Two deputies' findings, triaged to the water department and the housing department.
    const housing = referral('dept-housing', [fid(3)]);
    const state = stateOf(
      [
        finding(1, { referralId: water.id }),
        finding(2, { referralId: water.id }),
        finding(3, { referralId: housing.id, raisedBy: { deputyId: 'dep-0291' } }),
      ],
      [water, housing],
    );
    const merged = applyDecisions(
      state,
      [{ findingId: fid(3), decision: 'MERGE', intoFindingId: fid(1), reason: '同一路段' }],
      context,
    );
    expect(merged.findings).toEqual([
      expect.objectContaining({
        id: fid(3),
        referralId: water.id,
        decision: expect.objectContaining({ type: 'MERGE', intoFindingId: fid(1) }),
      }),
    ]);
    expect(merged.referrals).toEqual([
      expect.objectContaining({ id: water.id, findingIds: [fid(1), fid(2), fid(3)] }),
    ]);
    expect(merged.deletedReferralIds).toEqual([housing.id]);

    // The finding it joined is then referred elsewhere: the merged one goes with it.
    const after = stateOf(
      [
        finding(1, { referralId: water.id }),
        finding(2, { referralId: water.id }),
        ...merged.findings,
      ],
      [merged.referrals[0]!],
    );
    const moved = applyDecisions(
      after,
      [{ findingId: fid(1), decision: 'REFER', departmentId: 'dept-housing', reason: 'r' }],
      context,
    );
    expect(moved.findings.map((f) => [f.id, f.referralId])).toEqual([
      [fid(1), housing.id],
      [fid(3), housing.id],
    ]);
    expect(moved.referrals.map((r) => [r.id, r.findingIds])).toEqual([
      [water.id, [fid(2)]],
      [housing.id, [fid(1), fid(3)]],
    ]);

    // Answered on the spot: neither is referred any more.
    const answered = applyDecisions(
      after,
      [{ findingId: fid(1), decision: 'ANSWER_DIRECTLY', answer: 'a', reason: 'r' }],
      context,
    );
    expect(answered.findings.map((f) => [f.id, f.referralId])).toEqual([
      [fid(1), undefined],
      [fid(3), undefined],
    ]);
    expect(answered.referrals.map((r) => [r.id, r.findingIds])).toEqual([[water.id, [fid(2)]]]);
  });

  it('merges into a finding referred in the same request, in either order', () => {
    const state = stateOf([finding(5, { unrouted: true }), finding(6, { unrouted: true })], []);
    const housing = referralIdOf(ACTIVITY, 'dept-housing');
    for (const decisions of [
      [
        { findingId: fid(6), decision: 'MERGE' as const, intoFindingId: fid(5), reason: 'r' },
        {
          findingId: fid(5),
          decision: 'REFER' as const,
          departmentId: 'dept-housing',
          reason: 'r',
        },
      ],
      [
        {
          findingId: fid(5),
          decision: 'REFER' as const,
          departmentId: 'dept-housing',
          reason: 'r',
        },
        { findingId: fid(6), decision: 'MERGE' as const, intoFindingId: fid(5), reason: 'r' },
      ],
    ]) {
      const changes = applyDecisions(state, decisions, context);
      expect(changes.referrals.map((r) => [r.id, r.findingIds])).toEqual([
        [housing, [fid(5), fid(6)]],
      ]);
      expect(changes.findings.every((f) => f.referralId === housing)).toBe(true);
    }
  });

  it('names every invalid decision and changes nothing', () => {
    const state = base();
    const merged = stateOf(
      [
        ...state.findings.values(),
        finding(4, {
          decision: mergedInto(fid(1)),
        }),
      ],
      [water],
    );
    let error: unknown;
    try {
      applyDecisions(
        merged,
        [
          { findingId: fid(9), decision: 'NO_ACTION', reason: 'r' },
          { findingId: fid(3), decision: 'REFER', departmentId: 'dept-unknown', reason: 'r' },
          { findingId: fid(2), decision: 'REFER', departmentId: 'dept-closed', reason: 'r' },
          { findingId: fid(3), decision: 'MERGE', intoFindingId: fid(3), reason: 'r' },
          { findingId: fid(2), decision: 'MERGE', intoFindingId: fid(4), reason: 'r' },
          { findingId: fid(1), decision: 'MERGE', intoFindingId: fid(2), reason: 'r' },
        ],
        context,
      );
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([
      { path: 'decisions.0.findingId', message: `unknown finding ${fid(9)}` },
      {
        path: 'decisions.1.departmentId',
        message: 'unknown department dept-unknown: GET /departments lists them',
      },
      { path: 'decisions.2.departmentId', message: 'department dept-closed is not active' },
      { path: 'decisions.3.findingId', message: `finding ${fid(3)} is decided twice` },
      { path: 'decisions.4.findingId', message: `finding ${fid(2)} is decided twice` },
      {
        path: 'decisions.5.findingId',
        message: `findings ${fid(4)} are merged into ${fid(1)}: decide them first`,
      },
    ]);
    expect(merged.findings.get(fid(3))!.decision).toBeUndefined();
  });

  it('refuses a merge into a finding that is itself merged', () => {
    const state = stateOf(
      [
        finding(1, {
          decision: mergedInto(fid(2)),
        }),
        finding(2),
        finding(3),
      ],
      [],
    );
    expect(() =>
      applyDecisions(
        state,
        [{ findingId: fid(3), decision: 'MERGE', intoFindingId: fid(1), reason: 'r' }],
        context,
      ),
    ).toThrow(/is itself merged into/);
  });

  it('refuses changes to approved referrals', () => {
    const approved = referral('dept-water', [fid(1)], { status: 'APPROVED' });
    const state = stateOf([finding(1, { referralId: approved.id })], [approved]);
    expect(() =>
      applyDecisions(state, [{ findingId: fid(1), decision: 'NO_ACTION', reason: 'r' }], context),
    ).toThrow(ConflictError);
  });
});

describe('applyReferralUpdate', () => {
  const now = new Date('2020-08-20T02:00:00.000Z');
  const water = referral('dept-water', [fid(1)]);
  const state = stateOf(
    [finding(1, { referralId: water.id }), finding(2, { unrouted: true })],
    [water],
  );
  const ctx = {
    ...context,
    committees: new Map([
      ['cmte-wenchong', true],
      ['cmte-old', false],
    ]),
    now,
  };

  it('sets committee and due date and moves findings in', () => {
    const changes = applyReferralUpdate(
      state,
      water.id,
      {
        committeeId: 'cmte-wenchong',
        dueDate: '2020-09-30',
        moveFindingIds: [fid(2)],
        reason: '同属排水',
      },
      ctx,
    );
    expect(changes.referrals).toEqual([
      expect.objectContaining({
        id: water.id,
        committeeId: 'cmte-wenchong',
        dueDate: '2020-09-30',
        findingIds: [fid(1), fid(2)],
      }),
    ]);
    expect(changes.findings[0]).toMatchObject({ id: fid(2), referralId: water.id });
  });

  it('validates committee and due date', () => {
    expect(() =>
      applyReferralUpdate(
        state,
        water.id,
        { committeeId: 'cmte-old', dueDate: chinaDate(now) },
        ctx,
      ),
    ).toThrow(/committee cmte-old is not active.*dueDate: must be after today/);
    expect(() => applyReferralUpdate(state, water.id, { committeeId: 'cmte-x' }, ctx)).toThrow(
      /unknown committee cmte-x: GET \/committees lists them/,
    );
    expect(() => applyReferralUpdate(state, water.id, { dueDate: '2022-01-01' }, ctx)).toThrow(
      /must be on or before/,
    );
    expect(() => applyReferralUpdate(state, 'nope', { dueDate: '2020-09-30' }, ctx)).toThrow(
      ConflictError,
    );
  });
});

describe('checkApproval', () => {
  it('lists undecided findings and referrals lacking committee or due date', () => {
    const water = referral('dept-water', [fid(1)], { committeeId: 'c' });
    const check = checkApproval(
      stateOf(
        [
          finding(1, { referralId: water.id }),
          finding(2, { unrouted: true }),
          finding(3, { needsReferral: false }),
        ],
        [water],
      ),
    );
    expect(check).toEqual({
      ready: false,
      undecided: [fid(2)],
      incomplete: [{ referralId: water.id, missing: ['dueDate'] }],
    });
  });

  it('is ready when everything is decided and complete', () => {
    const water = referral('dept-water', [fid(1)], { committeeId: 'c', dueDate: '2020-09-30' });
    expect(
      checkApproval(
        stateOf(
          [
            finding(1, { referralId: water.id }),
            finding(2, {
              unrouted: true,
              decision: { type: 'NO_ACTION', reason: 'r', decidedBy: 'o', decidedAt: 'x' },
            }),
          ],
          [water],
        ),
      ).ready,
    ).toBe(true);
  });
});

describe('buildReport', () => {
  it('aggregates person-times, findings and referrals', () => {
    const water = referral('dept-water', [fid(1), fid(2)], { status: 'DISPATCHED' });
    const report = buildReport({
      invitedCount: 12,
      attendance: {
        personTimes: { byLevel: { MUNICIPAL: 3, DISTRICT: 5 }, total: 7 },
        checkedIn: 7,
      },
      findings: [
        finding(1, { referralId: water.id }),
        finding(2, { referralId: water.id, kind: 'SUGGESTION' }),
        finding(3, {
          kind: 'CONSULTATION',
          category: 'LEGAL_AID',
          needsReferral: false,
          decision: {
            type: 'ANSWER_DIRECTLY',
            answer: 'a',
            reason: 'r',
            decidedBy: 'o',
            decidedAt: 'x',
          },
        }),
        finding(4, {
          unrouted: true,
          decision: mergedInto(fid(1)),
        }),
      ],
      referrals: [water],
    });
    expect(report).toEqual({
      personTimes: { byLevel: { MUNICIPAL: 3, DISTRICT: 5 }, total: 7 },
      attendance: { invited: 12, checkedIn: 7 },
      findings: {
        total: 4,
        byKind: { CONSULTATION: 1, PROBLEM: 2, SUGGESTION: 1 },
        byCategory: { DRAINAGE: 3, LEGAL_AID: 1 },
        needingReferral: 3,
        referred: 2,
        merged: 1,
        answeredDirectly: 1,
        noAction: 0,
        unrouted: 1,
      },
      referrals: {
        total: 1,
        dispatched: 1,
        byDepartment: [
          { departmentId: 'dept-water', referralId: water.id, findings: 2, status: 'DISPATCHED' },
        ],
      },
    });
  });

  it('sums the levels when no total was stored', () => {
    const report = buildReport({
      invitedCount: 0,
      attendance: undefined,
      findings: [],
      referrals: [],
    });
    expect(report.personTimes).toEqual({ byLevel: {}, total: 0 });
    expect(report.attendance.checkedIn).toBeNull();
  });
});

describe('finding views and audit records', () => {
  const resident = finding(1, {
    raisedBy: { resident: { name: '王女士', contact: '138-0000-0000', consentToContact: true } },
    recordedBy: 'org-1',
  });

  it('shows a resident only to organisers and to whoever recorded it', () => {
    expect(toFindingView(resident, { full: true, sub: 'x' }).raisedBy.resident).toMatchObject({
      name: '王女士',
    });
    expect(toFindingView(resident, { full: false, sub: 'org-1' }).raisedBy.resident).toMatchObject({
      name: '王女士',
    });
    expect(JSON.stringify(toFindingView(resident, { full: false, sub: 'dep-0002' }))).not.toMatch(
      /王女士|138/,
    );
  });

  it('keeps residents out of the audit record, covered by the content hash', () => {
    const record = findingAuditRecord(resident);
    expect(JSON.stringify(record)).not.toMatch(/王女士|138/);
    expect(record.after.raisedBy).toEqual({ resident: true });
    const changed = findingAuditRecord({
      ...resident,
      raisedBy: { resident: { name: '李先生', consentToContact: false } },
    });
    expect(changed.contentHash).not.toBe(record.contentHash);
  });

  it('seals records so that any change shows', () => {
    const records = [findingAuditRecord(finding(1)), findingAuditRecord(finding(2))];
    const digest = sealDigest(records);
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(sealDigest([records[0]!])).not.toBe(digest);
    expect(sealDigest([{ ...records[0]!, actor: 'someone' }, records[1]!])).not.toBe(digest);
  });
});
