/**
 * Every key of the single table, named by access pattern. No other file spells a key prefix
 * or an attribute name of a key: handlers and stores call these functions.
 *
 * | pattern | pk / listPk / ownerPk | sk / listSk / ownerSk |
 * | --- | --- | --- |
 * | activity | `ACTIVITY#<id>` | `ACTIVITY` |
 * | invitation | `ACTIVITY#<id>` | `INVITATION#<deputyId>` |
 * | audit event | `<streamId>` (an activity: `ACTIVITY#<id>`) | `AUDIT#<seq, 8 digits>` |
 * | check-in audit record (unchained) | `ACTIVITY#<id>` | `AUDIT_CHECKIN#<deputyId>` |
 * | finding | `ACTIVITY#<id>` | `FINDING#<findingId>` |
 * | finding audit record (unchained) | `ACTIVITY#<id>` | `AUDIT_FINDING#<findingId>` |
 * | referral (head of its own audit stream `REFERRAL#<id>`) | `REFERRAL#<id>` | `REFERRAL` |
 * | deputy | `DEPUTY#<id>` | `PROFILE` |
 * | deputy email claim (unique emails) | `DEPUTY_EMAIL#<lower-case email>` | `DEPUTY_EMAIL` |
 * | department | `DEPARTMENT#<id>` | `PROFILE` |
 * | committee (督办工委) | `COMMITTEE#<id>` | `PROFILE` |
 * | routing rule | `ROUTING` | `RULE#<category>#<street or *>` |
 * | the jurisdiction: district, letterhead, streets and towns (head of its audit stream `JURISDICTION`) | `JURISDICTION` | `DISTRICT` |
 * | a street's liaison station (联络站) | `LIAISON_STATIONS#<street>` | `STATION#<id>` |
 * | audit event of a liaison station | `LIAISON_STATION#<street>#<id>` | `AUDIT#<seq>` |
 * | audit event of a deputy / department / committee | `DEPUTY#<id>` … (its own partition) | `AUDIT#<seq>` |
 * | audit event of a routing rule | `ROUTING_RULE#<category>#<street or *>` | `AUDIT#<seq>` |
 * | listing: departments by name | `DEPARTMENTS` | `<name>#<id>` |
 * | listing: committees by name | `COMMITTEES` | `<name>#<id>` |
 * | idempotency record (functions/shared/http/idempotent.ts) | `IDEMPOTENCY#<operation>` | `<function name>#<hash of the key>` |
 * | listing: activities by status | `ACTIVITIES#<status>` | `<startsAt, UTC>#<id>` |
 * | listing: deputies by name | `DEPUTIES` | `<name>#<id>` |
 * | ownership: a deputy's invitations | `DEPUTY#<id>` | `INVITATION#<startsAt>#<activityId>` |
 * | ownership: an organiser's activities | `ORGANISER#<sub>` | `ACTIVITY#<startsAt, UTC>#<id>` |
 * | ownership: an activity's referrals | `ACTIVITY#<id>` | `REFERRAL#<departmentId>` |
 * | listing: referrals by supervising committee (督办 list; `REFERRALS_NO_COMMITTEE` before one is set), open or closed, by due instant | `REFERRALS#<committeeId>` | `<OPEN or CLOSED>#<due, UTC, or NO_DUE>#<id>` |
 * | change of an activity (PATCH), its notices pending until `noticesSentAt` | `ACTIVITY#<id>` | `CHANGE#<revision, 8 digits>` |
 * | email claim (at most once per step) | `EMAIL#<claimKey>` | `EMAIL` |
 * | SES message id → email claim | `SESMSG#<messageId>` | `SESMSG` |
 * | signed link (response / rating / deputy page; TTL on `expiresAt`) | `LINK#<linkId>` | `LINK` |
 * | home-link requests of one address in one hour (TTL on `expiresAt`) | `HOME_LINK_REQUESTS#<address digest>` | `HOUR#<n>` |
 * | a department's response, once per round and action | `REFERRAL#<id>` | `RESPONSE#<round>#<action>[#<digest>]` |
 * | one raiser's rating of one round | `REFERRAL#<id>` | `RATING#<round>#<raiserRef>` |
 * | statistics of a completed activity | `STATS#<YYYY-MM>` | `ACTIVITY#<activityId>` |
 * | statistics of a referral (month of its activity) | `STATS#<YYYY-MM>` | `REFERRAL#<referralId>` |
 * | listing: a month's referrals not yet closed (on the referral's statistics item, removed at close) | `STATS_OPEN#<YYYY-MM>` | `<YYYY-MM-DD>#<referralId>` |
 * | statistics rollup of a month, per scope (`ALL`, `STREET#<s>`, `TYPE#<t>`, `STREET#<s>#TYPE#<t>`, `CAMPAIGN#<c>`) | `STATS_ROLLUP#<YYYY-MM>#<scope>` | `MONTH` |
 * | statistics rollup of a day, per scope | `STATS_ROLLUP#<YYYY-MM>#<scope>` | `DAY#<DD>` |
 * | ownership: findings a deputy raised | `DEPUTY#<id>` | `FINDING#<activity startsAt>#<findingId>` |
 * | duty record entry: a deputy at one completed activity | `DEPUTY#<id>` | `DUTY#<activity startsAt>#<activityId>` |
 * | duty record summary of a year, per scope (`ALL`, `STREET#<s>`) | `DEPUTY#<id>` | `DUTY_SUMMARY#<year>#<scope>` |
 * | audit listing entry of an ended activity, per dimension | `ACTIVITY#<id>` | `AUDIT_LISTING#<ALL, STREET, TYPE or ORGANISER>` |
 * | listing: ended activities by final status and month (and dimension) | `ENDED#<status>#<YYYY-MM>[#<dimension>#<value>]` | `<endedAt>#<id>` |
 * | resident lookup entry (a finding carrying a person's name or contact; docs/privacy.md) | `RESIDENT#<HMAC of the normalised name or contact>` | `FINDING#<activityId>#<findingId>` |
 * | listing: findings whose resident is due for erasure (on the finding, removed at erasure) | `RESIDENT_ERASURE_DUE` | `<eraseAfter>#<activityId>#<findingId>` |
 * | listing: audit events of an hour (UTC), on the event items (what the checkpoint job reads) | `AUDIT_HOUR#<YYYY-MM-DDTHH>` | `<at>#<streamId>#<seq>` |
 * | theme campaign (主题活动) | `CAMPAIGN#<id>` | `CAMPAIGN` |
 * | listing: campaigns by start | `CAMPAIGNS` | `<from>#<id>` |
 * | guest deputy of another district (on the deputy item, instead of the roster listing) | `GUEST_DEPUTIES` | `<district>#<name>#<id>` |
 * | signed checkpoint of audit stream heads | `CHECKPOINT#<seq, 10 digits>` | `CHECKPOINT` |
 * | the latest checkpoint (sequence, hash, cutoff) | `CHECKPOINT` | `LATEST` |
 * | listing: checkpoints not yet in the bucket (on the checkpoint item, removed once archived) | `CHECKPOINT_UNARCHIVED` | `<seq, 10 digits>` |
 * | a stream's latest checkpoint (its leaf and Merkle proof) | `CHECKPOINTED#<streamId>` | `CHECKPOINTED` |
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

/** Width of the zero-padded checkpoint sequence number. */
export const CHECKPOINT_SEQ_WIDTH = 10;

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
  /** Sort keys from `from` (inclusive) to `to` (exclusive); not with `sortKeyPrefix`. */
  sortKeyRange?: { from: string; to: string };
}

/** Which sort keys of a partition a {@link KeyQuery} reads: a prefix, a range, or all. */
type SortKeyCondition = Pick<KeyQuery, 'sortKeyPrefix' | 'sortKeyRange'>;

/** A query of one partition of the table itself (`pk`, `sk`). */
const tableQuery = (partitionKey: string, sortKeys: SortKeyCondition = {}): KeyQuery => ({
  partitionKeyName: 'pk',
  partitionKey,
  sortKeyName: 'sk',
  ...sortKeys,
});

/** A query of one partition of the listing index (`listPk`, `listSk`). */
const listingQuery = (partitionKey: string, sortKeys: SortKeyCondition = {}): KeyQuery => ({
  indexName: LISTING_INDEX,
  partitionKeyName: 'listPk',
  partitionKey,
  sortKeyName: 'listSk',
  ...sortKeys,
});

/** A query of one partition of the ownership index (`ownerPk`, `ownerSk`). */
const ownershipQuery = (partitionKey: string, sortKeys: SortKeyCondition = {}): KeyQuery => ({
  indexName: OWNERSHIP_INDEX,
  partitionKeyName: 'ownerPk',
  partitionKey,
  sortKeyName: 'ownerSk',
  ...sortKeys,
});

/**
 * An ISO 8601 time as `toISOString` writes it (UTC, milliseconds), so that instants written
 * with different offsets (`09:00+08:00`, `01:00Z`) sort as times when compared as strings.
 */
export const utcInstant = (iso: string): string => {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) throw new Error(`Invalid time for a key: ${JSON.stringify(iso)}`);
  return new Date(time).toISOString();
};

// An id that contains the separator would let one key spell another (`A#B` + `C` = `A` + `B#C`).
const id = (value: string, what: string): string => {
  if (value.length === 0 || value.includes('#')) {
    throw new Error(`Invalid ${what} for a key: ${JSON.stringify(value)}`);
  }
  return value;
};

const activityPk = (activityId: string) => `ACTIVITY#${id(activityId, 'activity id')}`;
const deputyPk = (deputyId: string) => `DEPUTY#${id(deputyId, 'deputy id')}`;
const referralPk = (referralId: string) => `REFERRAL#${id(referralId, 'referral id')}`;
const departmentPk = (departmentId: string) => `DEPARTMENT#${id(departmentId, 'department id')}`;
const committeePk = (committeeId: string) => `COMMITTEE#${id(committeeId, 'committee id')}`;
const routingRuleSuffix = (category: string, street: string) =>
  `${id(category, 'category')}#${id(street, 'street')}`;

const auditSk = (seq: number): string => {
  if (!Number.isSafeInteger(seq) || seq < 1 || seq >= 10 ** AUDIT_SEQ_WIDTH) {
    throw new Error(`Invalid audit sequence number: ${seq}`);
  }
  return `AUDIT#${String(seq).padStart(AUDIT_SEQ_WIDTH, '0')}`;
};

const revisionSuffix = (revision: number): string => {
  if (!Number.isSafeInteger(revision) || revision < 1 || revision >= 10 ** AUDIT_SEQ_WIDTH) {
    throw new Error(`Invalid activity revision: ${revision}`);
  }
  return String(revision).padStart(AUDIT_SEQ_WIDTH, '0');
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

  /**
   * Every audit event is listed under the UTC hour of its `at`, so the checkpoint job finds the
   * streams that moved since its last run by a Query per hour, never a Scan.
   */
  auditEventListing: (at: string, streamId: string, seq: number): ListingKey => {
    const hour = /^(\d{4}-\d{2}-\d{2}T\d{2})/.exec(new Date(at).toISOString())?.[1];
    if (!hour) throw new Error(`Invalid audit event time: ${JSON.stringify(at)}`);
    return { listPk: `AUDIT_HOUR#${hour}`, listSk: `${at}#${streamId}#${auditSk(seq)}` };
  },

  /** The listing partition of one UTC hour (`YYYY-MM-DDTHH`) of audit events. */
  auditEventsOfHour: (hour: string): KeyQuery => {
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}$/.test(hour)) throw new Error(`Invalid hour: ${hour}`);
    return listingQuery(`AUDIT_HOUR#${hour}`);
  },

  checkpoint: (seq: number): PrimaryKey => {
    if (!Number.isSafeInteger(seq) || seq < 1 || seq >= 10 ** CHECKPOINT_SEQ_WIDTH) {
      throw new Error(`Invalid checkpoint sequence number: ${seq}`);
    }
    return {
      pk: `CHECKPOINT#${String(seq).padStart(CHECKPOINT_SEQ_WIDTH, '0')}`,
      sk: 'CHECKPOINT',
    };
  },

  /** Sparse listing on a checkpoint item until it is in the bucket (removed once it is). */
  unarchivedCheckpoint: (seq: number): ListingKey => ({
    listPk: 'CHECKPOINT_UNARCHIVED',
    listSk: String(seq).padStart(CHECKPOINT_SEQ_WIDTH, '0'),
  }),

  unarchivedCheckpoints: (): KeyQuery => listingQuery('CHECKPOINT_UNARCHIVED'),

  latestCheckpoint: (): PrimaryKey => ({ pk: 'CHECKPOINT', sk: 'LATEST' }),

  /**
   * The latest checkpoint that covers a stream. In a partition of its own, not the stream's: the
   * job writes it while the stream's item and events are otherwise untouched.
   */
  streamCheckpoint: (streamId: string): PrimaryKey => ({
    pk: `CHECKPOINTED#${streamId}`,
    sk: 'CHECKPOINTED',
  }),

  /** The bucket key of a checkpoint: by UTC day of signing, so a period is a few prefixes. */
  checkpointObject: (seq: number, signedAt: string): string => {
    const day = new Date(signedAt).toISOString().slice(0, 10).replaceAll('-', '/');
    return `checkpoints/${day}/${String(seq).padStart(CHECKPOINT_SEQ_WIDTH, '0')}.json`;
  },

  /** The bucket prefix of the checkpoints signed on one UTC day (`YYYY-MM-DD`). */
  checkpointObjectsOfDay: (day: string): string => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`Invalid day: ${day}`);
    return `checkpoints/${day.replaceAll('-', '/')}/`;
  },

  /**
   * The unchained audit record of one check-in, written in the check-in's own transaction;
   * CloseAttendance seals them all with one chained event (docs/activity-workflow.md).
   */
  checkInAuditRecord: (activityId: string, deputyId: string): PrimaryKey => ({
    pk: activityPk(activityId),
    sk: `AUDIT_CHECKIN#${id(deputyId, 'deputy id')}`,
  }),

  finding: (activityId: string, findingId: string): PrimaryKey => ({
    pk: activityPk(activityId),
    sk: `FINDING#${id(findingId, 'finding id')}`,
  }),

  /**
   * The unchained audit record of one finding, written in the finding's own transaction;
   * CloseFindings seals them all with one chained event (docs/activity-workflow.md).
   */
  findingAuditRecord: (activityId: string, findingId: string): PrimaryKey => ({
    pk: activityPk(activityId),
    sk: `AUDIT_FINDING#${id(findingId, 'finding id')}`,
  }),

  referral: (referralId: string): PrimaryKey => ({ pk: referralPk(referralId), sk: 'REFERRAL' }),

  // --- residents' personal data (issue 16, docs/privacy.md) ---
  /**
   * One finding that carries a person's name or contact, under the keyed hash (HMAC with the
   * secret lookup key) of the normalised value: a resident's request finds their findings with
   * one Query, and the table never holds the value itself in a key.
   */
  residentLookup: (lookupDigest: string, activityId: string, findingId: string): PrimaryKey => ({
    pk: `RESIDENT#${lookupDigestOf(lookupDigest)}`,
    sk: `FINDING#${id(activityId, 'activity id')}#${id(findingId, 'finding id')}`,
  }),

  /** Every finding filed under one lookup digest. */
  findingsOfResident: (lookupDigest: string): KeyQuery =>
    tableQuery(`RESIDENT#${lookupDigestOf(lookupDigest)}`, { sortKeyPrefix: 'FINDING#' }),

  /**
   * Listing key of a finding whose resident's name and contact are due for erasure at
   * `eraseAfter` (an ISO instant): set on the finding when the retention starts, removed with
   * the data. One small partition: only findings with personal data still held are in it.
   */
  residentErasureDue: (eraseAfter: string, activityId: string, findingId: string): ListingKey => ({
    listPk: 'RESIDENT_ERASURE_DUE',
    listSk: `${isoInstant(eraseAfter)}#${id(activityId, 'activity id')}#${id(findingId, 'finding id')}`,
  }),

  /** Findings whose resident is due for erasure at or before `asOf` (an ISO instant). */
  residentErasuresDueBy: (asOf: string): KeyQuery =>
    listingQuery('RESIDENT_ERASURE_DUE', {
      // Every listSk is `<instant>#...`: `<asOf>$` sorts after all of `asOf`'s own entries.
      sortKeyRange: { from: '0', to: `${isoInstant(asOf)}$` },
    }),

  /** A referral is the head of its own audit stream from dispatch on. */
  auditStreamOfReferral: (referralId: string): string => referralPk(referralId),

  /** The partition of one operation's idempotency records (functions/shared/http/idempotent.ts). */
  idempotency: (operation: string): string => `IDEMPOTENCY#${id(operation, 'operation')}`,
  /**
   * An idempotency record: the function's name and the hash of the request's key (the sort key
   * Powertools Idempotency wrote, so records written before are still found).
   */
  idempotencyRecord: (operation: string, functionName: string, keyHash: string): PrimaryKey => ({
    pk: keys.idempotency(operation),
    sk: `${functionName}#${keyHash}`,
  }),

  // --- reference data (issue 3): each item is the head of its own audit stream ---
  department: (departmentId: string): PrimaryKey => ({
    pk: departmentPk(departmentId),
    sk: 'PROFILE',
  }),

  committee: (committeeId: string): PrimaryKey => ({ pk: committeePk(committeeId), sk: 'PROFILE' }),

  /** `street` is a street code or `*` (every street). */
  routingRule: (category: string, street: string): PrimaryKey => ({
    pk: 'ROUTING',
    sk: `RULE#${routingRuleSuffix(category, street)}`,
  }),

  // --- jurisdiction (issue 17): the district and its streets are one small item, so whatever
  // names a street or signs an email reads it with one GetItem; a street's liaison stations,
  // which that street's organisers write, are items of their own in the street's partition ---
  jurisdiction: (): PrimaryKey => ({ pk: 'JURISDICTION', sk: 'DISTRICT' }),

  auditStreamOfJurisdiction: (): string => 'JURISDICTION',

  liaisonStation: (street: string, stationId: string): PrimaryKey => ({
    pk: `LIAISON_STATIONS#${id(street, 'street')}`,
    sk: `STATION#${id(stationId, 'liaison station id')}`,
  }),

  liaisonStationsOfStreet: (street: string): KeyQuery =>
    tableQuery(`LIAISON_STATIONS#${id(street, 'street')}`, { sortKeyPrefix: 'STATION#' }),

  auditStreamOfLiaisonStation: (street: string, stationId: string): string =>
    `LIAISON_STATION#${id(street, 'street')}#${id(stationId, 'liaison station id')}`,

  /** Claims an email for one deputy (emails are unique; the claim holds the deputy id). */
  deputyEmail: (email: string): PrimaryKey => ({
    pk: `DEPUTY_EMAIL#${id(email.trim().toLowerCase(), 'email')}`,
    sk: 'DEPUTY_EMAIL',
  }),

  auditStreamOfDeputy: (deputyId: string): string => deputyPk(deputyId),

  auditStreamOfDepartment: (departmentId: string): string => departmentPk(departmentId),

  auditStreamOfCommittee: (committeeId: string): string => committeePk(committeeId),

  /** Rules share the `ROUTING` partition, so each rule's events live in a partition of its own. */
  auditStreamOfRoutingRule: (category: string, street: string): string =>
    `ROUTING_RULE#${routingRuleSuffix(category, street)}`,

  // --- index attributes written on items ---
  /** Sorted by the start instant in UTC, whatever offset the organiser wrote it with. */
  activityListing: (status: string, startsAt: string, activityId: string): ListingKey => ({
    listPk: `ACTIVITIES#${id(status, 'status')}`,
    listSk: `${utcInstant(startsAt)}#${id(activityId, 'activity id')}`,
  }),

  activityOwnership: (organiserId: string, startsAt: string, activityId: string): OwnershipKey => ({
    ownerPk: `ORGANISER#${id(organiserId, 'organiser id')}`,
    ownerSk: `ACTIVITY#${utcInstant(startsAt)}#${id(activityId, 'activity id')}`,
  }),

  invitationOwnership: (deputyId: string, startsAt: string, activityId: string): OwnershipKey => ({
    ownerPk: deputyPk(deputyId),
    ownerSk: `INVITATION#${startsAt}#${activityId}`,
  }),

  /** A theme campaign (主题活动) grouping activities of any type over months. */
  campaign: (campaignId: string): PrimaryKey => ({
    pk: `CAMPAIGN#${id(campaignId, 'campaign id')}`,
    sk: 'CAMPAIGN',
  }),

  campaignListing: (from: string, campaignId: string): ListingKey => ({
    listPk: 'CAMPAIGNS',
    listSk: `${statsDate(from)}#${id(campaignId, 'campaign id')}`,
  }),

  campaignsByStart: (): KeyQuery => listingQuery('CAMPAIGNS'),

  /**
   * A guest deputy (another district's, invited to a cross-inspection) is listed apart from
   * the roster (`DEPUTIES`), so roster lists and counts never hold them.
   */
  guestDeputyListing: (district: string, name: string, deputyId: string): ListingKey => ({
    listPk: 'GUEST_DEPUTIES',
    listSk: `${district}#${name}#${id(deputyId, 'deputy id')}`,
  }),

  guestDeputies: (): KeyQuery => listingQuery('GUEST_DEPUTIES'),

  deputyListing: (name: string, deputyId: string): ListingKey => ({
    listPk: 'DEPUTIES',
    listSk: `${name}#${id(deputyId, 'deputy id')}`,
  }),

  departmentListing: (name: string, departmentId: string): ListingKey => ({
    listPk: 'DEPARTMENTS',
    listSk: `${name}#${id(departmentId, 'department id')}`,
  }),

  committeeListing: (name: string, committeeId: string): ListingKey => ({
    listPk: 'COMMITTEES',
    listSk: `${name}#${id(committeeId, 'committee id')}`,
  }),

  /**
   * The 督办 list entry of a referral: one partition per supervising committee, open referrals
   * before closed ones, each by due instant (UTC), so a committee's overdue referrals are the
   * first of its open ones and "overdue" is a key range. A referral without a due date yet (a
   * draft) sorts after every dated one. Written by every change of committee, due or closure
   * (functions/referrals/listing.ts).
   */
  referralListing: (entry: {
    referralId: string;
    committeeId?: string | undefined;
    closed: boolean;
    /** The due instant (ISO), absent while the referral has no due date. */
    due?: string | undefined;
  }): ListingKey => ({
    listPk: referralsPk(entry.committeeId),
    listSk: `${entry.closed ? 'CLOSED' : 'OPEN'}#${entry.due === undefined ? NO_DUE : utcInstant(entry.due)}#${id(entry.referralId, 'referral id')}`,
  }),

  referralOwnership: (activityId: string, departmentId: string): OwnershipKey => ({
    ownerPk: activityPk(activityId),
    ownerSk: `REFERRAL#${id(departmentId, 'department id')}`,
  }),

  // --- signed links and referral responses (issue 4) ---
  /** The server-side record of a signed link (functions/shared/data/links.ts). */
  link: (linkId: string): PrimaryKey => ({ pk: `LINK#${id(linkId, 'link id')}`, sk: 'LINK' }),

  /**
   * Marks one department action of one round as received, so a replayed POST acts once.
   * `discriminator` separates actions that may repeat with different content (progress notes).
   */
  referralResponse: (
    referralId: string,
    round: number,
    action: string,
    discriminator?: string,
  ): PrimaryKey => ({
    pk: referralPk(referralId),
    sk:
      `RESPONSE#${round}#${id(action, 'action')}` +
      (discriminator === undefined ? '' : `#${id(discriminator, 'discriminator')}`),
  }),

  /** One raiser's rating of one round of a referral. */
  referralRating: (referralId: string, round: number, raiserRef: string): PrimaryKey => ({
    pk: referralPk(referralId),
    sk: `RATING#${round}#${id(raiserRef, 'raiser ref')}`,
  }),

  /** Every department response of a referral, all rounds, in round order. */
  responsesOfReferral: (referralId: string): KeyQuery =>
    tableQuery(referralPk(referralId), { sortKeyPrefix: 'RESPONSE#' }),

  /** Every rating of one round of a referral. */
  ratingsOfReferralRound: (referralId: string, round: number): KeyQuery =>
    tableQuery(referralPk(referralId), { sortKeyPrefix: `RATING#${round}#` }),

  // --- queries ---
  invitationsOfActivity: (activityId: string): KeyQuery =>
    tableQuery(activityPk(activityId), { sortKeyPrefix: 'INVITATION#' }),

  auditEventsOfStream: (streamId: string): KeyQuery =>
    tableQuery(streamId, { sortKeyPrefix: 'AUDIT#' }),

  checkInAuditRecordsOfActivity: (activityId: string): KeyQuery =>
    tableQuery(activityPk(activityId), { sortKeyPrefix: 'AUDIT_CHECKIN#' }),

  findingsOfActivity: (activityId: string): KeyQuery =>
    tableQuery(activityPk(activityId), { sortKeyPrefix: 'FINDING#' }),

  findingAuditRecordsOfActivity: (activityId: string): KeyQuery =>
    tableQuery(activityPk(activityId), { sortKeyPrefix: 'AUDIT_FINDING#' }),

  referralsOfActivity: (activityId: string): KeyQuery =>
    ownershipQuery(activityPk(activityId), { sortKeyPrefix: 'REFERRAL#' }),

  /**
   * The open (or closed) referrals of one supervising committee (`undefined`: those without
   * one) by due instant, optionally only those due after `dueAfter` (exclusive) and up to
   * `dueUntil` (inclusive), both ISO instants; a bounded range leaves out undated referrals.
   */
  referralsOfCommittee: (
    committeeId: string | undefined,
    state: 'OPEN' | 'CLOSED',
    due: { dueAfter?: string | undefined; dueUntil?: string | undefined } = {},
  ): KeyQuery => {
    const bounded = due.dueAfter !== undefined || due.dueUntil !== undefined;
    return listingQuery(
      referralsPk(committeeId),
      bounded
        ? {
            // Every listSk is `<state>#<instant>#<id>`: `<instant>#\uffff` sorts after each key
            // of that instant and before the next instant's.
            sortKeyRange: {
              from: `${state}#${due.dueAfter === undefined ? '' : `${utcInstant(due.dueAfter)}#\uffff`}`,
              to: `${state}#${utcInstant(due.dueUntil ?? LAST_INSTANT)}#\uffff`,
            },
          }
        : { sortKeyPrefix: `${state}#` },
    );
  },

  /**
   * The activities of one status by start time, or those starting within `period` (ISO
   * instants, both included): `GET /activities` (functions/activities/list.ts).
   */
  activitiesByStatus: (status: string, period?: StartPeriod): KeyQuery =>
    listingQuery(
      `ACTIVITIES#${id(status, 'status')}`,
      period ? { sortKeyRange: startRange('', period) } : {},
    ),

  /** Deputies by name, or those whose name starts with `namePrefix` (the invitee picker). */
  deputiesByName: (namePrefix?: string): KeyQuery =>
    listingQuery(
      'DEPUTIES',
      namePrefix === undefined ? {} : { sortKeyPrefix: id(namePrefix, 'name prefix') },
    ),

  departmentsByName: (): KeyQuery => listingQuery('DEPARTMENTS'),

  committeesByName: (): KeyQuery => listingQuery('COMMITTEES'),

  /** Every routing rule, by category then street (one small partition). */
  routingRules: (): KeyQuery => tableQuery('ROUTING', { sortKeyPrefix: 'RULE#' }),

  invitationsOfDeputy: (deputyId: string): KeyQuery =>
    ownershipQuery(deputyPk(deputyId), { sortKeyPrefix: 'INVITATION#' }),

  /** An organiser's activities by start time, or those starting within `period`. */
  activitiesOfOrganiser: (organiserId: string, period?: StartPeriod): KeyQuery =>
    ownershipQuery(
      `ORGANISER#${id(organiserId, 'organiser id')}`,
      period ? { sortKeyRange: startRange('ACTIVITY#', period) } : { sortKeyPrefix: 'ACTIVITY#' },
    ),

  // --- email delivery (issue 4, functions/shared/email/send-once.ts) ---
  /**
   * The at-most-once claim of one email: `claimKey` names the step's email (e.g.
   * `REFERRAL#<id>#ROUND#<n>#DEPARTMENT`); the sort key is constant, so a `#` inside the claim
   * key cannot spell another item.
   */
  emailClaim: (claimKey: string): PrimaryKey => {
    if (claimKey.length === 0 || claimKey.length > 900) {
      throw new Error(`Invalid email claim key: ${JSON.stringify(claimKey)}`);
    }
    return { pk: `EMAIL#${claimKey}`, sk: 'EMAIL' };
  },

  /**
   * Claim keys of the emails about an activity sent to one deputy (each at most once):
   * the reminder before the start and the cancellation notice (once per activity), and the
   * change notice or withdrawal of one revision.
   */
  /**
   * Claim key of a deputy's invitation to an activity (one ever, whether it went out with the
   * activity's invitations or after a change added the deputy).
   */
  invitationEmailClaimKey: (activityId: string, deputyId: string): string =>
    `INVITATION#${id(activityId, 'activity id')}#${id(deputyId, 'deputy id')}`,

  activityEmailClaimKey: (
    activityId: string,
    deputyId: string,
    email: 'REMINDER' | 'CANCELLATION' | { change: number } | { withdrawal: number },
  ): string => {
    const base = `ACTIVITY#${id(activityId, 'activity id')}#DEPUTY#${id(deputyId, 'deputy id')}`;
    if (typeof email === 'string') return `${base}#${email}`;
    const [kind, revision] =
      'change' in email ? ['CHANGE', email.change] : ['WITHDRAWAL', email.withdrawal];
    return `${base}#${kind}#${revisionSuffix(revision)}`;
  },

  /**
   * Claim key of the activity report emailed to one organiser mailbox (`recipientDigest`: a
   * digest of the address, which need not be stored or logged).
   */
  reportEmailClaimKey: (activityId: string, recipientDigest: string): string =>
    `${activityPk(activityId)}#REPORT#${id(recipientDigest, 'recipient digest')}`,

  /**
   * Claim keys of a referral's emails in one round: the department's email, each reminder
   * (per due instant and offset, so an extension gets its own), the escalation at the due
   * instant, and the feedback request to each raiser.
   */
  referralEmailClaimKey: (
    referralId: string,
    round: number,
    email:
      | { department: string }
      | { reminder: string; offsetSeconds: number }
      | { escalation: string }
      | { feedback: string },
  ): string => {
    const base = `REFERRAL#${id(referralId, 'referral id')}#ROUND#${round}`;
    if ('department' in email) return `${base}#DEPARTMENT#${id(email.department, 'department id')}`;
    if ('reminder' in email) return `${base}#REMINDER#${email.reminder}#${email.offsetSeconds}`;
    if ('escalation' in email) return `${base}#ESCALATION#${email.escalation}`;
    return `${base}#FEEDBACK#${id(email.feedback, 'raiser reference')}`;
  },

  /** Claim key of the organisers' alert about one bounce or complaint of one message. */
  mailEventEmailClaimKey: (messageId: string, status: 'BOUNCED' | 'COMPLAINED'): string =>
    `MAILEVENT#${id(messageId, 'SES message id')}#${status}`,

  /** Claim key of the `requests`-th home link a deputy asked for in one hour since the epoch. */
  homeLinkEmailClaimKey: (deputyId: string, hour: number, requests: number): string =>
    `HOME_LINK#${id(deputyId, 'deputy id')}#${hour}#${requests}`,

  /** One change of an activity (PATCH /activities/{id}), kept until its notices are out. */
  activityChange: (activityId: string, revision: number): PrimaryKey => ({
    pk: activityPk(activityId),
    sk: `CHANGE#${revisionSuffix(revision)}`,
  }),

  changesOfActivity: (activityId: string): KeyQuery =>
    tableQuery(activityPk(activityId), { sortKeyPrefix: 'CHANGE#' }),

  /**
   * The count of home-link requests for one address (a digest: no address in a key) in one
   * hour since the epoch (functions/deputy/home.ts rate-limits with it).
   */
  homeLinkRequests: (addressDigest: string, hour: number): PrimaryKey => ({
    pk: `HOME_LINK_REQUESTS#${id(addressDigest, 'address digest')}`,
    sk: `HOUR#${hour}`,
  }),

  /** SES message id → the email claim that sent it (bounce and complaint notifications). */
  sesMessage: (messageId: string): PrimaryKey => ({
    pk: `SESMSG#${id(messageId, 'SES message id')}`,
    sk: 'SESMSG',
  }),

  // --- invitation responses (unchained audit records, docs/activity-workflow.md) ---
  /**
   * The unchained audit record of the `n`-th answer (1, 2, …) of one deputy to an invitation,
   * written in the answer's own transaction: a deputy may change their answer until check-in
   * opens, so each change is its own record. OpenCheckIn seals them all with one chained event.
   * `n` is zero-padded so a deputy's records sort in order.
   */
  invitationResponseAuditRecord: (activityId: string, deputyId: string, n: number): PrimaryKey => {
    if (!Number.isSafeInteger(n) || n < 1 || n >= 10 ** AUDIT_SEQ_WIDTH) {
      throw new Error(`Invalid invitation response number: ${n}`);
    }
    return {
      pk: activityPk(activityId),
      sk: `AUDIT_RESPONSE#${id(deputyId, 'deputy id')}#${String(n).padStart(AUDIT_SEQ_WIDTH, '0')}`,
    };
  },

  invitationResponseAuditRecordsOfActivity: (activityId: string): KeyQuery =>
    tableQuery(activityPk(activityId), { sortKeyPrefix: 'AUDIT_RESPONSE#' }),

  // --- audit statistics and duty records (issue 5, functions/audit-stats) ---
  /**
   * The statistics item of one completed activity, in the partition of the month (China time)
   * the activity started in: a period's statistics read whole months, never the table.
   */
  statsOfActivity: (month: string, activityId: string): PrimaryKey => ({
    pk: `STATS#${statsMonth(month)}`,
    sk: `ACTIVITY#${id(activityId, 'activity id')}`,
  }),

  /** The statistics item of one referral, in the month partition of its activity. */
  statsOfReferral: (month: string, referralId: string): PrimaryKey => ({
    pk: `STATS#${statsMonth(month)}`,
    sk: `REFERRAL#${id(referralId, 'referral id')}`,
  }),

  /** Every statistics item of one month (activities, then referrals). */
  statsOfMonth: (month: string): KeyQuery => tableQuery(`STATS#${statsMonth(month)}`),

  /**
   * Listing of a referral whose statistics are still read live (not yet closed): set on its
   * statistics item while it is open and removed when it closes, so a period query reads the
   * open referrals of its days and nothing of the closed ones (those are in the rollups).
   */
  openReferralStatsListing: (date: string, referralId: string): ListingKey => ({
    listPk: `STATS_OPEN#${statsMonth(statsDate(date).slice(0, 7))}`,
    listSk: `${date}#${id(referralId, 'referral id')}`,
  }),

  /** The open referrals of the days `from`..`to` (China dates, both included) of one month. */
  openReferralStatsOfDays: (from: string, to: string): KeyQuery =>
    listingQuery(`STATS_OPEN#${sameMonth(from, to)}`, {
      // Every listSk is `<date>#<id>`: `<to>$` sorts after all of `to`'s and before the next day.
      sortKeyRange: { from: `${statsDate(from)}#`, to: `${statsDate(to)}$` },
    }),

  /**
   * The additive statistics rollup of a month (`day` omitted) or of one day, for one scope of
   * the statistics query: every filter combination the query accepts has its own, so a whole
   * month is one GetItem whatever the number of activities.
   */
  statsRollup: (scope: StatsRollupScope, month: string, day?: string): PrimaryKey => ({
    pk: `STATS_ROLLUP#${statsMonth(month)}#${rollupScope(scope)}`,
    sk: day === undefined ? 'MONTH' : `DAY#${statsDay(month, day)}`,
  }),

  /** The day rollups of `from`..`to` (China dates, both included) of one month and scope. */
  statsRollupDays: (scope: StatsRollupScope, from: string, to: string): KeyQuery =>
    tableQuery(`STATS_ROLLUP#${sameMonth(from, to)}#${rollupScope(scope)}`, {
      // Day sort keys are exactly `DAY#<DD>`: BETWEEN includes both ends, as the period does.
      sortKeyRange: { from: `DAY#${from.slice(8, 10)}`, to: `DAY#${to.slice(8, 10)}` },
    }),

  /**
   * Ownership of a finding by the deputy who raised it, by its activity's start (as the
   * deputy's invitations): a duty record's year is the year of the activities.
   */
  findingOwnership: (
    deputyId: string,
    activityStartsAt: string,
    findingId: string,
  ): OwnershipKey => ({
    ownerPk: deputyPk(deputyId),
    ownerSk: `FINDING#${activityStartsAt}#${id(findingId, 'finding id')}`,
  }),

  // --- duty records (履职档案, functions/audit-stats/duty.ts) ---
  /** What one deputy did at one completed activity: written once, at its completion. */
  dutyEntry: (deputyId: string, activityStartsAt: string, activityId: string): PrimaryKey => ({
    pk: deputyPk(deputyId),
    sk: `DUTY#${activityStartsAt}#${id(activityId, 'activity id')}`,
  }),

  /** A deputy's duty entries of activities starting in `[from, to)` (ISO instants), in order. */
  dutyEntriesOfDeputyBetween: (deputyId: string, period: { from: string; to: string }): KeyQuery =>
    tableQuery(deputyPk(deputyId), {
      sortKeyRange: { from: `DUTY#${period.from}`, to: `DUTY#${period.to}` },
    }),

  /** The counters of a deputy's duty year, of all streets or of one (a scoped organiser's). */
  dutySummary: (deputyId: string, year: number, street?: string): PrimaryKey => ({
    pk: deputyPk(deputyId),
    sk: `DUTY_SUMMARY#${year}#${street === undefined ? 'ALL' : `STREET#${id(street, 'street')}`}`,
  }),

  // --- audit queries on ended activities (issue 5, functions/audit) ---
  /**
   * One listing entry of an ended activity (COMPLETED, CANCELLED or FAILED) for one dimension of
   * the audit query: `ALL`, `STREET`, `TYPE` or `ORGANISER`. The entries live in the activity's
   * partition; the step that sets the final status puts them (a later final status overwrites).
   */
  endedActivityEntry: (activityId: string, dimension: EndedActivityDimension): PrimaryKey => ({
    pk: activityPk(activityId),
    sk: `AUDIT_LISTING#${dimension}`,
  }),

  /**
   * The listing key of an ended activity's entry: one partition per final status and UTC month
   * of `endedAt` (and per street, type or organiser for those dimensions), sorted by end time,
   * so a period query reads only the months it spans and its first page costs the same
   * whatever the table holds.
   */
  endedActivityListing: (
    partition: EndedActivityPartition,
    endedAt: string,
    activityId: string,
  ): ListingKey => ({
    listPk: endedActivitiesPk(partition),
    listSk: `${endedAt}#${id(activityId, 'activity id')}`,
  }),

  /** The ended activities of one partition (status, month, dimension), by end time. */
  endedActivities: (partition: EndedActivityPartition): KeyQuery =>
    listingQuery(endedActivitiesPk(partition)),
};

/** The due part of the sort key of a referral that has no due date yet: after every instant. */
const NO_DUE = 'NO_DUE';
const LAST_INSTANT = '9999-12-31T23:59:59.999Z';

const referralsPk = (committeeId: string | undefined): string =>
  committeeId === undefined
    ? 'REFERRALS_NO_COMMITTEE'
    : `REFERRALS#${id(committeeId, 'committee id')}`;

/** A period of start times: ISO instants, both included. */
export interface StartPeriod {
  from?: string;
  to?: string;
}

/**
 * The sort-key range `<prefix><startsAt>#<id>` of a start period. Every key ends in `#<id>`, so
 * `<to>#\uffff` sorts after each key of an activity starting at `to`, and `<prefix>0` before all
 * (an instant starts with a digit; an empty bound is not a key DynamoDB accepts, so a period
 * with only `to` must not start at `<prefix>` when the prefix is empty).
 * Both the keys ({@link utcInstant}) and the bounds are `toISOString` instants.
 */
const startRange = (prefix: string, period: StartPeriod): { from: string; to: string } => ({
  from: `${prefix}${period.from ?? '0'}`,
  to: `${prefix}${period.to ?? '\uffff'}#\uffff`,
});

export type EndedActivityDimension = 'ALL' | 'STREET' | 'TYPE' | 'ORGANISER';

/** One partition of the ended-activities listing (issue 5, functions/audit). */
export interface EndedActivityPartition {
  status: string;
  /** `YYYY-MM` (UTC) of the end time. */
  month: string;
  dimension: EndedActivityDimension;
  /** The street code, type code or organiser `sub`; absent for `ALL`. */
  value?: string;
}

function endedActivitiesPk(partition: EndedActivityPartition): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(partition.month)) {
    throw new Error(`Invalid month for a key: ${JSON.stringify(partition.month)}`);
  }
  const base = `ENDED#${id(partition.status, 'status')}#${partition.month}`;
  if (partition.dimension === 'ALL') return base;
  const value = id(partition.value ?? '', partition.dimension.toLowerCase());
  return `${base}#${partition.dimension}#${value}`;
}

/** `YYYY-MM`, the month of a statistics partition. */
/** The scope of a statistics rollup: which of the query's filters it answers. */
export interface StatsRollupScope {
  street?: string;
  type?: string;
  /** A theme campaign's rollups: every activity of the campaign, whatever its street or type. */
  campaign?: string;
}

const rollupScope = (scope: StatsRollupScope): string =>
  [
    ...(scope.campaign !== undefined ? [`CAMPAIGN#${id(scope.campaign, 'campaign id')}`] : []),
    ...(scope.street !== undefined ? [`STREET#${id(scope.street, 'street')}`] : []),
    ...(scope.type !== undefined ? [`TYPE#${id(scope.type, 'activity type')}`] : []),
  ].join('#') || 'ALL';

const statsDate = (date: string): string => {
  if (!/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(date)) {
    throw new Error(`Invalid statistics date: ${JSON.stringify(date)}`);
  }
  return date;
};

const statsDay = (month: string, date: string): string => {
  if (statsDate(date).slice(0, 7) !== month) {
    throw new Error(`Statistics date ${date} is not in month ${month}`);
  }
  return date.slice(8, 10);
};

/** The month of a day range that must not cross a month (a rollup partition is one month). */
const sameMonth = (from: string, to: string): string => {
  const month = statsDate(from).slice(0, 7);
  if (statsDate(to).slice(0, 7) !== month || from > to) {
    throw new Error(`Invalid statistics day range ${from}..${to}`);
  }
  return statsMonth(month);
};

const statsMonth = (month: string): string => {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) {
    throw new Error(`Invalid statistics month: ${JSON.stringify(month)}`);
  }
  return month;
};

const lookupDigestOf = (digest: string): string => {
  if (!/^[0-9a-f]{64}$/.test(digest)) throw new Error('Invalid resident lookup digest');
  return digest;
};

const isoInstant = (instant: string): string => {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/.test(instant)) {
    throw new Error(`Invalid instant for a key: ${JSON.stringify(instant)}`);
  }
  return instant;
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
  } else if (query.sortKeyRange !== undefined) {
    // BETWEEN is inclusive at both ends; every key of these ranges ends in `#<id>`, so no key
    // equals the bare `to` bound and the range is in effect half-open.
    names['#sk'] = query.sortKeyName;
    values[':skFrom'] = query.sortKeyRange.from;
    values[':skTo'] = query.sortKeyRange.to;
    condition += ' AND #sk BETWEEN :skFrom AND :skTo';
  }
  return {
    ...(query.indexName ? { IndexName: query.indexName } : {}),
    KeyConditionExpression: condition,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
};
