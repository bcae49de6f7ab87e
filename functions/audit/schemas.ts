import * as z from 'zod';
import { ACTIVITY_TYPE_CODES, STREET_CODES } from '../shared/domain/reference.js';
import { ID_PATTERN } from '../shared/ids.js';
import { ENDED_STATUSES } from './listing.js';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_TRAIL_PAGE_SIZE = 200;
export const DEFAULT_TRAIL_PAGE_SIZE = 50;
/** A period query reads one partition per month: at most this many months. */
export const MAX_PERIOD_MONTHS = 36;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const CHINA_OFFSET = '+08:00';

/**
 * A period bound: an ISO date-time with offset, or a day `YYYY-MM-DD` (China time: `from` is
 * the start of the day, `to` its end). Normalised to UTC ISO (`toISOString`), as stored.
 */
const bound = (edge: 'from' | 'to') =>
  z
    .string()
    .trim()
    .max(40)
    .refine((text) => DAY.test(text) || z.iso.datetime({ offset: true }).safeParse(text).success, {
      message: 'must be a day YYYY-MM-DD or an ISO date-time with offset',
    })
    .transform((text, ctx) => {
      const iso = DAY.test(text)
        ? `${text}T${edge === 'from' ? '00:00:00.000' : '23:59:59.999'}${CHINA_OFFSET}`
        : text;
      const time = Date.parse(iso);
      if (Number.isNaN(time)) {
        ctx.addIssue({ code: 'custom', message: 'not a valid date' });
        return z.NEVER;
      }
      return new Date(time).toISOString();
    });

/** Query of `GET /audit/activities`. */
export const auditActivitiesQuerySchema = z
  .strictObject({
    from: bound('from').optional(),
    to: bound('to').optional(),
    status: z.enum(ENDED_STATUSES).default('COMPLETED'),
    type: z.enum(ACTIVITY_TYPE_CODES).optional(),
    street: z.enum(STREET_CODES).optional(),
    organiser: z
      .string()
      .trim()
      .min(1)
      .max(128)
      .regex(/^[^#]+$/, { message: 'must not contain #' })
      .optional(),
    limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
    cursor: z.string().min(1).max(4096).optional(),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .refine((query) => !query.from || !query.to || query.from <= query.to, {
    path: ['from'],
    message: 'must not be after to',
  });
export type AuditActivitiesQuery = z.output<typeof auditActivitiesQuerySchema>;

/** Query of the trail routes. */
export const trailQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(MAX_TRAIL_PAGE_SIZE).default(DEFAULT_TRAIL_PAGE_SIZE),
  cursor: z.string().min(1).max(1024).optional(),
});
export type TrailQuery = z.output<typeof trailQuerySchema>;

export const auditActivityPathSchema = z.strictObject({
  activityId: z.string().regex(ID_PATTERN, { message: 'must be an activity id' }),
});

export const auditReferralPathSchema = z.strictObject({
  referralId: z.string().regex(ID_PATTERN, { message: 'must be a referral id' }),
});
