import * as z from 'zod/mini';
import { activityId, findingId } from '../findings/schemas.js';

const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

/**
 * Body of `POST /residents/findings/search` and `.../export`: the person's name, contact or
 * both (as the findings' `resident` takes them), and why they are looked up (logged with who
 * asked; docs/privacy.md). A POST body keeps the name and contact out of URLs and access logs.
 */
export const personQueryBodySchema = z
  .strictObject({
    name: z.optional(text(100)),
    contact: z.optional(text(200)),
    /** Why the person's data is looked up, e.g. the resident's request and its date. */
    reason: text(500),
  })
  .check(
    z.superRefine((body, context) => {
      if (!body.name && !body.contact) {
        context.addIssue({
          code: 'custom',
          path: ['name'],
          message: 'name or contact is required',
        });
      }
    }),
  );

export type PersonQueryBody = z.output<typeof personQueryBodySchema>;

/** Body of `POST .../resident/erasure`: why the resident is erased early (goes into the trail). */
export const erasureBodySchema = z.strictObject({ reason: text(500) });

export type ErasureBody = z.output<typeof erasureBodySchema>;

export const findingPathSchema = z.strictObject({ activityId, findingId });

/** Input of the retention job: the EventBridge Scheduler run's scheduled time. */
export const eraseDueResidentsInputSchema = z.object({
  scheduledTime: z.optional(z.iso.datetime()),
});
