import * as z from 'zod/mini';
import { pure } from '../shared/pure.js';
import { findingContentShape } from '../shared/domain/finding-fields.js';
import { ID_PATTERN } from '../shared/ids.js';
import { referenceId } from '../shared/reference-ids.js';

// The request schemas of a finding, apart from the answers in ./schemas.ts: the deputy pages
// that record a finding build these at their cold start, not the answer schemas only the
// OpenAPI document reads (docs/performance.md "Cold start"). ./schemas.ts re-exports them.

export const findingId = /* @__PURE__ */ pure(() =>
  z.string().check(z.regex(ID_PATTERN, { message: 'must be a finding id' })),
);

const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

/** A resident's details: minimal, each optional except the consent. */
export const residentSchema = /* @__PURE__ */ pure(() =>
  z.strictObject({
    name: z.optional(text(100)),
    contact: z.optional(text(200)),
    consentToContact: z.boolean(),
  }),
);

/** Body of `POST /activities/{activityId}/findings`. */
export const recordFindingBodySchema = /* @__PURE__ */ pure(() =>
  z
    .strictObject({
      /** The finding's content: kind, category, text, place, street, whether it needs a referral. */
      ...findingContentShape,
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
    ),
);

export type RecordFindingBody = z.output<typeof recordFindingBodySchema>;
