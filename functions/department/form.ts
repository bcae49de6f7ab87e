import * as z from 'zod/mini';
import type { HttpEvent } from '../shared/http/types.js';
import { bodyText, parseFormUrlEncoded, refuseIllFormed } from '../shared/http/well-formed.js';
import { RATINGS, REPLY_RESULTS } from '../shared/data/referrals.js';
import '../shared/zod-locale.js'; // English zod messages: zod/mini loads no locale

/**
 * The pages' forms: `application/x-www-form-urlencoded` (what a browser posts) or JSON (scripts
 * and tests), parsed with zod. Free text is trimmed, bounded, and must not be empty where
 * required; control characters other than line breaks and tabs are refused (no NUL, no bare
 * separators). Multi-line text only ever reaches an email body, never a header. Every name and
 * value must be well-formed Unicode (a 422 naming the field; ../shared/http/well-formed.ts).
 */

/** The content type of the forms the pages post (their contracts say so, ./routes.ts). */
export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

export const TOKEN_PARAM_SCHEMA = z.object({
  token: z.string().check(z.minLength(1), z.maxLength(200)),
});

// C0 controls except \t \n \r, DEL, and the Unicode line/paragraph separators.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u2028\u2029]/;

export const text = (max: number) =>
  z.pipe(
    z.pipe(
      z.string(),
      z.transform((value) => value.replace(/\r\n?/g, '\n').trim()),
    ),
    z.string().check(
      z.minLength(1, { message: 'is required' }),
      z.maxLength(max, { message: `must be at most ${max} characters` }),
      z.refine((value) => !CONTROL.test(value), { message: 'contains control characters' }),
    ),
  );

export const optionalText = (max: number) =>
  z.pipe(
    z.pipe(
      z.optional(z.string()),
      z.transform((value) => (value ?? '').replace(/\r\n?/g, '\n').trim()),
    ),
    z.string().check(
      z.maxLength(max, { message: `must be at most ${max} characters` }),
      z.refine((value) => !CONTROL.test(value), { message: 'contains control characters' }),
    ),
  );

export const departmentFormSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('ACKNOWLEDGE') }),
  z.object({ action: z.literal('RETURN'), reason: text(2000) }),
  z.object({
    action: z.literal('REQUEST_EXTENSION'),
    days: z.coerce.number().check(z.int(), z.minimum(1), z.maximum(180)),
    reason: text(2000),
  }),
  z.object({ action: z.literal('PROGRESS'), text: text(4000) }),
  z.object({ action: z.literal('REPLY'), result: z.enum(REPLY_RESULTS), text: text(4000) }),
]);

export const ratingFormSchema = z.object({
  rating: z.enum(RATINGS),
  comment: optionalText(2000),
});

export class FormError extends Error {
  override readonly name = 'FormError';
  /** 422 for a form that breaks a rule; 413 too large, 400 not parseable at all. */
  constructor(
    message: string,
    readonly statusCode: 400 | 413 | 422 = 422,
  ) {
    super(message);
  }
}

/**
 * The posted fields as a flat record of strings (last value wins); a form over `maxBytes` (its
 * route contract's `maxBodyBytes`) is 413.
 */
export const formFields = (
  event: Pick<HttpEvent, 'body' | 'isBase64Encoded' | 'headers'>,
  maxBytes: number,
) => {
  const raw = bodyText(event);
  if (Buffer.byteLength(raw, 'utf8') > maxBytes) throw new FormError('The form is too large', 413);
  const contentType = (
    event.headers?.['content-type'] ??
    event.headers?.['Content-Type'] ??
    ''
  ).toLowerCase();
  if (contentType.startsWith('application/json')) {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw new FormError('Malformed JSON', 400);
    }
    // Ill-formed Unicode first, whatever the shape: its 422 always names where it is.
    refuseIllFormed('form', json);
    if (json === null || typeof json !== 'object' || Array.isArray(json)) {
      throw new FormError('The form must be an object');
    }
    return Object.fromEntries(
      Object.entries(json as Record<string, unknown>).map(([key, value]) => [
        key,
        typeof value === 'number' ? String(value) : value,
      ]),
    );
  }
  return parseFormUrlEncoded(raw);
};

export const describe = (error: z.core.$ZodError) =>
  error.issues
    .map((issue) => `${issue.path.map(String).join('.') || 'form'}: ${issue.message}`)
    .join('; ');

/** The fields as `schema` (a page's contract's `body`) reads them; 422 naming each broken field. */
export const parseForm = <TSchema extends z.ZodMiniType>(
  schema: TSchema,
  fields: Record<string, unknown>,
): z.output<TSchema> => {
  const parsed = z.safeParse(schema, fields);
  if (!parsed.success) throw new FormError(describe(parsed.error));
  return parsed.data;
};
