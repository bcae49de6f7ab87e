import { streetCodeSchema } from '../shared/reference-ids.js';
import * as z from 'zod/mini';
import { ACTIVITY_TYPE_CODES } from '../shared/domain/reference.js';
import { periodBound } from '../shared/http/period.js';
import { ID_PATTERN } from '../shared/ids.js';
import { ENDED_STATUSES } from './listing.js';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_TRAIL_PAGE_SIZE = 200;
export const DEFAULT_TRAIL_PAGE_SIZE = 50;
/** A period query reads one partition per month: at most this many months. */
export const MAX_PERIOD_MONTHS = 36;

/** Query of `GET /audit/activities`. */
export const auditActivitiesQuerySchema = z
  .strictObject({
    from: z.optional(periodBound('from')),
    to: z.optional(periodBound('to')),
    status: z._default(z.enum(ENDED_STATUSES), 'COMPLETED'),
    type: z.optional(z.enum(ACTIVITY_TYPE_CODES)),
    street: z.optional(streetCodeSchema),
    organiser: z.optional(
      z
        .string()
        .check(
          z.trim(),
          z.minLength(1),
          z.maxLength(128),
          z.regex(/^[^#]+$/, { message: 'must not contain #' }),
        ),
    ),
    limit: z._default(
      z.coerce.number().check(z.int(), z.minimum(1), z.maximum(MAX_PAGE_SIZE)),
      DEFAULT_PAGE_SIZE,
    ),
    cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(4096))),
    format: z._default(z.enum(['json', 'csv']), 'json'),
  })
  .check(
    z.refine((query) => !query.from || !query.to || query.from <= query.to, {
      path: ['from'],
      message: 'must not be after to',
    }),
  );
export type AuditActivitiesQuery = z.output<typeof auditActivitiesQuerySchema>;

/** Query of the trail routes. */
export const trailQuerySchema = z.strictObject({
  limit: z._default(
    z.coerce.number().check(z.int(), z.minimum(1), z.maximum(MAX_TRAIL_PAGE_SIZE)),
    DEFAULT_TRAIL_PAGE_SIZE,
  ),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(1024))),
});
export type TrailQuery = z.output<typeof trailQuerySchema>;

export const auditActivityPathSchema = z.strictObject({
  activityId: z.string().check(z.regex(ID_PATTERN, { message: 'must be an activity id' })),
});

export const auditReferralPathSchema = z.strictObject({
  referralId: z.string().check(z.regex(ID_PATTERN, { message: 'must be a referral id' })),
});
