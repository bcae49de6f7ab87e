import { describe, expect, it } from 'vitest';
import { deputyFilterOf } from '../../../../functions/reference/domain';
import { listDeputiesQuerySchema } from '../../../../functions/reference/schemas';
import { planReferralList, toReferralListItem } from '../../../../functions/referral-api/list';
import { listReferralsQuerySchema } from '../../../../functions/referral-api/schemas';
import { referralListingAfter, referralListingOf } from '../../../../functions/referrals/listing';
import type { ReferralItem } from '../../../../functions/shared/data/referrals';
import { keys } from '../../../../functions/shared/data/keys';
import { ForbiddenError } from '../../../../functions/shared/errors';
import { asCaller } from '../../../support/callers';

const district = asCaller('organiser', 'org');
const wenchong = asCaller('organiser', 'wc', 'WENCHONG');
const query = (raw: Record<string, string> = {}) => listReferralsQuerySchema.parse(raw);
const NOW = new Date('2026-12-06T12:00:00.000Z');

describe('the 督办 list entry of a referral', () => {
  it('sorts open before closed, by the due instant, undated last', () => {
    const open = referralListingOf({
      id: 'R1',
      status: 'SENT',
      committeeId: 'cmte-a',
      dueDate: '2026-12-10',
    });
    // The end of 10 December in China time.
    expect(open).toEqual({
      listPk: 'REFERRALS#cmte-a',
      listSk: 'OPEN#2026-12-10T16:00:00.000Z#R1',
    });
    expect(referralListingOf({ id: 'R2', status: 'DRAFT' })).toEqual({
      listPk: 'REFERRALS_NO_COMMITTEE',
      listSk: 'OPEN#NO_DUE#R2',
    });
    expect(
      referralListingOf({
        id: 'R3',
        status: 'CLOSED_BY_COMMITTEE',
        committeeId: 'c',
        dueDate: '2026-12-01',
      }).listSk,
    ).toBe('CLOSED#2026-12-01T16:00:00.000Z#R3');
  });

  it('follows what a change sets and removes: a reopening’s new due date, a closure', () => {
    const referral = {
      id: 'R1',
      status: 'REPLIED',
      committeeId: 'cmte-a',
      dueDate: '2026-12-10',
      dueAt: '2026-12-08T00:00:00.000Z',
    };
    expect(
      referralListingAfter(referral, { status: 'REOPENED', dueDate: '2027-01-05' }, ['dueAt']),
    ).toEqual({ listPk: 'REFERRALS#cmte-a', listSk: 'OPEN#2027-01-05T16:00:00.000Z#R1' });
    expect(referralListingAfter(referral, { status: 'CLOSED' }).listSk).toBe(
      'CLOSED#2026-12-08T00:00:00.000Z#R1',
    );
  });

  it('makes overdue and a due period key ranges that leave undated drafts out', () => {
    const overdue = keys.referralsOfCommittee('c', 'OPEN', { dueUntil: NOW.toISOString() });
    expect(overdue.sortKeyRange).toEqual({
      from: 'OPEN#',
      to: 'OPEN#2026-12-06T12:00:00.000Z#\uffff',
    });
    expect('OPEN#NO_DUE#R2' > overdue.sortKeyRange!.to).toBe(true);
    const after = keys.referralsOfCommittee('c', 'OPEN', { dueAfter: NOW.toISOString() });
    expect('OPEN#NO_DUE#R2' > after.sortKeyRange!.to).toBe(true);
    expect(keys.referralsOfCommittee(undefined, 'CLOSED').sortKeyPrefix).toBe('CLOSED#');
  });
});

describe('GET /referrals plan', () => {
  it('reads each committee’s open and closed partitions, or one activity’s', () => {
    const all = planReferralList(district, query(), ['cmte-a', 'cmte-b'], NOW);
    expect(all.sources.map((source) => source.id)).toEqual([
      'cmte-a:OPEN',
      'cmte-a:CLOSED',
      'cmte-b:OPEN',
      'cmte-b:CLOSED',
      '-:OPEN',
      '-:CLOSED',
    ]);
    expect(all.filter).toBeUndefined();
    const overdue = planReferralList(
      district,
      query({ committeeId: 'cmte-a', overdue: 'true' }),
      [],
      NOW,
    );
    expect(overdue.sources.map((source) => source.id)).toEqual(['cmte-a:OPEN']);
    expect(overdue.sources[0]!.query.sortKeyRange!.to).toBe('OPEN#2026-12-06T11:59:59.999Z#\uffff');
    const closed = planReferralList(district, query({ status: 'CLOSED' }), ['cmte-a'], NOW);
    expect(closed.sources.map((source) => source.id)).toEqual(['cmte-a:CLOSED', '-:CLOSED']);
    const activity = planReferralList(
      district,
      query({ activityId: '01M96HH3MSKHJETZRWMM71M1C2' }),
      [],
      NOW,
    );
    expect(activity.sources.map((source) => source.query.indexName)).toEqual(['ownership']);
  });

  it('holds a street organiser to its street and refuses another', () => {
    const plan = planReferralList(wenchong, query(), [], NOW);
    expect(plan.filter!.values).toMatchObject({ ':f_street': 'WENCHONG' });
    expect(plan.binding.scope).toBe('WENCHONG');
    expect(() => planReferralList(wenchong, query({ street: 'HUANGPU' }), [], NOW)).toThrow(
      ForbiddenError,
    );
    expect(() => planReferralList({ ...wenchong, street: '火星' }, query(), [], NOW)).toThrow(
      ForbiddenError,
    );
  });
});

describe('a referral in the list', () => {
  const base = {
    id: 'R1',
    activityId: 'A1',
    departmentId: 'dept-water',
    committeeId: 'cmte-a',
    street: 'WENCHONG',
    findingIds: ['F1', 'F2'],
    dueDate: '2026-12-05',
    round: 1,
  } as unknown as ReferralItem;

  it('is overdue when open past its due instant, and says what it waits on', () => {
    const sent = toReferralListItem({ ...base, status: 'SENT' }, NOW);
    expect(sent).toMatchObject({
      overdue: true,
      dueDate: '2026-12-05',
      findings: 2,
      waitingOn: { party: 'DEPARTMENT', code: 'REPLY', deadline: '2026-12-05T16:00:00.000Z' },
    });
    const asked = toReferralListItem(
      {
        ...base,
        status: 'ACKNOWLEDGED',
        extensionRequest: { status: 'PENDING', round: 1 },
      } as unknown as ReferralItem,
      NOW,
    );
    expect(asked.waitingOn).toMatchObject({
      party: 'ORGANISER',
      code: 'DECIDE_EXTENSION',
      path: '/referrals/R1/extension',
    });
    const failed = toReferralListItem({ ...base, status: 'SENT', failure: {} } as never, NOW);
    expect(failed.waitingOn).toMatchObject({ code: 'REDRIVE', path: '/referrals/R1/redrive' });
    const closed = toReferralListItem({ ...base, status: 'CLOSED' }, NOW);
    expect(closed).toMatchObject({ overdue: false, waitingOn: null });
    expect(
      toReferralListItem({ ...base, status: 'DRAFT', dueDate: undefined } as never, NOW),
    ).toMatchObject({ dueDate: null, overdue: false, waitingOn: { party: 'CHAIRMEN_MEETING' } });
  });
});

describe('GET /deputies filters', () => {
  const parse = (raw: Record<string, string>) => listDeputiesQuerySchema.parse(raw);
  it('filters by street, group and either seat’s level; parenthesised only when joined', () => {
    expect(deputyFilterOf(parse({}))).toBeUndefined();
    expect(deputyFilterOf(parse({ level: 'DISTRICT' }))!.expression).toBe(
      '#seats[0].#level = :level OR #seats[1].#level = :level',
    );
    expect(deputyFilterOf(parse({ street: 'WENCHONG', level: 'TOWN' }))!.expression).toBe(
      '#street = :street AND (#seats[0].#level = :level OR #seats[1].#level = :level)',
    );
    expect(deputyFilterOf(parse({ level: 'TOWN', active: 'true' }))!.expression).toBe(
      '(#seats[0].#level = :level OR #seats[1].#level = :level)',
    );
    expect(listDeputiesQuerySchema.safeParse({ name: 'a#b' }).success).toBe(false);
    expect(keys.deputiesByName('王').sortKeyPrefix).toBe('王');
  });
});
