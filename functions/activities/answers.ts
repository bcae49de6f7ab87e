import * as z from 'zod/mini';
import {
  ACTIVITY_STATUSES,
  ACTIVITY_TYPE_CODES,
  DEPUTY_LEVEL_CODES,
  LANGUAGES,
  type ActivityType,
} from '../shared/domain/reference.js';
import { streetCodeSchema } from '../shared/reference-ids.js';
import { communityCountsViewSchema } from '../attendance/schemas.js';
import { ACTIVITY_DETAIL_FIELDS } from './schemas.js';

// The answers of the activity routes: what docs/openapi.json documents and, through `z.output`,
// the types the handlers return. Apart from the request schemas (./schemas.ts) because no
// handler parses an answer at run time: a function imports these as types only, so its bundle
// neither holds nor builds them at each cold start.

/** What an organiser does to end a human step (the console's button). */
export const pendingActionSchema = z.object({
  code: z.enum(['OPEN_CHECK_IN', 'CLOSE_ATTENDANCE', 'CLOSE_FINDINGS', 'DECIDE_AND_APPROVE']),
  method: z.literal('POST'),
  path: z.string(),
  /** Whether the step also ends by itself at its deadline. */
  endsAtDeadline: z.boolean(),
});

/** One activity of `GET /activities`. */
export const activityListItemSchema = z.object({
  id: z.string(),
  title: z.string(),
  type: z.enum(ACTIVITY_TYPE_CODES),
  street: streetCodeSchema,
  location: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  organiserId: z.string(),
  status: z.string(),
  phase: z.string(),
  invited: z.number(),
  pendingTask: z.optional(
    z.object({
      phase: z.string(),
      since: z.string(),
      deadline: z.nullable(z.string()),
      action: z.nullable(pendingActionSchema),
    }),
  ),
});

/** The answer of `GET /activities`. */
export const activityListSchema = z.object({
  items: z.array(activityListItemSchema),
  nextCursor: z.optional(z.string()),
});
export type ActivityListItem = z.output<typeof activityListItemSchema>;

// --- Answers (issue 15: the response schemas of docs/openapi.json) -------------------------
// Each answer's TypeScript type is `z.output` of its schema: the handlers return that type, so
// the document cannot drift from what they answer.

const personTimesByLevelSchema = z.record(z.enum(DEPUTY_LEVEL_CODES), z.number());

/** Person-times (人次) per level and in total, plus the invitation tallies. */
export const attendanceStatisticsSchema = z.object({
  invited: z.number(),
  accepted: z.number(),
  declined: z.number(),
  /** Deputies who checked in (each once, whatever their seats): the total person-times. */
  attended: z.number(),
  /** A deputy with seats at two levels counts once at each of them. */
  personTimesByLevel: personTimesByLevelSchema,
  personTimesTotal: z.number(),
  /** Check-ins recorded by an organiser (make-up), included in `attended`. */
  madeUp: z.number(),
  /**
   * Guest deputies of another district who checked in (a cross-inspection): in `attended`, but
   * counted apart from the district's own person-times (`personTimesByLevel`, `personTimesTotal`).
   */
  guests: z.optional(
    z.object({ attended: z.number(), personTimesByLevel: personTimesByLevelSchema }),
  ),
  computedAt: z.string(),
});

/** Why a workflow failed (`SCHEDULING`: POST /activities could not finish; `WORKFLOW`: a step). */
export const activityFailureSchema = z.object({
  stage: z.enum(['SCHEDULING', 'WORKFLOW']),
  error: z.string(),
  /** The message and what to do, never a stack trace. */
  cause: z.string(),
  at: z.string(),
  /** The request id of the log line that holds the full cause. */
  requestId: z.optional(z.string()),
  /** The status the failed step left it in (a redrive puts it back). */
  statusBefore: z.optional(z.enum(ACTIVITY_STATUSES)),
});

/** The type-specific fields as shown: unannounced visits hidden from whom may not see them yet. */
const shownDetailsOf = <T extends ActivityType>(type: T) => z.object(ACTIVITY_DETAIL_FIELDS[type]);
export const activityDetailsViewSchema = z.union([
  shownDetailsOf('THEMATIC_CAMPAIGN'),
  shownDetailsOf('COMMUNITY_VISIT'),
  shownDetailsOf('CROSS_INSPECTION'),
  z.object({
    ...ACTIVITY_DETAIL_FIELDS.CROSS_INSPECTION,
    /** Only that there are some, before `revealAt` or to non-participants. */
    unannouncedVisits: z.object({ hidden: z.literal(true) }),
  }),
  shownDetailsOf('THEMATIC_RESEARCH'),
  shownDetailsOf('RECEPTION_DAY'),
  shownDetailsOf('SPECIAL_INSPECTION'),
  shownDetailsOf('ONLINE_LIAISON_INTAKE'),
  shownDetailsOf('ENTERPRISE_VISIT'),
  shownDetailsOf('LEGAL_TRAINING'),
  shownDetailsOf('SYMPOSIUM'),
]);

/** An activity as the API shows it: never the task token, never deputies' personal data. */
export const activityViewSchema = z.object({
  id: z.string(),
  title: z.string(),
  type: z.enum(ACTIVITY_TYPE_CODES),
  details: z.optional(activityDetailsViewSchema),
  street: streetCodeSchema,
  location: z.string(),
  description: z.optional(z.string()),
  startsAt: z.string(),
  endsAt: z.string(),
  attendanceClosesAt: z.optional(z.string()),
  findingsCloseAt: z.optional(z.string()),
  language: z.enum(LANGUAGES),
  campaignId: z.optional(z.string()),
  organiserId: z.string(),
  status: z.enum(ACTIVITY_STATUSES),
  phase: z.string(),
  /** The human step the workflow waits at, since when, and its deadline. */
  pendingTask: z.optional(
    z.object({ phase: z.string(), since: z.string(), deadline: z.optional(z.string()) }),
  ),
  failure: z.optional(activityFailureSchema),
  counts: z.object({ invited: z.number(), emailsSent: z.number() }),
  attendance: z.optional(attendanceStatisticsSchema),
  communityCounts: z.optional(communityCountsViewSchema),
  /** The caller's own invitation, when they read it as an invited deputy. */
  myInvitation: z.optional(
    z.object({
      response: z.nullable(z.enum(['ACCEPTED', 'DECLINED'])),
      respondedAt: z.nullable(z.string()),
      checkedInAt: z.nullable(z.string()),
    }),
  ),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ActivityView = z.output<typeof activityViewSchema>;

/** The activity's Step Functions execution (`null` before it started). */
export const workflowViewSchema = z.object({
  status: z.string(),
  executionArn: z.string(),
  startDate: z.nullable(z.string()),
  stopDate: z.nullable(z.string()),
});
export type WorkflowView = z.output<typeof workflowViewSchema>;

/** `200` of `GET /activities/{activityId}`. */
export const activityAnswerSchema = z.object({
  activity: activityViewSchema,
  workflow: z.nullable(workflowViewSchema),
});

/** `201` of `POST /activities`: the activity with the deputies invited. */
export const createdActivitySchema = z.object({
  ...activityViewSchema.shape,
  invitedDeputyIds: z.array(z.string()),
});
export const createdActivityAnswerSchema = z.object({ activity: createdActivitySchema });

/** `200` of `PATCH /activities/{activityId}`. */
export const changeActivityAnswerSchema = z.object({
  activity: z.object({
    id: z.string(),
    /** Raised by each change: the SEQUENCE of the activity's calendar event. */
    revision: z.number(),
    startsAt: z.string(),
    endsAt: z.string(),
    location: z.string(),
    description: z.optional(z.string()),
    invitedCount: z.number(),
  }),
  /** What changed; empty when the request asked for what already was (nothing written). */
  changed: z.array(z.enum(['startsAt', 'endsAt', 'location', 'description'])),
  added: z.array(z.string()),
  removed: z.array(z.string()),
});

/** `200`/`202` of `POST /activities/{activityId}/cancel`. */
export const cancelActivityAnswerSchema = z.object({
  activity: z.object({ id: z.string(), status: z.literal('CANCELLED'), cancelledAt: z.string() }),
  notices: z.object({ sent: z.number(), failed: z.number(), pending: z.number() }),
});

/** `202` of `POST /activities/{activityId}/redrive`. */
export const redriveActivityAnswerSchema = z.object({
  activityId: z.string(),
  status: z.enum(ACTIVITY_STATUSES),
  redriveCount: z.number(),
  /** false when the execution was already running again (a repeated request). */
  redrivenNow: z.boolean(),
});

/**
 * One invitation as organisers and auditors see it (`GET /activities/{activityId}/invitations`):
 * the deputy's name and levels, the answer and the check-in; never a contact, link or token.
 */
export const invitationViewSchema = z.object({
  deputyId: z.string(),
  /** `null` when the deputy's record is gone. */
  name: z.nullable(z.string()),
  levels: z.array(z.enum(DEPUTY_LEVEL_CODES)),
  /** A guest of another district (a cross-inspection): counted apart in the statistics. */
  guest: z.boolean(),
  /** `null`: not answered. */
  answer: z.nullable(
    z.object({
      response: z.enum(['ACCEPTED', 'DECLINED']),
      note: z.nullable(z.string()),
      at: z.nullable(z.string()),
    }),
  ),
  /** `null`: not checked in. `MAKE_UP`: recorded by an organiser afterwards. */
  checkIn: z.nullable(
    z.object({ method: z.enum(['API', 'QR', 'CODE', 'MAKE_UP']), at: z.string() }),
  ),
});
export type InvitationView = z.output<typeof invitationViewSchema>;

/** `200` of `GET /activities/{activityId}/invitations`. */
export const invitationListSchema = z.object({
  activityId: z.string(),
  items: z.array(invitationViewSchema),
});
