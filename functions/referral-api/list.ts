import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { referralIdOf } from '../findings/model.js';
import { listedDueOf } from '../referrals/listing.js';
import { CLOSED_STATUSES } from '../referrals/model.js';
import { roundOf, type ReferralItem } from '../shared/data/referrals.js';
import { readListPage, residualFilter } from '../shared/http/list-page.js';
import { keys, toQueryParams, type KeyQuery } from '../shared/data/keys.js';
import type { ResidualFilter, SortedSource } from '../shared/data/merged-pages.js';
import { dueDateOfInstant } from '../shared/domain/deadlines.js';
import { ForbiddenError } from '../shared/errors.js';
import { streetOfClaim, type Caller } from '../shared/http/auth.js';
import type { ListReferralsQuery, ReferralListItem } from './schemas.js';
import { fieldsOrNull } from '../shared/domain/fields.js';

/**
 * `GET /referrals` (issue 15): the 督办 list. Reads the listing index, one partition per
 * supervising committee (keys.referralsOfCommittee), open referrals by due instant, so a
 * committee's overdue referrals come first and "overdue" and a due period are key ranges;
 * without a committee, the partitions of every committee are merged in the same order. One
 * activity's referrals come from the ownership index instead. Status, department and street
 * are residual filters; the street is the referral's own (its activity's), so a street
 * organiser's scope is a filter the caller cannot lift.
 */

export interface ListReferralsDeps {
  db: DynamoDBDocumentClient;
  tableName: string;
  now?: () => Date;
}

/**
 * Who may list which referrals: auditors (read-only) and unscoped organisers all, an organiser
 * with a street claim only its street's, and a claim that names no street nothing (403).
 */
export const referralScopeOf = (caller: Caller, street: string | undefined) => {
  if (caller.roles.includes('auditor') || !caller.street) return street ? { street } : {};
  const own = streetOfClaim(caller.street);
  if (!own) throw new ForbiddenError('Your street claim names no street');
  if (street && street !== own) {
    throw new ForbiddenError('You may only list the referrals of your own street');
  }
  return { street: own };
};

type State = 'OPEN' | 'CLOSED';

export interface ReferralListPlan {
  sources: SortedSource[];
  filter?: ResidualFilter;
  binding: Record<string, unknown>;
  /** The merge order of an item; the same order as each source's sort key. */
  orderOf: (item: Record<string, unknown>) => string;
}

const NO_COMMITTEE = '-';

/** The referral id at the end of a listing sort key (`<state>#<due>#<id>`). */
const referralIdOfListing = (sortKey: string): string => {
  const match = /^(?:OPEN|CLOSED)#[^#]+#([0-9A-Za-z_-]{1,64})$/.exec(sortKey);
  if (!match) throw new Error('Not a referral listing sort key');
  return match[1]!;
};

/** The committees whose partitions a query without `committeeId` merges (and "none"). */
const committeeIdsOf = async (deps: ListReferralsDeps): Promise<string[]> => {
  const ids: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const params = toQueryParams(keys.committeesByName());
    const out = await deps.db.send(
      new QueryCommand({
        TableName: deps.tableName,
        ...params,
        ExpressionAttributeNames: { ...params.ExpressionAttributeNames, '#id': 'id' },
        ProjectionExpression: '#id',
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of out.Items ?? []) if (typeof item.id === 'string') ids.push(item.id);
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return ids;
};

export const planReferralList = (
  caller: Caller,
  query: ListReferralsQuery,
  committeeIds: readonly string[],
  now: Date,
): ReferralListPlan => {
  const scope = referralScopeOf(caller, query.street);
  const states: State[] = query.status
    ? [CLOSED_STATUSES.includes(query.status) ? 'CLOSED' : 'OPEN']
    : query.overdue
      ? ['OPEN']
      : ['OPEN', 'CLOSED'];
  // The period is of the due day: a due date D is due at the end of D (China time), so its
  // instant lies after the start of `from` and up to the end of `to` (plus the instant itself).
  let dueUntil = query.to ? new Date(Date.parse(query.to) + 1).toISOString() : undefined;
  if (query.overdue) {
    const lastOverdue = new Date(now.getTime() - 1).toISOString();
    if (!dueUntil || lastOverdue < dueUntil) dueUntil = lastOverdue;
  }
  const due = { dueAfter: query.from, dueUntil };

  const filter = residualFilter();
  if (scope.street) filter.equals('street', scope.street);
  if (query.status) filter.equals('status', query.status);
  if (query.departmentId) filter.equals('departmentId', query.departmentId);

  let sources: SortedSource[];
  let orderOf: ReferralListPlan['orderOf'];
  if (query.activityId) {
    // One activity's few referrals: its ownership partition, committee and due as filters.
    const activityId = query.activityId;
    if (query.committeeId) filter.equals('committeeId', query.committeeId);
    filter.names['#f_listSk'] = 'listSk';
    const ranges = states.map((state, index) => {
      const range = keys.referralsOfCommittee(undefined, state, due);
      if (range.sortKeyRange) {
        filter.values[`:f_from${index}`] = range.sortKeyRange.from;
        filter.values[`:f_to${index}`] = range.sortKeyRange.to;
        return `#f_listSk BETWEEN :f_from${index} AND :f_to${index}`;
      }
      filter.values[`:f_prefix${index}`] = range.sortKeyPrefix;
      return `begins_with(#f_listSk, :f_prefix${index})`;
    });
    filter.add(ranges.length === 1 ? ranges[0]! : `(${ranges.join(' OR ')})`);
    const ownership: KeyQuery = keys.referralsOfActivity(activityId);
    sources = [
      {
        id: 'activity',
        query: ownership,
        startAfter: (sortKey) => {
          const departmentId = /^REFERRAL#([0-9A-Za-z_-]{1,64})$/.exec(sortKey)?.[1];
          if (!departmentId) throw new Error('Not a referral ownership sort key');
          return {
            ...keys.referral(referralIdOf(activityId, departmentId)),
            ownerPk: ownership.partitionKey,
            ownerSk: sortKey,
          };
        },
      },
    ];
    orderOf = (item) => String(item.ownerSk);
  } else {
    const committees: (string | undefined)[] = query.committeeId
      ? [query.committeeId]
      : [...committeeIds, undefined];
    sources = committees.flatMap((committeeId) =>
      states.map((state) => {
        const listing = keys.referralsOfCommittee(committeeId, state, due);
        return {
          id: `${committeeId ?? NO_COMMITTEE}:${state}`,
          query: listing,
          startAfter: (sortKey: string) => ({
            ...keys.referral(referralIdOfListing(sortKey)),
            listPk: listing.partitionKey,
            listSk: sortKey,
          }),
        };
      }),
    );
    // Open before closed, then by due instant and id, whichever committee: `OPEN` < `~`.
    orderOf = (item) => {
      const sortKey = String(item.listSk);
      return sortKey.startsWith('OPEN#') ? sortKey : `~${sortKey}`;
    };
  }

  return {
    sources,
    orderOf,
    ...filter.done(),
    binding: {
      q: 'GET /referrals',
      scope: scope.street ?? '*',
      status: query.status ?? null,
      overdue: query.overdue ?? false,
      ...fieldsOrNull(query, ['committeeId', 'departmentId', 'activityId', 'from', 'to']),
    },
  };
};

/** What a referral waits on now (null once closed). */
export const waitOf = (
  referral: ReferralItem & { failure?: unknown },
  due: string | undefined,
): ReferralListItem['waitingOn'] => {
  const path = (action: string) => `/referrals/${referral.id}/${action}`;
  const since = referral.pendingTask?.since ?? null;
  const wait = (
    party: NonNullable<ReferralListItem['waitingOn']>['party'],
    code: NonNullable<ReferralListItem['waitingOn']>['code'],
    deadline: string | null = null,
    action: string | null = null,
  ) => ({ party, code, since, deadline, path: action ? path(action) : null });
  if (CLOSED_STATUSES.includes(referral.status)) return null;
  if (referral.failure) return wait('ORGANISER', 'REDRIVE', null, 'redrive');
  const round = roundOf(referral);
  const extension = referral.extensionRequest as { status?: string; round?: number } | undefined;
  switch (referral.status) {
    case 'DRAFT':
      return wait('CHAIRMEN_MEETING', 'REVIEW');
    case 'APPROVED':
    case 'DISPATCHED':
      return wait('WORKFLOW', 'DISPATCH');
    case 'REOPENED':
      return wait('WORKFLOW', 'SEND');
    case 'RETURNED':
      return wait('ORGANISER', 'REROUTE', null, 'reroute');
    case 'REPLIED':
      return wait('RAISERS', 'RATE', referral.feedback?.ratingDeadline ?? null);
    default:
      if (extension?.status === 'PENDING' && extension.round === round) {
        return wait('ORGANISER', 'DECIDE_EXTENSION', due ?? null, 'extension');
      }
      return wait('DEPARTMENT', 'REPLY', due ?? null);
  }
};

/** What the list shows of a referral: no findings' text, no personal data, never a token. */
export const toReferralListItem = (
  referral: ReferralItem & { failure?: unknown; closedAt?: string },
  now: Date,
): ReferralListItem => {
  const due = listedDueOf(referral);
  const closed = CLOSED_STATUSES.includes(referral.status);
  return {
    id: referral.id,
    activityId: referral.activityId,
    departmentId: referral.departmentId,
    committeeId: referral.committeeId ?? null,
    street: referral.street ?? null,
    status: referral.status as ReferralListItem['status'],
    round: roundOf(referral),
    dueDate: due ? dueDateOfInstant(new Date(due)) : null,
    dueAt: due ?? null,
    overdue: !closed && due !== undefined && Date.parse(due) < now.getTime(),
    findings: referral.findingIds.length,
    dispatchedAt: referral.dispatchedAt ?? null,
    closedAt: referral.closedAt ?? null,
    failed: referral.failure !== undefined,
    waitingOn: waitOf(referral, due),
  };
};

/**
 * One page of `GET /referrals`: open referrals first, each by due instant (overdue first),
 * then closed ones; one activity's by department.
 */
export const listReferrals = async (
  deps: ListReferralsDeps,
  caller: Caller,
  query: ListReferralsQuery,
): Promise<{ items: ReferralListItem[]; nextCursor?: string }> => {
  const now = (deps.now ?? (() => new Date()))();
  // Scope first: a caller refused (403) costs no read.
  referralScopeOf(caller, query.street);
  const committeeIds = query.activityId || query.committeeId ? [] : await committeeIdsOf(deps);
  const plan = planReferralList(caller, query, committeeIds, now);
  const page = await readListPage<ReferralItem & Record<string, unknown>>(deps, plan, query, {
    orderOf: plan.orderOf,
    sourceIdLength: 80,
    // Each source takes one Query to start: many committees must still make a page.
    maxQueries: 25 + plan.sources.length,
  });
  return { ...page, items: page.items.map((referral) => toReferralListItem(referral, now)) };
};
