import * as z from 'zod/mini';
import { FINDING_CATEGORY_CODES } from '../shared/domain/reference.js';
import { ID_PATTERN } from '../shared/ids.js';
import { referenceId, streetCodeSchema } from '../shared/reference-ids.js';
import { FINDING_KINDS } from './model.js';

export const activityId = z
  .string()
  .check(z.regex(ID_PATTERN, { message: 'must be an activity id' }));
export const findingId = z.string().check(z.regex(ID_PATTERN, { message: 'must be a finding id' }));

export const activityPathSchema = z.strictObject({ activityId });

const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

/** A resident's details: minimal, each optional except the consent. */
export const residentSchema = z.strictObject({
  name: z.optional(text(100)),
  contact: z.optional(text(200)),
  consentToContact: z.boolean(),
});

/** Body of `POST /activities/{activityId}/findings`. */
export const recordFindingBodySchema = z
  .strictObject({
    kind: z.enum(FINDING_KINDS),
    category: z.enum(FINDING_CATEGORY_CODES),
    description: text(4000),
    place: text(300),
    /** The street it concerns, when not the activity's own. */
    street: z.optional(streetCodeSchema),
    needsReferral: z.boolean(),
    /** A resident's problem (organisers at a reception day, or a deputy on a visit). */
    resident: z.optional(residentSchema),
    /** Organisers only: the deputy on whose behalf the finding is recorded. */
    deputyId: z.optional(referenceId('deputy')),
  })
  .check(
    z.superRefine((body, context) => {
      if (body.resident && body.resident.consentToContact && !body.resident.contact) {
        context.addIssue({
          code: 'custom',
          path: ['resident', 'contact'],
          message: 'required when the resident consents to be contacted',
        });
      }
    }),
  );

export type RecordFindingBody = z.output<typeof recordFindingBodySchema>;

/** Headers the recording route reads (others pass through untouched). */
export const idempotencyHeadersSchema = z.object({
  'idempotency-key': z.optional(
    z
      .string()
      .check(
        z.regex(/^[\x21-\x7e]{1,128}$/, { message: 'must be 1 to 128 printable ASCII characters' }),
      ),
  ),
});
