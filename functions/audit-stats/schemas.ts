import { referenceId, streetCodeSchema } from '../shared/reference-ids.js';
import * as z from 'zod/mini';
import { pure } from '../shared/pure.js';
import { ACTIVITY_TYPE_CODES, DEPARTMENT_LEVEL_CODES } from '../shared/domain/reference.js';

/** The longest period one statistics request reads (months of `STATS#` partitions). */
export const MAX_PERIOD_MONTHS = 36;

/** A China calendar date `YYYY-MM-DD` that exists. */
export const dateSchema = /* @__PURE__ */ pure(() =>
  z.string().check(
    z.regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD' }),
    z.refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)), {
      message: 'must be a real date',
    }),
  ),
);

/** `format` of a read that answers JSON or, asked for it, CSV. */
export const formatSchema = /* @__PURE__ */ pure(() => z._default(z.enum(['json', 'csv']), 'json'));

const monthsSpanned = (from: string, to: string) =>
  (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 +
  (Number(to.slice(5, 7)) - Number(from.slice(5, 7))) +
  1;

interface Period {
  from: string;
  to: string;
}

/**
 * The checks of a period of China dates `from`..`to` (a statistics query, a campaign): in
 * order, and within MAX_PERIOD_MONTHS. `what` names it in the message (`a period`).
 */
export const periodChecks = (what: string) => [
  z.refine<Period>((period) => period.from <= period.to, {
    path: ['to'],
    message: 'must not be before from',
  }),
  z.refine<Period>((period) => monthsSpanned(period.from, period.to) <= MAX_PERIOD_MONTHS, {
    path: ['to'],
    message: `${what} spans at most ${MAX_PERIOD_MONTHS} months`,
  }),
];

/** Query of `GET /audit/statistics`: a period of China dates, both days included. */
export const statisticsQuerySchema = /* @__PURE__ */ pure(() =>
  z
    .strictObject({
      from: dateSchema,
      to: dateSchema,
      street: z.optional(streetCodeSchema),
      type: z.optional(z.enum(ACTIVITY_TYPE_CODES)),
      format: formatSchema,
    })
    .check(...periodChecks('a period')),
);

export const deputyPathSchema = /* @__PURE__ */ pure(() =>
  z.strictObject({ deputyId: referenceId('deputy') }),
);

export const DUTY_PAGE_SIZE = 50;
export const MAX_DUTY_PAGE_SIZE = 100;

/**
 * Query of the duty record and the duty report. `limit` and `cursor` page the record's lists
 * (activities a page at a time, with their findings and referrals); the exports (CSV, the
 * report) hold the whole year.
 */
export const dutyQuerySchema = /* @__PURE__ */ pure(() =>
  z.strictObject({
    year: z
      .pipe(
        z.string().check(z.regex(/^\d{4}$/, { message: 'must be a year' })),
        z.transform(Number),
      )
      .check(
        z.refine((year) => year >= 2000 && year <= 2100, { message: 'must be a year 2000–2100' }),
      ),
    format: formatSchema,
    limit: z._default(
      z.coerce.number().check(z.int(), z.minimum(1), z.maximum(MAX_DUTY_PAGE_SIZE)),
      DUTY_PAGE_SIZE,
    ),
    cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(1024))),
  }),
);

export type StatisticsQuery = z.output<typeof statisticsQuerySchema>;
export type DeputyPath = z.output<typeof deputyPathSchema>;
export type DutyQuery = z.output<typeof dutyQuerySchema>;

// --- Answers (issue 15): PeriodStatistics and DutyRecord are `z.output` of these ------------

const counts = /* @__PURE__ */ pure(() => z.record(z.string(), z.number()));

/** What a department did with its referrals (满意率 `satisfactionRate`, 办成率 `resolutionRate`). */
const referralTotalsShape = /* @__PURE__ */ pure(() => ({
  sent: z.number(),
  acknowledged: z.number(),
  answered: z.number(),
  resolved: z.number(),
  overdue: z.number(),
  returned: z.number(),
  medianDaysToAnswer: z.nullable(z.number()),
  p90DaysToAnswer: z.nullable(z.number()),
  satisfactionRate: z.nullable(z.number()),
  resolutionRate: z.nullable(z.number()),
}));
export const departmentStatsSchema = /* @__PURE__ */ pure(() =>
  z.object({ departmentId: z.string(), ...referralTotalsShape }),
);

/** The statistics of a period (or a campaign). */
export const periodStatisticsSchema = /* @__PURE__ */ pure(() =>
  z.object({
    period: z.object({
      from: z.string(),
      to: z.string(),
      street: z.nullable(z.string()),
      type: z.nullable(z.string()),
    }),
    activities: z.object({ completed: z.number(), byType: counts, liaisonStations: z.number() }),
    /** The district's own deputies; `guests`: deputies of another district, counted apart. */
    personTimes: z.object({
      byLevel: counts,
      total: z.number(),
      guests: z.object({ byLevel: counts, total: z.number() }),
    }),
    /** `peopleServed`: the audiences of lectures and symposia (听众, 服务人次). */
    community: z.object({
      consultationsAnswered: z.number(),
      residentsReceived: z.number(),
      peopleServed: z.number(),
    }),
    findings: z.object({
      total: z.number(),
      byKind: counts,
      byCategory: counts,
      referred: z.number(),
    }),
    referrals: z.object({
      totals: z.object(referralTotalsShape),
      byDepartment: z.array(departmentStatsSchema),
      /**
       * The district's departments by the level each was emailed at (市, 区, 街道/镇): every level
       * listed; referrals sent before levels count as DISTRICT.
       */
      byDepartmentLevel: z.array(
        z.object({ level: z.enum(DEPARTMENT_LEVEL_CODES), ...referralTotalsShape }),
      ),
      /**
       * Hand-overs to recipients outside the district (another district's congress after a
       * cross-inspection), apart from the levels; `totals` is the levels' and these added up.
       */
      handedToOtherDistricts: z.object(referralTotalsShape),
    }),
  }),
);

/** `200` of `GET /audit/statistics` (JSON; `format=csv` answers text/csv). */
export const statisticsAnswerSchema = /* @__PURE__ */ pure(() =>
  z.object({ statistics: periodStatisticsSchema }),
);

export const dutyActivitySchema = /* @__PURE__ */ pure(() =>
  z.object({
    activityId: z.string(),
    title: z.string(),
    type: z.string(),
    street: z.string(),
    startsAt: z.string(),
    checkedInAt: z.string(),
    checkInMethod: z.nullable(z.string()),
  }),
);

export const dutyFindingSchema = /* @__PURE__ */ pure(() =>
  z.object({
    findingId: z.string(),
    activityId: z.string(),
    kind: z.string(),
    category: z.string(),
    recordedAt: z.string(),
    needsReferral: z.boolean(),
    decision: z.nullable(z.string()),
    referralId: z.nullable(z.string()),
  }),
);

export const dutyReferralSchema = /* @__PURE__ */ pure(() =>
  z.object({
    referralId: z.string(),
    departmentId: z.string(),
    status: z.string(),
    result: z.nullable(z.string()),
    answeredAt: z.nullable(z.string()),
    answeredOnTime: z.nullable(z.boolean()),
    /** The China calendar date it is due by (`YYYY-MM-DD`), as its emails and pages name it. */
    dueDate: z.nullable(z.string()),
  }),
);

export const dutySummarySchema = /* @__PURE__ */ pure(() =>
  z.object({
    activitiesAttended: z.number(),
    activitiesByType: counts,
    findingsRaised: z.number(),
    findingsByKind: counts,
    findingsByCategory: counts,
    findingsReferred: z.number(),
    referrals: z.number(),
    referralsAnswered: z.number(),
    referralsResolved: z.number(),
  }),
);

/** A deputy's duty record (履职档案) of a year. */
export const dutyRecordSchema = /* @__PURE__ */ pure(() =>
  z.object({
    deputyId: z.string(),
    year: z.number(),
    summary: dutySummarySchema,
    activities: z.array(dutyActivitySchema),
    findings: z.array(dutyFindingSchema),
    referrals: z.array(dutyReferralSchema),
  }),
);

/** `200` of `GET /audit/deputies/{deputyId}/duty-record`: a page of the year's lists. */
export const dutyRecordAnswerSchema = /* @__PURE__ */ pure(() =>
  z.object({
    dutyRecord: z.object({
      ...dutyRecordSchema.shape,
      /** Pass back as `cursor` for the next page of the lists; absent on the last page. */
      nextCursor: z.optional(z.string()),
    }),
  }),
);
