import * as z from 'zod/mini';
import { optionalText, text } from '../department/form.js';
import { FINDING_KINDS } from '../findings/model.js';
import { FINDING_CATEGORY_CODES } from '../shared/domain/reference.js';
import { ID_PATTERN } from '../shared/ids.js';
import '../shared/zod-locale.js'; // English zod messages: zod/mini loads no locale

/**
 * The forms of a deputy's activity page (`application/x-www-form-urlencoded`, as a browser posts
 * them without any script): answer the invitation, check in with the venue's code, record a
 * finding. Free text as the department pages take it (trimmed, bounded, no control characters).
 */

const checkbox = z.optional(z.enum(['on', 'yes', 'true']));

export const deputyFormSchema = z.discriminatedUnion('action', [
  z.object({
    action: z.literal('ANSWER'),
    response: z.enum(['ACCEPTED', 'DECLINED']),
    note: optionalText(500),
  }),
  z.object({
    action: z.literal('CHECK_IN'),
    code: z.pipe(
      z.pipe(
        z.string(),
        z.transform((value) => value.replace(/\s+/g, '')),
      ),
      z
        .string()
        .check(z.regex(/^[0-9]{6}$/, { message: 'must be the six digits shown at the venue' })),
    ),
  }),
  z.object({
    action: z.literal('FINDING'),
    formId: z.string().check(z.regex(ID_PATTERN, { message: 'is not a form of this page' })),
    kind: z.enum(FINDING_KINDS),
    category: z.enum(FINDING_CATEGORY_CODES),
    place: text(300),
    description: text(4000),
    needsReferral: checkbox,
    residentName: optionalText(100),
    residentContact: optionalText(200),
    residentConsent: checkbox,
  }),
]);

export type DeputyForm = z.output<typeof deputyFormSchema>;

/** The `POST /my-activities` form: the address a home link is asked for. */
export const homeLinkRequestSchema = z.object({
  email: z.pipe(
    z.pipe(
      z.string(),
      z.transform((value) => value.trim()),
    ),
    z.email({ message: 'must be an email address' }).check(z.maxLength(254)),
  ),
});
