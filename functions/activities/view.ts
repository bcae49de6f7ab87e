import type { ActivityItem, InvitationItem } from '../shared/data/items.js';
import { streetOfClaim } from '../shared/http/auth.js';
import type { z } from 'zod/mini';
import type { ActivityDetails, UnannouncedVisits } from './schemas.js';
import type { ActivityView, attendanceStatisticsSchema } from './answers.js';
import { causeWithoutTrace } from '../shared/workflow/failure-cause.js';
import {
  ACTIVITY_OPTIONAL_FIELDS,
  ACTIVITY_SUMMARY_FIELDS,
  pickFields,
  presentFields,
} from '../shared/domain/fields.js';

export { streetOfClaim };

/** Person-times (人次) per level and in total, plus the invitation tallies. */
export type AttendanceStatistics = z.output<typeof attendanceStatisticsSchema>;

/** Counts organisers record after a community visit (`PATCH /activities/{id}/counts`). */
export interface CommunityCounts {
  consultationsAnswered?: number;
  residentsReceived?: number;
  /** The audience a lecture or symposium served (听众, 服务人次). */
  peopleServed?: number;
  recordedAt: string;
  recordedBy: string;
}

/**
 * The activity item with the fields issue 3 adds (type-specific details, phase deadlines,
 * attendance statistics, community counts).
 */
export interface ActivityRecord extends ActivityItem {
  details?: ActivityDetails;
  attendanceClosesAt?: string;
  findingsCloseAt?: string;
  attendance?: AttendanceStatistics;
  attendanceClosedAt?: string;
  /** Count and digest of the `AUDIT_CHECKIN#*` records when attendance closed. */
  attendanceSeal?: { count: number; digest: string; sealedAt: string };
  communityCounts?: CommunityCounts;
}

/** An invitation with the deputy's response and check-in. */
export interface InvitationRecord extends InvitationItem {
  response?: 'ACCEPTED' | 'DECLINED';
  respondedAt?: string;
  responseNote?: string;
  checkedInAt?: string;
  checkInMethod?: 'API' | 'QR' | 'CODE' | 'MAKE_UP';
  /** Wrong venue codes typed on the deputy's page (functions/attendance/domain.ts). */
  venueCodeFailures?: number;
  makeUpReason?: string;
  /** Cognito `sub` of the organiser who recorded a make-up check-in. */
  checkedInBy?: string;
}

/** Who is looking, for the parts of an activity only some may see. */
export interface Viewer {
  /** An organiser in scope: sees everything. */
  organiser: boolean;
  /** An auditor: read-only, sees unannounced visits once revealed. */
  auditor: boolean;
  /** The viewer's own invitation, when they view as an invited deputy. */
  invitation?: InvitationRecord;
  now: Date;
}

/**
 * Unannounced visits (暗访) are shown to organisers always, and to participants (invited
 * deputies who have not declined) and auditors only from `revealAt` on; to nobody else.
 */
export const canSeeUnannouncedVisits = (visits: UnannouncedVisits, viewer: Viewer): boolean => {
  if (viewer.organiser) return true;
  const revealed = viewer.now.getTime() >= Date.parse(visits.revealAt);
  if (!revealed) return false;
  if (viewer.auditor) return true;
  return viewer.invitation !== undefined && viewer.invitation.response !== 'DECLINED';
};

const detailsView = (details: ActivityDetails | undefined, viewer: Viewer | undefined) => {
  if (!details) return undefined;
  if (!('unannouncedVisits' in details) || !details.unannouncedVisits) return details;
  const { unannouncedVisits, ...rest } = details;
  if (viewer && canSeeUnannouncedVisits(unannouncedVisits, viewer)) return details;
  // Others learn neither the places nor when they are revealed: only that there are some.
  return { ...rest, unannouncedVisits: { hidden: true as const } };
};

/**
 * What the API shows of an activity: its own fields, never the task token and never personal
 * data of deputies (they appear as ids, if at all).
 */
export const toActivityView = (
  activity: ActivityRecord,
  counts: { emailsSent: number },
  viewer?: Viewer,
): ActivityView => ({
  id: activity.id,
  ...pickFields(activity, ACTIVITY_SUMMARY_FIELDS),
  ...(activity.details ? { details: detailsView(activity.details, viewer) } : {}),
  ...presentFields(activity, ACTIVITY_OPTIONAL_FIELDS),
  language: activity.language,
  organiserId: activity.organiserId,
  status: activity.status,
  phase: activity.phase,
  ...(activity.pendingTask
    ? {
        pendingTask: {
          phase: activity.pendingTask.phase,
          since: activity.pendingTask.since,
          ...(activity.pendingTask.deadline ? { deadline: activity.pendingTask.deadline } : {}),
        },
      }
    : {}),
  // Failures recorded before causes were cleaned may still hold a trace: cleaned when read.
  ...(activity.failure
    ? { failure: { ...activity.failure, cause: causeWithoutTrace(activity.failure.cause) } }
    : {}),
  counts: { invited: activity.invitedCount, emailsSent: counts.emailsSent },
  ...(activity.attendance ? { attendance: activity.attendance } : {}),
  ...(activity.communityCounts
    ? {
        communityCounts: {
          consultationsAnswered: activity.communityCounts.consultationsAnswered ?? null,
          residentsReceived: activity.communityCounts.residentsReceived ?? null,
          peopleServed: activity.communityCounts.peopleServed ?? null,
          recordedAt: activity.communityCounts.recordedAt,
        },
      }
    : {}),
  ...(viewer?.invitation
    ? {
        myInvitation: {
          response: viewer.invitation.response ?? null,
          respondedAt: viewer.invitation.respondedAt ?? null,
          checkedInAt: viewer.invitation.checkedInAt ?? null,
        },
      }
    : {}),
  createdAt: activity.createdAt,
  updatedAt: activity.updatedAt,
});

export type { ActivityView };

/** Execution ARN of the activity's workflow: execution name = activity id. */
export const executionArnOf = (stateMachineArn: string, activityId: string): string => {
  const parts = stateMachineArn.split(':');
  // arn:partition:states:region:account:stateMachine:name
  if (parts.length !== 7 || parts[5] !== 'stateMachine') {
    throw new Error(`Not a state machine ARN: ${stateMachineArn}`);
  }
  parts[5] = 'execution';
  return `${parts.join(':')}:${activityId}`;
};
