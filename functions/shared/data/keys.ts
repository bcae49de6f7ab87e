/**
 * Every key of the single table, named by access pattern. No other file spells a key prefix
 * or an attribute name of a key: handlers and stores call these functions.
 *
 * | pattern | pk / listPk / ownerPk | sk / listSk / ownerSk |
 * | --- | --- | --- |
 * | activity | `ACTIVITY#<id>` | `ACTIVITY` |
 * | invitation | `ACTIVITY#<id>` | `INVITATION#<deputyId>` |
 * | audit event | `<streamId>` (an activity: `ACTIVITY#<id>`) | `AUDIT#<seq, 8 digits>` |
 * | deputy | `DEPUTY#<id>` | `PROFILE` |
 * | idempotency record (Powertools) | `IDEMPOTENCY#<function>` | `<hash>` |
 * | listing: activities by status | `ACTIVITIES#<status>` | `<startsAt>#<id>` |
 * | listing: deputies by name | `DEPUTIES` | `<name>#<id>` |
 * | ownership: a deputy's invitations | `DEPUTY#<id>` | `INVITATION#<startsAt>#<activityId>` |
 * | ownership: an organiser's activities | `ORGANISER#<sub>` | `ACTIVITY#<startsAt>#<id>` |
 */

export const LISTING_INDEX = 'listing';
export const OWNERSHIP_INDEX = 'ownership';

export const KEY_ATTRIBUTES = {
  pk: 'pk',
  sk: 'sk',
  listPk: 'listPk',
  listSk: 'listSk',
  ownerPk: 'ownerPk',
  ownerSk: 'ownerSk',
} as const;

/** Width of the zero-padded audit sequence number: sorts as a string up to 99,999,999 events. */
export const AUDIT_SEQ_WIDTH = 8;

export interface PrimaryKey {
  pk: string;
  sk: string;
}

export interface ListingKey {
  listPk: string;
  listSk: string;
}

export interface OwnershipKey {
  ownerPk: string;
  ownerSk: string;
}

/** One partition of the table or of an index, optionally narrowed to a sort-key prefix. */
export interface KeyQuery {
  indexName?: typeof LISTING_INDEX | typeof OWNERSHIP_INDEX;
  partitionKeyName: 'pk' | 'listPk' | 'ownerPk';
  partitionKey: string;
  sortKeyName: 'sk' | 'listSk' | 'ownerSk';
  sortKeyPrefix?: string;
}

// An id that contains the separator would let one key spell another (`A#B` + `C` = `A` + `B#C`).
const id = (value: string, what: string): string => {
  if (value.length === 0 || value.includes('#')) {
    throw new Error(`Invalid ${what} for a key: ${JSON.stringify(value)}`);
  }
  return value;
};

const activityPk = (activityId: string) => `ACTIVITY#${id(activityId, 'activity id')}`;
const deputyPk = (deputyId: string) => `DEPUTY#${id(deputyId, 'deputy id')}`;

const auditSk = (seq: number): string => {
  if (!Number.isSafeInteger(seq) || seq < 1 || seq >= 10 ** AUDIT_SEQ_WIDTH) {
    throw new Error(`Invalid audit sequence number: ${seq}`);
  }
  return `AUDIT#${String(seq).padStart(AUDIT_SEQ_WIDTH, '0')}`;
};

export const keys = {
  // --- items (primary key) ---
  activity: (activityId: string): PrimaryKey => ({ pk: activityPk(activityId), sk: 'ACTIVITY' }),

  invitation: (activityId: string, deputyId: string): PrimaryKey => ({
    pk: activityPk(activityId),
    sk: `INVITATION#${id(deputyId, 'deputy id')}`,
  }),

  deputy: (deputyId: string): PrimaryKey => ({ pk: deputyPk(deputyId), sk: 'PROFILE' }),

  /** The audit stream of an activity lives in the activity's own partition. */
  auditStreamOfActivity: (activityId: string): string => activityPk(activityId),

  auditEvent: (streamId: string, seq: number): PrimaryKey => ({ pk: streamId, sk: auditSk(seq) }),

  /** `staticPkValue` of a Powertools idempotency persistence layer for one function. */
  idempotency: (functionName: string): string => `IDEMPOTENCY#${id(functionName, 'function name')}`,

  // --- index attributes written on items ---
  activityListing: (status: string, startsAt: string, activityId: string): ListingKey => ({
    listPk: `ACTIVITIES#${id(status, 'status')}`,
    listSk: `${startsAt}#${activityId}`,
  }),

  activityOwnership: (organiserId: string, startsAt: string, activityId: string): OwnershipKey => ({
    ownerPk: `ORGANISER#${id(organiserId, 'organiser id')}`,
    ownerSk: `ACTIVITY#${startsAt}#${activityId}`,
  }),

  invitationOwnership: (deputyId: string, startsAt: string, activityId: string): OwnershipKey => ({
    ownerPk: deputyPk(deputyId),
    ownerSk: `INVITATION#${startsAt}#${activityId}`,
  }),

  deputyListing: (name: string, deputyId: string): ListingKey => ({
    listPk: 'DEPUTIES',
    listSk: `${name}#${id(deputyId, 'deputy id')}`,
  }),

  // --- queries ---
  invitationsOfActivity: (activityId: string): KeyQuery => ({
    partitionKeyName: 'pk',
    partitionKey: activityPk(activityId),
    sortKeyName: 'sk',
    sortKeyPrefix: 'INVITATION#',
  }),

  auditEventsOfStream: (streamId: string): KeyQuery => ({
    partitionKeyName: 'pk',
    partitionKey: streamId,
    sortKeyName: 'sk',
    sortKeyPrefix: 'AUDIT#',
  }),

  activitiesByStatus: (status: string): KeyQuery => ({
    indexName: LISTING_INDEX,
    partitionKeyName: 'listPk',
    partitionKey: `ACTIVITIES#${id(status, 'status')}`,
    sortKeyName: 'listSk',
  }),

  deputiesByName: (): KeyQuery => ({
    indexName: LISTING_INDEX,
    partitionKeyName: 'listPk',
    partitionKey: 'DEPUTIES',
    sortKeyName: 'listSk',
  }),

  invitationsOfDeputy: (deputyId: string): KeyQuery => ({
    indexName: OWNERSHIP_INDEX,
    partitionKeyName: 'ownerPk',
    partitionKey: deputyPk(deputyId),
    sortKeyName: 'ownerSk',
    sortKeyPrefix: 'INVITATION#',
  }),

  activitiesOfOrganiser: (organiserId: string): KeyQuery => ({
    indexName: OWNERSHIP_INDEX,
    partitionKeyName: 'ownerPk',
    partitionKey: `ORGANISER#${id(organiserId, 'organiser id')}`,
    sortKeyName: 'ownerSk',
    sortKeyPrefix: 'ACTIVITY#',
  }),
};

/** The Query parameters (index, key condition, names, values) of a {@link KeyQuery}. */
export const toQueryParams = (query: KeyQuery) => {
  const names: Record<string, string> = { '#pk': query.partitionKeyName };
  const values: Record<string, string> = { ':pk': query.partitionKey };
  let condition = '#pk = :pk';
  if (query.sortKeyPrefix !== undefined) {
    names['#sk'] = query.sortKeyName;
    values[':skPrefix'] = query.sortKeyPrefix;
    condition += ' AND begins_with(#sk, :skPrefix)';
  }
  return {
    ...(query.indexName ? { IndexName: query.indexName } : {}),
    KeyConditionExpression: condition,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
};
