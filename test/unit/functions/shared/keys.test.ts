// unit test: SDK mocked with aws-sdk-client-mock (none needed here: plain functions)
import { describe, expect, it } from 'vitest';
import {
  LISTING_INDEX,
  OWNERSHIP_INDEX,
  keys,
  toQueryParams,
} from '../../../../functions/shared/data/keys.js';
import { chinaYearBounds } from '../../../../functions/shared/domain/deadlines.js';

describe('keys', () => {
  it('spells the item keys of the contract', () => {
    expect(keys.activity('01J0')).toEqual({ pk: 'ACTIVITY#01J0', sk: 'ACTIVITY' });
    expect(keys.invitation('01J0', 'dep-0001')).toEqual({
      pk: 'ACTIVITY#01J0',
      sk: 'INVITATION#dep-0001',
    });
    expect(keys.deputy('dep-0001')).toEqual({ pk: 'DEPUTY#dep-0001', sk: 'PROFILE' });
    expect(keys.idempotency('CreateActivity')).toBe('IDEMPOTENCY#CreateActivity');
  });

  it('zero-pads audit sequence numbers to 8 digits in the activity partition', () => {
    const stream = keys.auditStreamOfActivity('01J0');
    expect(keys.auditEvent(stream, 1)).toEqual({ pk: 'ACTIVITY#01J0', sk: 'AUDIT#00000001' });
    expect(keys.auditEvent(stream, 12345678).sk).toBe('AUDIT#12345678');
    expect(() => keys.auditEvent(stream, 0)).toThrow();
    expect(() => keys.auditEvent(stream, 1.5)).toThrow();
    expect(() => keys.auditEvent(stream, 100_000_000)).toThrow();
  });

  it('refuses ids that contain the separator', () => {
    expect(() => keys.activity('a#b')).toThrow(/activity id/);
    expect(() => keys.invitation('a', '')).toThrow(/deputy id/);
  });

  it('builds the index attributes by access pattern', () => {
    expect(keys.activityListing('SCHEDULED', '2020-08-18T09:00:00+08:00', '01J0')).toEqual({
      listPk: 'ACTIVITIES#SCHEDULED',
      // Sorted by the UTC instant, so starts written with different offsets order as times.
      listSk: '2020-08-18T01:00:00.000Z#01J0',
    });
    expect(keys.activityOwnership('sub-1', '2020-08-18T01:00:00Z', '01J0').ownerSk).toBe(
      'ACTIVITY#2020-08-18T01:00:00.000Z#01J0',
    );
    expect(() => keys.activityListing('SCHEDULED', 'tomorrow', '01J0')).toThrow();
    expect(
      keys.activitiesByStatus('SCHEDULED', { from: '2020-08-18T00:00:00.000Z' }),
    ).toMatchObject({
      sortKeyRange: { from: '2020-08-18T00:00:00.000Z', to: '\uffff#\uffff' },
    });
    // Only an end: the range starts below every instant, never at an empty key (a 500 before).
    expect(keys.activitiesByStatus('SCHEDULED', { to: '2020-08-18T00:00:00.000Z' })).toMatchObject({
      sortKeyRange: { from: '0', to: '2020-08-18T00:00:00.000Z#\uffff' },
    });
    expect(keys.invitationOwnership('dep-0001', '2020-08-18', '01J0')).toEqual({
      ownerPk: 'DEPUTY#dep-0001',
      ownerSk: 'INVITATION#2020-08-18#01J0',
    });
    expect(keys.activityOwnership('sub-1', '2020-08-18', '01J0').ownerPk).toBe('ORGANISER#sub-1');
    expect(keys.deputyListing('杨帆', 'dep-0002')).toEqual({
      listPk: 'DEPUTIES',
      listSk: '杨帆#dep-0002',
    });
  });

  it('turns queries into Query parameters on the right index', () => {
    expect(LISTING_INDEX).toBe('listing');
    expect(OWNERSHIP_INDEX).toBe('ownership');
    expect(toQueryParams(keys.invitationsOfActivity('01J0'))).toEqual({
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :skPrefix)',
      ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
      ExpressionAttributeValues: { ':pk': 'ACTIVITY#01J0', ':skPrefix': 'INVITATION#' },
    });
    expect(toQueryParams(keys.activitiesByStatus('SCHEDULED'))).toEqual({
      IndexName: 'listing',
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': 'listPk' },
      ExpressionAttributeValues: { ':pk': 'ACTIVITIES#SCHEDULED' },
    });
    expect(toQueryParams(keys.invitationsOfDeputy('dep-0001')).IndexName).toBe('ownership');
  });

  it("reads a deputy's duty year in China time: 1 January 00:00 Beijing is 31 December 16:00 UTC", () => {
    const year = chinaYearBounds(2021);
    expect(year).toEqual({ from: '2020-12-31T16:00:00.000Z', to: '2021-12-31T16:00:00.000Z' });
    expect(toQueryParams(keys.dutyEntriesOfDeputyBetween('dep-0001', year))).toEqual({
      KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :skFrom AND :skTo',
      ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
      ExpressionAttributeValues: {
        ':pk': 'DEPUTY#dep-0001',
        ':skFrom': 'DUTY#2020-12-31T16:00:00.000Z',
        ':skTo': 'DUTY#2021-12-31T16:00:00.000Z',
      },
    });
    // An activity at 07:00 on New Year's Day in Beijing belongs to the new year, though its UTC
    // date is still in the old one; one at 07:00 on 1 January 2022 Beijing does not.
    const { from, to } = keys.dutyEntriesOfDeputyBetween('dep-0001', year).sortKeyRange!;
    const inYear = (startsAt: string) => {
      const { sk } = keys.dutyEntry('dep-0001', startsAt, 'A1');
      return sk >= from && sk <= to;
    };
    expect(inYear('2020-12-31T23:00:00.000Z')).toBe(true);
    expect(inYear('2020-12-31T15:59:59.999Z')).toBe(false);
    expect(inYear('2021-12-31T23:00:00.000Z')).toBe(false);
    // Exactly midnight: the first instant is in, the first of the next year is out.
    expect(inYear('2020-12-31T16:00:00.000Z')).toBe(true);
    expect(inYear('2021-12-31T16:00:00.000Z')).toBe(false);
  });
});
