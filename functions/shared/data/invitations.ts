import type { Store } from './activities.js';
import type { InvitationItem } from './items.js';
import { keys } from './keys.js';
import { getItem, queryAll, queryPages } from './query.js';

/**
 * The store of invitations (`pk=ACTIVITY#<id> sk=INVITATION#<deputyId>`): every read of an
 * invitation goes through here. Writes are parts of the transactions that answer, check in or
 * send (they change the activity's counts and audit chain in the same step).
 */

export const getInvitation = (
  store: Store,
  activityId: string,
  deputyId: string,
): Promise<InvitationItem | undefined> =>
  getItem<InvitationItem>(store, keys.invitation(activityId, deputyId), false);

/** Every invitation of an activity (at most a few thousand small items), page by page. */
export const listInvitations = (store: Store, activityId: string): Promise<InvitationItem[]> =>
  queryAll<InvitationItem>(store, keys.invitationsOfActivity(activityId));

/** How many invitations of an activity have been emailed (SES accepted the message). */
export const countSentInvitations = async (store: Store, activityId: string): Promise<number> => {
  const pages = queryPages(store, keys.invitationsOfActivity(activityId), {
    consistent: false,
    extra: {
      FilterExpression: 'attribute_exists(#messageId)',
      ExpressionAttributeNames: { '#messageId': 'emailMessageId' },
      Select: 'COUNT',
    },
  });
  let count = 0;
  for await (const page of pages) count += page.Count ?? 0;
  return count;
};
