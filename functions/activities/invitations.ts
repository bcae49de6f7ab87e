import { getActivity, type Store } from '../shared/data/activities.js';
import { getDeputies } from '../shared/data/deputies.js';
import { listInvitations } from '../shared/data/invitations.js';
import { NotFoundError } from '../shared/errors.js';
import { isOrganiserOf, type Caller } from '../shared/http/auth.js';
import type { InvitationView } from './answers.js';
import type { InvitationRecord } from './view.js';

/**
 * The invitations of an activity with each deputy's answer and check-in, for the organisers in
 * scope and for auditors; anyone else (an organiser of another street) gets 404, as for the
 * activity itself. Reads only the deputies' names, seats and guest mark: no contact data.
 */
export const listActivityInvitations = async (
  store: Store,
  activityId: string,
  caller: Caller,
): Promise<{ activityId: string; items: InvitationView[] }> => {
  const activity = await getActivity(store, activityId);
  const visible =
    activity !== undefined && (isOrganiserOf(caller, activity) || caller.roles.includes('auditor'));
  if (!visible) throw new NotFoundError(`Activity ${activityId} not found`);

  const invitations = (await listInvitations(store, activityId)) as InvitationRecord[];
  const deputies = invitations.length
    ? await getDeputies(
        store,
        invitations.map((invitation) => invitation.deputyId),
        ['name', 'seats', 'guest'],
      )
    : new Map<string, never>();

  return {
    activityId,
    items: invitations.map((invitation) => {
      const deputy = deputies.get(invitation.deputyId);
      return {
        deputyId: invitation.deputyId,
        name: deputy?.name ?? null,
        levels: (deputy?.seats ?? []).map((seat) => seat.level),
        guest: deputy?.guest !== undefined,
        answer: invitation.response
          ? {
              response: invitation.response,
              note: invitation.responseNote ?? null,
              at: invitation.respondedAt ?? null,
            }
          : null,
        checkIn: invitation.checkedInAt
          ? { method: invitation.checkInMethod ?? 'API', at: invitation.checkedInAt }
          : null,
      };
    }),
  };
};
