import * as z from 'zod/mini';
import { pure } from '../shared/pure.js';
import {
  ACTIVITY_STATUSES,
  ACTIVITY_TYPE_CODES,
  LANGUAGES,
  type ActivityType,
} from '../shared/domain/reference.js';
import { campaignIdSchema } from '../shared/http/path-schemas.js';
import { fromNotAfterTo, periodBound } from '../shared/http/period.js';
import { referenceId, streetCodeSchema } from '../shared/reference-ids.js';
import { organiserIdFilter, pageQueryShape } from '../shared/http/list-query.js';

export const MAX_INVITED_DEPUTIES = 2000;

/**
 * How far ahead an activity may be scheduled. A Standard workflow runs at most one year, and
 * the activity's workflow must outlive its start by attendance, findings and review.
 */
export const MAX_DAYS_AHEAD = 300;

const timestamp = /* @__PURE__ */ pure(() =>
  z.iso.datetime({
    offset: true,
    message: 'must be an ISO 8601 timestamp with a time zone, e.g. 2020-08-18T09:00:00+08:00',
  }),
);

const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));
const textList = (max: number, maxItems: number) =>
  z.array(text(max)).check(z.minLength(1), z.maxLength(maxItems));

/** Fields every activity has, whatever its type. */
const commonFields = /* @__PURE__ */ pure(() => ({
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
}));

/** One unannounced-visit (暗访) item of a cross-district inspection. */
export const unannouncedVisitSchema = /* @__PURE__ */ pure(() =>
  z.strictObject({
    place: text(300),
    focus: text(1000),
  }),
);

/**
 * Type-specific fields, one strict object per activity type. Stored under `details` on the
 * activity; what GET shows of them is decided in view.ts (unannounced visits are hidden from
 * non-participants and before `revealAt`).
 */
export const ACTIVITY_DETAIL_FIELDS = /* @__PURE__ */ pure(
  () =>
    ({
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
    }) as const satisfies Record<ActivityType, z.core.$ZodShape>,
);

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
const ACTIVITY_TYPE_OPTIONS = /* @__PURE__ */ pure(
  () =>
    [
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
    ] as const,
);
type TypesWithoutOption = Exclude<
  keyof typeof ACTIVITY_DETAIL_FIELDS,
  z.output<(typeof ACTIVITY_TYPE_OPTIONS)[number]>['type']
>;
export const EVERY_ACTIVITY_TYPE_HAS_AN_OPTION: [TypesWithoutOption] extends [never]
  ? true
  : TypesWithoutOption = true;

export const createActivityBodySchema = /* @__PURE__ */ pure(() =>
  z.discriminatedUnion('type', ACTIVITY_TYPE_OPTIONS).check(
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
  ),
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

/** Headers `POST /activities` reads: the one definition, re-exported for its routes. */
export { idempotencyHeadersSchema } from '../shared/http/idempotency-key.js';

export { redriveActivityBodySchema, type RedriveActivityBody } from './redrive-schemas.js';

// --- GET /activities (issue 15) ----------------------------------------------------------

export const MAX_LIST_PAGE_SIZE = 100;
export const DEFAULT_LIST_PAGE_SIZE = 20;

/** `true` / `false` in a query string. */
const flag = /* @__PURE__ */ pure(() =>
  z.pipe(
    z.enum(['true', 'false']),
    z.transform((value) => value === 'true'),
  ),
);

/** Query of `GET /activities`. */
export const listActivitiesQuerySchema = /* @__PURE__ */ pure(() =>
  z
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
      organiserId: organiserIdFilter(),
      /** Only activities whose workflow waits at a human step an organiser acts on. */
      waiting: z.optional(flag),
      ...pageQueryShape(MAX_LIST_PAGE_SIZE, DEFAULT_LIST_PAGE_SIZE),
    })
    .check(
      fromNotAfterTo(),
      z.refine((query) => !(query.mine === true && query.organiserId !== undefined), {
        path: ['organiserId'],
        message: 'give either mine=true or organiserId, not both',
      }),
    ),
);
export type ListActivitiesQuery = z.output<typeof listActivitiesQuerySchema>;

/**
 * At most this many invitees added and removed by one change: the change is one transaction
 * (the activity, its audit event and change item, and one write per invitee, at most 100).
 */
export const MAX_CHANGED_INVITEES = 90;

const deputyIdList = /* @__PURE__ */ pure(() =>
  z.array(referenceId('deputy')).check(z.minLength(1), z.maxLength(MAX_CHANGED_INVITEES)),
);

/**
 * Body of `PATCH /activities/{activityId}`: what changes before the activity starts. An empty
 * `description` removes it. The times are checked against the clock and the stored deadlines
 * when the request is handled.
 */
export const changeActivityBodySchema = /* @__PURE__ */ pure(() =>
  z
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
    ),
);
export type ChangeActivityBody = z.output<typeof changeActivityBodySchema>;

/** Body of `POST /activities/{activityId}/cancel`: why, for the trail and the invitees' notice. */
export const cancelActivityBodySchema = /* @__PURE__ */ pure(() =>
  z.strictObject({
    reason: z.string().check(z.trim(), z.minLength(1), z.maxLength(1000)),
  }),
);
export type CancelActivityBody = z.output<typeof cancelActivityBodySchema>;
