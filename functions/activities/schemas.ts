import { z } from 'zod';
import { ACTIVITY_TYPE_CODES, LANGUAGES, STREET_CODES } from '../shared/domain/reference.js';
import { ID_PATTERN } from '../shared/ids.js';

/** Deputy ids are reference-data ids such as `dep-0001`. */
export const DEPUTY_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

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

/** Body of `POST /activities`. Strict: unknown fields are rejected, not dropped. */
export const createActivityBodySchema = z
  .strictObject({
    title: z.string().trim().min(1).max(200),
    type: z.enum(ACTIVITY_TYPE_CODES),
    street: z.enum(STREET_CODES),
    location: z.string().trim().min(1).max(300),
    description: z.string().trim().max(4000).optional(),
    startsAt: timestamp,
    endsAt: timestamp,
    invitedDeputyIds: z
      .array(
        z.string().regex(DEPUTY_ID_PATTERN, { message: 'must be a deputy id such as dep-0001' }),
      )
      .min(1)
      .max(MAX_INVITED_DEPUTIES),
    language: z.enum(LANGUAGES).default('zh'),
  })
  .superRefine((body, context) => {
    // Checked against the clock at request time, so it cannot be a static JSON Schema rule.
    const now = Date.now();
    const startsAt = Date.parse(body.startsAt);
    const endsAt = Date.parse(body.endsAt);
    if (startsAt <= now) {
      context.addIssue({ code: 'custom', path: ['startsAt'], message: 'must be in the future' });
    } else if (startsAt > now + MAX_DAYS_AHEAD * 86_400_000) {
      context.addIssue({
        code: 'custom',
        path: ['startsAt'],
        message: `must be within ${MAX_DAYS_AHEAD} days from now`,
      });
    }
    if (endsAt <= startsAt) {
      context.addIssue({ code: 'custom', path: ['endsAt'], message: 'must be after startsAt' });
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
  });

export type CreateActivityBody = z.output<typeof createActivityBodySchema>;

export const activityPathSchema = z.strictObject({
  activityId: z.string().regex(ID_PATTERN, { message: 'must be an activity id' }),
});

/** Headers `POST /activities` reads (others pass through untouched). */
export const idempotencyHeadersSchema = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{1,128}$/, { message: 'must be 1 to 128 printable ASCII characters' })
    .optional(),
});
