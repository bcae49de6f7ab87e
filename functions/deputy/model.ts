import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  canSeeUnannouncedVisits,
  type ActivityRecord,
  type InvitationRecord,
} from '../activities/view.js';
import type { UnannouncedVisits } from '../activities/schemas.js';
import { getItem, type RatingItem } from '../department/referral.js';
import type { FindingItem } from '../findings/model.js';
import { listFindings } from '../shared/data/findings.js';
import { getActivity } from '../shared/data/activities.js';
import { getInvitation } from '../shared/data/invitations.js';
import { getDeputies } from '../shared/data/deputies.js';
import { keys } from '../shared/data/keys.js';
import type { DepartmentItem } from '../shared/data/reference.js';
import { newId } from '../shared/ids.js';
import type { DeputyLinkRecord } from '../shared/data/links.js';
import { roundOf, type ReferralItem } from '../shared/data/referrals.js';

/**
 * What a deputy's activity page shows (reads only): the activity with its type's fields, the
 * deputy's answer and check-in, which actions are open now, and the deputy's own findings with
 * what became of each (merged, answered directly, no action, referred: the department, its
 * reply, the rating link).
 */

export interface DeputyDeps {
  db: DynamoDBDocumentClient;
  tableName: string;
  now?: () => Date;
}

export const clockOf = (deps: { now?: () => Date }): Date => (deps.now ?? (() => new Date()))();

/** Statuses before check-in opens: the invitation may still be answered. */
const BEFORE_CHECK_IN = ['SCHEDULED', 'INVITATIONS_SENT'];
const RECORDING = ['CHECK_IN_OPEN', 'FINDINGS_OPEN'];

export interface FindingOutcome {
  /** REFER, MERGE, ANSWER_DIRECTLY, NO_ACTION; absent until the review decided. */
  decision?: string;
  answer?: string;
  reason?: string;
  referral?: {
    id: string;
    status: string;
    departmentName: string;
    dueDate?: string;
    reply?: { result: string; text: string; at: string };
    /** The rating page of this round (recomputed from the stored link), until rated. */
    rateLink?: { linkId: string; expiresAt: number };
    /** Its URL path, set by the page (which holds the signing key). */
    rateHref?: string;
    rated?: string;
  };
}

export interface DeputyFinding {
  id: string;
  kind: string;
  category: string;
  place: string;
  description: string;
  recordedAt: string;
  resident?: { name?: string; consentToContact: boolean };
  outcome: FindingOutcome;
}

export interface DeputyActivityModel {
  activity: Pick<
    ActivityRecord,
    'id' | 'title' | 'type' | 'street' | 'location' | 'description' | 'startsAt' | 'endsAt'
  > & { status: string; details?: Record<string, unknown> };
  showSealed: boolean;
  deputyName: string;
  invitation: Pick<
    InvitationRecord,
    'response' | 'respondedAt' | 'responseNote' | 'checkedInAt' | 'checkInMethod'
  >;
  canAnswer: boolean;
  checkInOpen: boolean;
  findingsOpen: boolean;
  findings: DeputyFinding[];
  /** A fresh id for the findings form: a repeated POST of the same form records nothing new. */
  formId: string;
}

/** The page is gone: the activity or the invitation was removed (the link outlived them). */
export class GoneError extends Error {
  override readonly name = 'GoneError';
}

export const loadInvited = async (
  deps: DeputyDeps,
  link: Pick<DeputyLinkRecord, 'activityId' | 'deputyId'>,
): Promise<{ activity: ActivityRecord; invitation: InvitationRecord }> => {
  const [activity, invitation] = await Promise.all([
    getActivity(deps, link.activityId!),
    getInvitation(deps, link.activityId!, link.deputyId),
  ]);
  if (!activity || !invitation) throw new GoneError('No such invitation');
  return {
    activity: activity as ActivityRecord,
    invitation: invitation as InvitationRecord,
  };
};

const findingsOf = async (
  deps: DeputyDeps,
  activityId: string,
  deputyId: string,
): Promise<FindingItem[]> =>
  (await listFindings(deps, activityId)).filter(
    (finding) => finding.raisedBy?.deputyId === deputyId,
  );

const outcomeOf = async (
  deps: DeputyDeps,
  finding: FindingItem,
  deputyId: string,
): Promise<FindingOutcome> => {
  const decision = finding.decision;
  let referralId = finding.referralId;
  if (decision?.type === 'MERGE') {
    // A merged finding is handled with the one it joined: follow that one's referral.
    const into = await getItem<FindingItem>(
      deps,
      keys.finding(finding.activityId, decision.intoFindingId),
    );
    referralId = into?.referralId ?? referralId;
  }
  const base: FindingOutcome = {
    ...(decision ? { decision: decision.type, reason: decision.reason } : {}),
    ...(decision?.type === 'ANSWER_DIRECTLY' ? { answer: decision.answer } : {}),
  };
  if (!referralId || decision?.type === 'ANSWER_DIRECTLY' || decision?.type === 'NO_ACTION') {
    return base;
  }
  const referral = await getItem<ReferralItem & { feedback?: FeedbackWithLinks }>(
    deps,
    keys.referral(referralId),
  );
  if (!referral) return base;
  // Triage routed it and the review kept that route: a referral without an explicit decision.
  if (!base.decision) base.decision = 'REFER';
  const round = roundOf(referral);
  const raiserRef = `D.${deputyId}`;
  const [department, rating] = await Promise.all([
    getItem<DepartmentItem>(deps, keys.department(referral.departmentId)),
    getItem<RatingItem>(deps, keys.referralRating(referral.id, round, raiserRef)),
  ]);
  const rateLink =
    referral.feedback?.round === round ? referral.feedback.deputyRateLinks?.[raiserRef] : undefined;
  return {
    ...base,
    referral: {
      id: referral.id,
      status: referral.status,
      departmentName: department?.name ?? referral.departmentId,
      ...(referral.dueDate ? { dueDate: referral.dueDate } : {}),
      ...(referral.reply
        ? {
            reply: {
              result: String(referral.reply.result),
              text: String(referral.reply.text),
              at: String(referral.reply.at),
            },
          }
        : {}),
      ...(rateLink && !rating ? { rateLink } : {}),
      ...(rating ? { rated: rating.rating } : {}),
    },
  };
};

interface FeedbackWithLinks {
  round: number;
  raiserRefs: string[];
  deputyRateLinks?: Record<string, { linkId: string; expiresAt: number }>;
}

export const deputyActivityPage = async (
  deps: DeputyDeps,
  link: DeputyLinkRecord,
): Promise<DeputyActivityModel> => {
  const now = clockOf(deps);
  const { activity, invitation } = await loadInvited(deps, link);
  const [deputies, findings] = await Promise.all([
    getDeputies(deps, [link.deputyId], ['name']),
    findingsOf(deps, activity.id, link.deputyId),
  ]);
  const details = activity.details as Record<string, unknown> | undefined;
  const visits = details?.unannouncedVisits as UnannouncedVisits | undefined;
  const status: string = activity.status;
  return {
    activity: {
      id: activity.id,
      title: activity.title,
      type: activity.type,
      street: activity.street,
      location: activity.location,
      ...(activity.description ? { description: activity.description } : {}),
      startsAt: activity.startsAt,
      endsAt: activity.endsAt,
      status,
      ...(details ? { details } : {}),
    },
    showSealed: visits
      ? canSeeUnannouncedVisits(visits, { organiser: false, auditor: false, invitation, now })
      : false,
    deputyName: deputies.get(link.deputyId)?.name ?? '',
    invitation: {
      ...(invitation.response ? { response: invitation.response } : {}),
      ...(invitation.respondedAt ? { respondedAt: invitation.respondedAt } : {}),
      ...(invitation.responseNote ? { responseNote: invitation.responseNote } : {}),
      ...(invitation.checkedInAt ? { checkedInAt: invitation.checkedInAt } : {}),
      ...(invitation.checkInMethod ? { checkInMethod: invitation.checkInMethod } : {}),
    },
    canAnswer: BEFORE_CHECK_IN.includes(status) && now.getTime() < Date.parse(activity.startsAt),
    checkInOpen: status === 'CHECK_IN_OPEN' && !invitation.checkedInAt,
    findingsOpen: RECORDING.includes(status),
    findings: await Promise.all(
      findings
        .sort((a, b) => a.recordedAt.localeCompare(b.recordedAt))
        .map(async (finding) => ({
          id: finding.id,
          kind: finding.kind,
          category: finding.category,
          place: finding.place,
          description: finding.description,
          recordedAt: finding.recordedAt,
          ...(finding.raisedBy.resident
            ? {
                resident: {
                  ...(finding.raisedBy.resident.name
                    ? { name: finding.raisedBy.resident.name }
                    : {}),
                  consentToContact: finding.raisedBy.resident.consentToContact,
                },
              }
            : {}),
          outcome: await outcomeOf(deps, finding, link.deputyId),
        })),
    ),
    formId: newId(now),
  };
};
