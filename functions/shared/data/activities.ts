import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys.js';
import { getItem, queryAll } from './query.js';
import { NotFoundError } from '../errors.js';
import type { ActivityChangeItem, ActivityItem } from './items.js';
import type { TransactItem } from './transact.js';
import type { ActivityStatus } from '../domain/reference.js';
import type { Caller } from '../http/auth.js';

/**
 * A caller's request on one activity, as its route hands it to the decision (cancel, change,
 * record a finding): the activity's id from the path, the checked body, who asks.
 */
export interface ActivityRequest<Body> {
  activityId: string;
  body: Body;
  caller: Caller;
}

export interface Store {
  db: DynamoDBDocumentClient;
  tableName: string;
}

export const getActivity = (store: Store, activityId: string): Promise<ActivityItem | undefined> =>
  getItem<ActivityItem>(store, keys.activity(activityId));

/**
 * The activity, strongly consistent, or NotFoundError. `T` names the attributes the caller's
 * area reads (each area adds its own to the item), read defensively: older items lack them.
 */
export const loadActivity = async <T extends ActivityItem = ActivityItem>(
  store: Store,
  activityId: string,
): Promise<T> => {
  const activity = await getActivity(store, activityId);
  if (!activity) throw new NotFoundError(`Activity ${activityId} not found`);
  return activity as T;
};

/** The changes of an activity (PATCH), oldest first, strongly consistent. */
export const listActivityChanges = (
  store: Store,
  activityId: string,
): Promise<ActivityChangeItem[]> =>
  queryAll<ActivityChangeItem>(store, keys.changesOfActivity(activityId));

/**
 * A transaction item that writes nothing and holds only while the activity has one of
 * `statuses`: answers, check-ins and findings go in without contending on the activity's audit
 * chain, and none is added once a step has moved the activity on.
 */
export const activityStatusCheck = (
  tableName: string,
  activityId: string,
  // Strings: an area may compare statuses its own record type reads as strings.
  statuses: readonly [ActivityStatus | (string & {}), ...string[]],
): TransactItem => ({
  ConditionCheck: {
    TableName: tableName,
    Key: keys.activity(activityId),
    ConditionExpression: `#status IN (${statuses.map((_, i) => `:status${i}`).join(', ')})`,
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: Object.fromEntries(
      statuses.map((status, i) => [`:status${i}`, status]),
    ),
  },
});
