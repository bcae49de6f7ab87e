import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ActivityItem } from '../shared/data/items.js';
import { keys, type StartPeriod } from '../shared/data/keys.js';
import type { ResidualFilter, SortedSource } from '../shared/data/merged-pages.js';
import { ACTIVITY_STATUSES, type ActivityStatus } from '../shared/domain/reference.js';
import { ForbiddenError } from '../shared/errors.js';
import type { Caller } from '../shared/http/auth.js';
import { readListPage, residualFilter } from '../shared/http/list-page.js';
import type { ActivityListItem } from './answers.js';
import type { ListActivitiesQuery } from './schemas.js';
import { streetOfClaim } from './view.js';
import { ACTIVITY_SUMMARY_FIELDS, pickFields } from '../shared/domain/fields.js';

/**
 * `GET /activities` (issue 15): the activities organisers run, by status, street, type, start
 * period and organiser, and those waiting on an organiser. Reads the listing index by status
 * (`activitiesByStatus`, one partition per status, merged by start time) or, for one
 * organiser, the ownership index (`activitiesOfOrganiser`); never the table. Street, type and
 * "waiting" are residual filters on what those partitions hold.
 */

/** The human steps of the activity workflow, the status each waits in, and how to end it. */
export const HUMAN_STEPS = {
  START: {
    status: 'INVITATIONS_SENT',
    code: 'OPEN_CHECK_IN',
    path: 'check-in/open',
    endsAtDeadline: true,
  },
  ATTENDANCE: {
    status: 'CHECK_IN_OPEN',
    code: 'CLOSE_ATTENDANCE',
    path: 'attendance/close',
    endsAtDeadline: true,
  },
  FINDINGS: {
    status: 'FINDINGS_OPEN',
    code: 'CLOSE_FINDINGS',
    path: 'findings/close',
    endsAtDeadline: true,
  },
  // The chairmen's meeting decides each finding (POST …/review/decisions), then approves.
  REVIEW: {
    status: 'IN_REVIEW',
    code: 'DECIDE_AND_APPROVE',
    path: 'review/approve',
    endsAtDeadline: false,
  },
} as const satisfies Record<
  string,
  { status: ActivityStatus; code: string; path: string; endsAtDeadline: boolean }
>;

/** Statuses in which the workflow may wait at a human step. */
export const WAITING_STATUSES: readonly ActivityStatus[] = Object.values(HUMAN_STEPS).map(
  (step) => step.status,
);

export interface ListDeps {
  db: DynamoDBDocumentClient;
  tableName: string;
}

/**
 * Who may list which activities: auditors (read-only) and unscoped organisers all; an
 * organiser with a `custom:street` claim only that street, and a claim naming no street
 * nothing (403: scope fails closed). Asking for another street than one's own is 403.
 */
export const listScopeOf = (caller: Caller, street: string | undefined): { street?: string } => {
  if (caller.roles.includes('auditor')) return street ? { street } : {};
  if (!caller.roles.includes('organiser')) {
    throw new ForbiddenError('Listing activities requires the role organiser or auditor');
  }
  if (!caller.street) return street ? { street } : {};
  const own = streetOfClaim(caller.street);
  if (!own) throw new ForbiddenError('Your street claim names no street');
  if (street && street !== own) {
    throw new ForbiddenError('You may only list the activities of your own street');
  }
  return { street: own };
};

export interface ListPlan {
  sources: SortedSource[];
  filter?: ResidualFilter;
  binding: Record<string, unknown>;
}

const SORT_KEY =
  /^(?:ACTIVITY#)?\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#([0-9A-Za-z_-]{1,64})$/;

/** The activity id of a listing or ownership sort key; throws for anything else. */
const activityIdOfSortKey = (sortKey: string): string => {
  const match = SORT_KEY.exec(sortKey);
  if (!match) throw new Error('Not an activity sort key');
  return match[1]!;
};

/**
 * The partitions a query reads and the filter applied to them. One organiser: their ownership
 * partition (status a residual filter). Otherwise one listing partition per status asked for:
 * the one given, the statuses a human step waits in (`waiting=true`), or every status.
 */
export const planActivityList = (caller: Caller, query: ListActivitiesQuery): ListPlan => {
  const scope = listScopeOf(caller, query.street);
  const organiserId = query.mine ? caller.sub : query.organiserId;
  const period: StartPeriod | undefined =
    query.from || query.to
      ? { ...(query.from ? { from: query.from } : {}), ...(query.to ? { to: query.to } : {}) }
      : undefined;

  const filter = residualFilter();
  if (scope.street) filter.equals('street', scope.street);
  if (query.type) filter.equals('type', query.type);
  if (query.waiting) {
    filter.names['#f_pendingTask'] = 'pendingTask';
    filter.add('attribute_exists(#f_pendingTask)');
  }

  let sources: SortedSource[];
  if (organiserId !== undefined) {
    if (query.status) filter.equals('status', query.status);
    const listing = keys.activitiesOfOrganiser(organiserId, period);
    sources = [
      {
        id: 'organiser',
        query: listing,
        startAfter: (sortKey) => ({
          ...keys.activity(activityIdOfSortKey(sortKey)),
          ownerPk: listing.partitionKey,
          ownerSk: sortKey,
        }),
      },
    ];
  } else {
    const statuses: readonly ActivityStatus[] = query.status
      ? [query.status]
      : query.waiting
        ? WAITING_STATUSES
        : ACTIVITY_STATUSES;
    sources = statuses.map((status) => {
      const listing = keys.activitiesByStatus(status, period);
      return {
        id: status,
        query: listing,
        startAfter: (sortKey: string) => ({
          ...keys.activity(activityIdOfSortKey(sortKey)),
          listPk: listing.partitionKey,
          listSk: sortKey,
        }),
      };
    });
  }

  return {
    sources,
    ...filter.done(),
    binding: {
      q: 'GET /activities',
      scope: scope.street ?? '*',
      organiserId: organiserId ?? null,
      status: query.status ?? null,
      type: query.type ?? null,
      from: query.from ?? null,
      to: query.to ?? null,
      waiting: query.waiting ?? false,
    },
  };
};

/** What the list shows of an activity: no details, no personal data, never the task token. */
export const toListItem = (activity: ActivityItem): ActivityListItem => {
  const pending = activity.pendingTask;
  const step = pending ? HUMAN_STEPS[pending.phase as keyof typeof HUMAN_STEPS] : undefined;
  return {
    id: activity.id,
    ...pickFields(activity, ACTIVITY_SUMMARY_FIELDS),
    organiserId: activity.organiserId,
    status: activity.status,
    phase: activity.phase,
    invited: activity.invitedCount,
    ...(pending
      ? {
          pendingTask: {
            phase: pending.phase,
            since: pending.since,
            deadline: pending.deadline ?? null,
            action: step
              ? {
                  code: step.code,
                  method: 'POST' as const,
                  path: `/activities/${activity.id}/${step.path}`,
                  endsAtDeadline: step.endsAtDeadline,
                }
              : null,
          },
        }
      : {}),
  };
};

/** One page of `GET /activities`, by start time (then id), earliest first. */
export const listActivities = async (
  deps: ListDeps,
  caller: Caller,
  query: ListActivitiesQuery,
): Promise<{ items: ActivityListItem[]; nextCursor?: string }> => {
  const page = await readListPage<ActivityItem & Record<string, unknown>>(
    deps,
    planActivityList(caller, query),
    query,
    {
      orderOf: (activity) => keys.activityListing('-', activity.startsAt, activity.id).listSk,
      sourceIdLength: 40,
    },
  );
  return { ...page, items: page.items.map(toListItem) };
};
