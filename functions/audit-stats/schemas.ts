import { streetCodeSchema } from '../shared/reference-ids.js';
import * as z from 'zod/mini';
import { ACTIVITY_TYPE_CODES } from '../shared/domain/reference.js';

/** The longest period one statistics request reads (months of `STATS#` partitions). */
export const MAX_PERIOD_MONTHS = 36;

const date = z.string().check(
  z.regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD' }),
  z.refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)), {
    message: 'must be a real date',
  }),
);

const format = z._default(z.enum(['json', 'csv']), 'json');

const monthsSpanned = (from: string, to: string) =>
  (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 +
  (Number(to.slice(5, 7)) - Number(from.slice(5, 7))) +
  1;

/** Query of `GET /audit/statistics`: a period of China dates, both days included. */
export const statisticsQuerySchema = z
  .strictObject({
    from: date,
    to: date,
    street: z.optional(streetCodeSchema),
    type: z.optional(z.enum(ACTIVITY_TYPE_CODES)),
    format,
  })
  .check(
    z.refine((query) => query.from <= query.to, {
      path: ['to'],
      message: 'must not be before from',
    }),
    z.refine((query) => monthsSpanned(query.from, query.to) <= MAX_PERIOD_MONTHS, {
      path: ['to'],
      message: `a period spans at most ${MAX_PERIOD_MONTHS} months`,
    }),
  );

export const deputyPathSchema = z.strictObject({
  deputyId: z
    .string()
    .check(z.regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, { message: 'must be a deputy id' })),
});

export const DUTY_PAGE_SIZE = 50;
export const MAX_DUTY_PAGE_SIZE = 100;

/**
 * Query of the duty record and the duty report. `limit` and `cursor` page the record's lists
 * (activities a page at a time, with their findings and referrals); the exports (CSV, the
 * report) hold the whole year.
 */
export const dutyQuerySchema = z.strictObject({
  year: z
    .pipe(z.string().check(z.regex(/^\d{4}$/, { message: 'must be a year' })), z.transform(Number))
    .check(
      z.refine((year) => year >= 2000 && year <= 2100, { message: 'must be a year 2000–2100' }),
    ),
  format,
  limit: z._default(
    z.coerce.number().check(z.int(), z.minimum(1), z.maximum(MAX_DUTY_PAGE_SIZE)),
    DUTY_PAGE_SIZE,
  ),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(1024))),
});

export type StatisticsQuery = z.output<typeof statisticsQuerySchema>;
export type DeputyPath = z.output<typeof deputyPathSchema>;
export type DutyQuery = z.output<typeof dutyQuerySchema>;
