import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Store } from './activities.js';
import type { InvitationItem } from './items.js';
import { keys, toQueryParams } from './keys.js';
import { queryAll } from './query.js';

/**
 * The store of invitations (`pk=ACTIVITY#<id> sk=INVITATION#<deputyId>`): every read of an
 * invitation goes through here. Writes are parts of the transactions that answer, check in or
 * send (they change the activity's counts and audit chain in the same step).
 */

export const getInvitation = async (
  { db, tableName }: Store,
  activityId: string,
  deputyId: string,
): Promise<InvitationItem | undefined> => {
  const { Item } = await db.send(
    new GetCommand({ TableName: tableName, Key: keys.invitation(activityId, deputyId) }),
  );
  return Item as InvitationItem | undefined;
};

/** Every invitation of an activity (at most a few thousand small items), page by page. */
export const listInvitations = (store: Store, activityId: string): Promise<InvitationItem[]> =>
  queryAll<InvitationItem>(store, keys.invitationsOfActivity(activityId));

/** How many invitations of an activity have been emailed (SES accepted the message). */
export const countSentInvitations = async (
  { db, tableName }: Store,
  activityId: string,
): Promise<number> => {
  const query = toQueryParams(keys.invitationsOfActivity(activityId));
  let count = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: tableName,
        ...query,
        FilterExpression: 'attribute_exists(#messageId)',
        ExpressionAttributeNames: {
          ...query.ExpressionAttributeNames,
          '#messageId': 'emailMessageId',
        },
        Select: 'COUNT',
        ExclusiveStartKey: startKey,
      }),
    );
    count += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return count;
};
