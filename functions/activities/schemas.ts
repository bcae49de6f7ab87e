import * as z from 'zod/mini';
import {
  ACTIVITY_STATUSES,
  ACTIVITY_TYPE_CODES,
  DEPUTY_LEVEL_CODES,
  LANGUAGES,
  type ActivityType,
} from '../shared/domain/reference.js';
import { campaignIdSchema } from '../campaigns/schemas.js';
import { periodBound } from '../shared/http/period.js';
import { referenceId, streetCodeSchema } from '../shared/reference-ids.js';
import { communityCountsViewSchema } from '../attendance/schemas.js';

export const MAX_INVITED_DEPUTIES = 2000;

/**
 * How far ahead an activity may be scheduled. A Standard workflow runs at most one year, and
 * the activity's workflow must outlive its start by attendance, findings and review.
 */
export const MAX_DAYS_AHEAD = 300;

const timestamp = z.iso.datetime({
  offset: true,
  message: 'must be an ISO 8601 timestamp with a time zone, e.g. 2020-08-18T09:00:00+08:00',
});

const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));
const textList = (max: number, maxItems: number) =>
  z.array(text(max)).check(z.minLength(1), z.maxLength(maxItems));

/** Fields every activity has, whatever its type. */
const commonFields = {
  title: text(200),
  street: streetCodeSchema,
  location: text(300),
  description: z.optional(z.string().check(z.trim(), z.maxLength(4000))),
  startsAt: timestamp,
  endsAt: timestamp,
  /** When attendance closes by itself (AwaitAttendanceClose deadline); default `endsAt`. */
  attendanceClosesAt: z.optional(timestamp),
  /** When findings close by itself (AwaitFindingsClose deadline); default `endsAt` + 7 days. */
  findingsCloseAt: z.optional(timestamp),
  invitedDeputyIds: z
    .array(referenceId('deputy'))
    .check(z.minLength(1), z.maxLength(MAX_INVITED_DEPUTIES)),
  language: z._default(z.enum(LANGUAGES), 'zh'),
  /** The theme campaign (主题活动) the activity belongs to (`GET /campaigns`); it starts within its dates. */
  campaignId: z.optional(campaignIdSchema),
};

/** One unannounced-visit (暗访) item of a cross-district inspection. */
export const unannouncedVisitSchema = z.strictObject({
  place: text(300),
  focus: text(1000),
});

/**
 * Type-specific fields, one strict object per activity type. Stored under `details` on the
 * activity; what GET shows of them is decided in view.ts (unannounced visits are hidden from
 * non-participants and before `revealAt`).
 */
export const ACTIVITY_DETAIL_FIELDS = {
  THEMATIC_CAMPAIGN: { theme: z.optional(text(200)) },
  COMMUNITY_VISIT: {
    /** The communities / grids (网格) visited. */
    communities: z.optional(textList(200, 100)),
  },
  CROSS_INSPECTION: {
    /** The district whose deputies inspect (e.g. 某区). */
    inspectingDistrict: text(100),
    /** The district inspected (e.g. 番禺区). */
    inspectedDistrict: text(100),
    /** 暗访: places visited unannounced; participants see them from `revealAt` on. */
    unannouncedVisits: z.optional(
      z.strictObject({
        revealAt: timestamp,
        items: z.array(unannouncedVisitSchema).check(z.minLength(1), z.maxLength(50)),
      }),
    ),
  },
  THEMATIC_RESEARCH: { topic: z.optional(text(200)) },
  RECEPTION_DAY: {
    /** The liaison stations (联络站) receiving residents that day. */
    liaisonStations: textList(200, 50),
  },
  SPECIAL_INSPECTION: {
    /** The law or regulation whose enforcement is inspected. */
    regulation: text(300),
    checklist: textList(500, 200),
  },
  ONLINE_LIAISON_INTAKE: { onlineStation: z.optional(text(200)) },
  ENTERPRISE_VISIT: {
    enterprises: z.optional(textList(200, 100)),
    /** 走访企业, 碰头会, 对接会. */
    format: z.optional(z.enum(['VISIT', 'BRIEFING', 'MATCHMAKING'])),
  },
  LEGAL_TRAINING: { topic: z.optional(text(200)), speaker: z.optional(text(100)) },
  SYMPOSIUM: { topic: z.optional(text(200)) },
} as const satisfies Record<ActivityType, z.core.$ZodShape>;

const optionFor = <T extends ActivityType>(type: T) =>
  z.strictObject({ ...commonFields, type: z.literal(type), ...ACTIVITY_DETAIL_FIELDS[type] });

/**
 * The end and the closing times against a valid start. Each problem is reported on a field the
 * caller sent: attendance closes at `endsAt` unless `attendanceClosesAt` is given, and a bad
 * `endsAt` is not reported again as a bad default of `attendanceClosesAt`.
 */
const checkCloseTimes = (
  body: { endsAt: string; attendanceClosesAt?: string; findingsCloseAt?: string },
  startsAt: number,
  endsAt: number,
  report: (path: string, message: string) => void,
) => {
  if (endsAt <= startsAt) report('endsAt', 'must be after startsAt');
  const attendanceClosesAt =
    body.attendanceClosesAt === undefined ? endsAt : Date.parse(body.attendanceClosesAt);
  if (body.attendanceClosesAt !== undefined && attendanceClosesAt <= startsAt) {
    report('attendanceClosesAt', 'must be after startsAt');
  }
  if (body.findingsCloseAt === undefined) return;
  const findingsCloseAt = Date.parse(body.findingsCloseAt);
  if (findingsCloseAt <= Math.max(attendanceClosesAt, endsAt)) {
    report(
      'findingsCloseAt',
      body.attendanceClosesAt === undefined
        ? 'must be after endsAt'
        : 'must be after endsAt and attendanceClosesAt',
    );
  } else if (findingsCloseAt > startsAt + MAX_DAYS_AHEAD * 86_400_000) {
    report('findingsCloseAt', `must be within ${MAX_DAYS_AHEAD} days of startsAt`);
  }
};

/**
 * Body of `POST /activities`: a union on `type`, each member strict (unknown fields are
 * rejected, not dropped), with the fields of that type.
 */
/**
 * One union member per activity type. zod needs the members as a tuple, so they are listed;
 * the type below checks the list against ACTIVITY_DETAIL_FIELDS (and so against ActivityType):
 * a type added there and not here does not compile.
 */
const ACTIVITY_TYPE_OPTIONS = [
  optionFor('THEMATIC_CAMPAIGN'),
  optionFor('COMMUNITY_VISIT'),
  optionFor('CROSS_INSPECTION'),
  optionFor('THEMATIC_RESEARCH'),
  optionFor('RECEPTION_DAY'),
  optionFor('SPECIAL_INSPECTION'),
  optionFor('ONLINE_LIAISON_INTAKE'),
  optionFor('ENTERPRISE_VISIT'),
  optionFor('LEGAL_TRAINING'),
  optionFor('SYMPOSIUM'),
] as const;
type TypesWithoutOption = Exclude<
  keyof typeof ACTIVITY_DETAIL_FIELDS,
  z.output<(typeof ACTIVITY_TYPE_OPTIONS)[number]>['type']
>;
export const EVERY_ACTIVITY_TYPE_HAS_AN_OPTION: [TypesWithoutOption] extends [never]
  ? true
  : TypesWithoutOption = true;

export const createActivityBodySchema = z.discriminatedUnion('type', ACTIVITY_TYPE_OPTIONS).check(
  z.superRefine((body, context) => {
    // Checked against the clock at request time, so it cannot be a static JSON Schema rule.
    const now = Date.now();
    const startsAt = Date.parse(body.startsAt);
    const endsAt = Date.parse(body.endsAt);
    // A bad start is reported once: the times checked against it are not judged by it.
    if (startsAt <= now) {
      context.addIssue({ code: 'custom', path: ['startsAt'], message: 'must be in the future' });
    } else if (startsAt > now + MAX_DAYS_AHEAD * 86_400_000) {
      context.addIssue({
        code: 'custom',
        path: ['startsAt'],
        message: `must be within ${MAX_DAYS_AHEAD} days from now`,
      });
    } else {
      checkCloseTimes(body, startsAt, endsAt, (path, message) =>
        context.addIssue({ code: 'custom', path: [path], message }),
      );
    }
    if (body.type === 'CROSS_INSPECTION') {
      if (body.inspectingDistrict === body.inspectedDistrict) {
        context.addIssue({
          code: 'custom',
          path: ['inspectedDistrict'],
          message: 'must differ from inspectingDistrict',
        });
      }
    }
    const seen = new Set<string>();
    body.invitedDeputyIds.forEach((id, index) => {
      if (seen.has(id)) {
        context.addIssue({
          code: 'custom',
          path: ['invitedDeputyIds', index],
          message: `duplicate deputy id ${id}`,
        });
      }
      seen.add(id);
    });
  }),
);

/** The names of the type-specific fields of `type` (what goes under `details`). */
export const detailFieldsOf = (type: ActivityType): string[] =>
  Object.keys(ACTIVITY_DETAIL_FIELDS[type]);

export type CreateActivityBody = z.output<typeof createActivityBodySchema>;

/** The type-specific fields of an activity, as stored under `details`. */
export type ActivityDetails = CreateActivityBody extends infer Body
  ? Body extends CreateActivityBody
    ? Omit<Body, keyof typeof commonFields | 'type'>
    : never
  : never;

/** Unannounced visits of a cross-district inspection, as stored. */
export type UnannouncedVisits = NonNullable<
  Extract<CreateActivityBody, { type: 'CROSS_INSPECTION' }>['unannouncedVisits']
>;

export { activityPathSchema } from '../shared/http/path-schemas.js';

/** Headers `POST /activities` reads (others pass through untouched). */
export const idempotencyHeadersSchema = z.object({
  'idempotency-key': z.optional(
    z
      .string()
      .check(
        z.regex(/^[\x21-\x7e]{1,128}$/, { message: 'must be 1 to 128 printable ASCII characters' }),
      ),
  ),
});

/** `POST /activities/{activityId}/redrive`: why the failed step may run again now. */
export const redriveActivityBodySchema = z.strictObject({
  reason: z.string().check(
    z.trim(),
    z.minLength(1),
    z.maxLength(1000),
    // eslint-disable-next-line no-control-regex
    z.refine((value) => !/[\u0000-\u001F\u007F\u2028\u2029]/.test(value), {
      message: 'must be one line without control characters',
    }),
  ),
});
export type RedriveActivityBody = z.output<typeof redriveActivityBodySchema>;

// --- GET /activities (issue 15) ----------------------------------------------------------

export const MAX_LIST_PAGE_SIZE = 100;
export const DEFAULT_LIST_PAGE_SIZE = 20;

/** `true` / `false` in a query string. */
const flag = z.pipe(
  z.enum(['true', 'false']),
  z.transform((value) => value === 'true'),
);

/** Query of `GET /activities`. */
export const listActivitiesQuerySchema = z
  .strictObject({
    status: z.optional(z.enum(ACTIVITY_STATUSES)),
    street: z.optional(streetCodeSchema),
    type: z.optional(z.enum(ACTIVITY_TYPE_CODES)),
    /** Start time from (a day is China time, from its start). */
    from: z.optional(periodBound('from')),
    /** Start time to (a day is China time, to its end). */
    to: z.optional(periodBound('to')),
    /** Only the caller's own activities (those they scheduled). */
    mine: z.optional(flag),
    organiserId: z.optional(
      z
        .string()
        .check(
          z.trim(),
          z.minLength(1),
          z.maxLength(128),
          z.regex(/^[^#]+$/, { message: 'must not contain #' }),
        ),
    ),
    /** Only activities whose workflow waits at a human step an organiser acts on. */
    waiting: z.optional(flag),
    limit: z._default(
      z.coerce.number().check(z.int(), z.minimum(1), z.maximum(MAX_LIST_PAGE_SIZE)),
      DEFAULT_LIST_PAGE_SIZE,
    ),
    cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(4096))),
  })
  .check(
    z.refine((query) => !query.from || !query.to || query.from <= query.to, {
      path: ['from'],
      message: 'must not be after to',
    }),
    z.refine((query) => !(query.mine === true && query.organiserId !== undefined), {
      path: ['organiserId'],
      message: 'give either mine=true or organiserId, not both',
    }),
  );
export type ListActivitiesQuery = z.output<typeof listActivitiesQuerySchema>;

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

/**
 * At most this many invitees added and removed by one change: the change is one transaction
 * (the activity, its audit event and change item, and one write per invitee, at most 100).
 */
export const MAX_CHANGED_INVITEES = 90;

const deputyIdList = z
  .array(referenceId('deputy'))
  .check(z.minLength(1), z.maxLength(MAX_CHANGED_INVITEES));

/**
 * Body of `PATCH /activities/{activityId}`: what changes before the activity starts. An empty
 * `description` removes it. The times are checked against the clock and the stored deadlines
 * when the request is handled.
 */
export const changeActivityBodySchema = z
  .strictObject({
    startsAt: z.optional(timestamp),
    endsAt: z.optional(timestamp),
    location: z.optional(text(300)),
    description: z.optional(z.string().check(z.trim(), z.maxLength(4000))),
    addDeputyIds: z.optional(deputyIdList),
    removeDeputyIds: z.optional(deputyIdList),
  })
  .check(
    z.superRefine((body, context) => {
      if (Object.values(body).every((value) => value === undefined)) {
        context.addIssue({
          code: 'custom',
          path: [],
          message:
            'give at least one of startsAt, endsAt, location, description, addDeputyIds, removeDeputyIds',
        });
      }
      const added = body.addDeputyIds ?? [];
      const removed = body.removeDeputyIds ?? [];
      if (added.length + removed.length > MAX_CHANGED_INVITEES) {
        context.addIssue({
          code: 'custom',
          path: ['addDeputyIds'],
          message: `add and remove at most ${MAX_CHANGED_INVITEES} invitees in one change`,
        });
      }
      const seen = new Set<string>();
      for (const [field, ids] of [
        ['addDeputyIds', added],
        ['removeDeputyIds', removed],
      ] as const) {
        ids.forEach((id, index) => {
          if (seen.has(id)) {
            context.addIssue({
              code: 'custom',
              path: [field, index],
              message: `deputy ${id} is named twice`,
            });
          }
          seen.add(id);
        });
      }
    }),
  );
export type ChangeActivityBody = z.output<typeof changeActivityBodySchema>;

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
