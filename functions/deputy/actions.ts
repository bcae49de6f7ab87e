import { getItem } from '../department/referral.js';
import { CheckInCodeError } from '../attendance/check-in-code.js';
import {
  checkInAtVenue,
  respondToInvitation,
  type AttendanceDeps,
  VenueCodeLockedError,
  type CheckInCodeKeyDeps,
} from '../attendance/domain.js';
import { recordFinding } from '../findings/domain.js';
import type { FindingItem } from '../findings/model.js';
import { recordFindingBodySchema } from '../findings/record-schemas.js';
import { keys } from '../shared/data/keys.js';
import { ConflictError, NotFoundError } from '../shared/errors.js';
import type { Caller } from '../shared/http/auth.js';
import type { DeputyLinkRecord } from '../shared/data/links.js';
import { FormError } from '../department/form.js';
import type { DeputyForm } from './form.js';
import { loadInvited } from './model.js';

/**
 * What a deputy's page does on POST: the same domain functions the JWT API uses (the invitation
 * response of `POST /activities/{id}/invitation/response`, the check-in, the finding of
 * `POST /activities/{id}/findings`), acting as the deputy the link names. Each acts once: a
 * repeat answers ALREADY and changes nothing.
 */

export type DeputyAction = DeputyForm['action'];

export type ActionOutcome =
  | { kind: 'DONE'; action: DeputyAction; detail?: string }
  | { kind: 'ALREADY'; action: DeputyAction }
  /** Not possible now (window closed, wrong code…): nothing changed. */
  | { kind: 'REFUSED'; action: DeputyAction; reason: RefusalReason };

export type RefusalReason =
  | 'ANSWERS_CLOSED'
  | 'CHECK_IN_NOT_OPEN'
  | 'WRONG_CODE'
  | 'TOO_MANY_CODES'
  | 'FINDINGS_CLOSED'
  | 'NOT_POSSIBLE';

export type ActionDeps = AttendanceDeps & CheckInCodeKeyDeps;

/** The deputy the link names, as the domain functions know a caller. */
export const deputyCallerOf = (link: Pick<DeputyLinkRecord, 'deputyId'>): Caller => ({
  // The actor of audit events: the deputy id, as the local issuer's deputy tokens carry it.
  sub: link.deputyId,
  roles: ['deputy'],
  deputyId: link.deputyId,
});

export const actOnPage = async (
  deps: ActionDeps,
  link: DeputyLinkRecord,
  form: DeputyForm,
): Promise<ActionOutcome> => {
  const caller = deputyCallerOf(link);
  const activityId = link.activityId!;
  const { activity, invitation } = await loadInvited(deps, link);
  const status: string = activity.status;

  switch (form.action) {
    case 'ANSWER': {
      if (
        invitation.response === form.response &&
        (invitation.responseNote ?? '') === form.note &&
        invitation.respondedAt
      ) {
        return { kind: 'ALREADY', action: form.action };
      }
      if (
        !['SCHEDULED', 'INVITATIONS_SENT'].includes(status) ||
        Date.parse(activity.startsAt) <= (deps.now ?? (() => new Date()))().getTime()
      ) {
        return { kind: 'REFUSED', action: form.action, reason: 'ANSWERS_CLOSED' };
      }
      try {
        await respondToInvitation(deps, activityId, caller, {
          response: form.response,
          ...(form.note ? { note: form.note } : {}),
        });
      } catch (error) {
        if (error instanceof ConflictError) {
          return { kind: 'REFUSED', action: form.action, reason: 'ANSWERS_CLOSED' };
        }
        throw error;
      }
      return { kind: 'DONE', action: form.action, detail: form.response };
    }
    case 'CHECK_IN': {
      if (invitation.checkedInAt) return { kind: 'ALREADY', action: form.action };
      if (status !== 'CHECK_IN_OPEN') {
        return { kind: 'REFUSED', action: form.action, reason: 'CHECK_IN_NOT_OPEN' };
      }
      return checkInWith(deps, activityId, caller, { venueCode: form.code });
    }
    case 'FINDING': {
      const existing = await getItem<FindingItem>(deps, keys.finding(activityId, form.formId));
      if (existing) {
        if (existing.raisedBy?.deputyId !== link.deputyId) throw new FormError('Invalid form');
        return { kind: 'ALREADY', action: form.action };
      }
      if (!['CHECK_IN_OPEN', 'FINDINGS_OPEN'].includes(status)) {
        return { kind: 'REFUSED', action: form.action, reason: 'FINDINGS_CLOSED' };
      }
      const consent = form.residentConsent !== undefined;
      const hasResident = !!form.residentName || !!form.residentContact || consent;
      const body = recordFindingBodySchema.safeParse({
        kind: form.kind,
        category: form.category,
        place: form.place,
        description: form.description,
        needsReferral: form.needsReferral !== undefined,
        ...(hasResident
          ? {
              resident: {
                ...(form.residentName ? { name: form.residentName } : {}),
                ...(form.residentContact ? { contact: form.residentContact } : {}),
                consentToContact: consent,
              },
            }
          : {}),
      });
      if (!body.success) {
        throw new FormError(
          body.error.issues
            .map((issue) => `${issue.path.map(String).join('.')}: ${issue.message}`)
            .join('; '),
        );
      }
      try {
        await recordFinding(
          { ...deps, newId: () => form.formId },
          { activityId, body: body.data, caller },
        );
      } catch (error) {
        if (error instanceof ConflictError) {
          return { kind: 'REFUSED', action: form.action, reason: 'FINDINGS_CLOSED' };
        }
        throw error;
      }
      return { kind: 'DONE', action: form.action };
    }
  }
};

/** Checks in with a venue code or a scanned QR code; refusals become outcomes. */
export const checkInWith = async (
  deps: ActionDeps,
  activityId: string,
  caller: Caller,
  proof: { venueCode: string } | { qrCode: string },
): Promise<ActionOutcome> => {
  try {
    await checkInAtVenue(deps, activityId, caller, proof);
    return { kind: 'DONE', action: 'CHECK_IN' };
  } catch (error) {
    if (error instanceof CheckInCodeError) {
      return { kind: 'REFUSED', action: 'CHECK_IN', reason: 'WRONG_CODE' };
    }
    if (error instanceof VenueCodeLockedError) {
      return { kind: 'REFUSED', action: 'CHECK_IN', reason: 'TOO_MANY_CODES' };
    }
    if (error instanceof ConflictError) {
      // Checked in meanwhile (another tab, the QR page) or the window closed.
      const { invitation } = await loadInvited(deps, { activityId, deputyId: caller.deputyId });
      if (invitation.checkedInAt) return { kind: 'ALREADY', action: 'CHECK_IN' };
      return { kind: 'REFUSED', action: 'CHECK_IN', reason: 'CHECK_IN_NOT_OPEN' };
    }
    if (error instanceof NotFoundError) {
      return { kind: 'REFUSED', action: 'CHECK_IN', reason: 'NOT_POSSIBLE' };
    }
    throw error;
  }
};
