import * as z from 'zod/mini';

/**
 * The query parameters every paged list takes the same way: the page size, the list's signed
 * cursor (opaque to the caller), and an organiser named by id.
 */

/** `limit`: a page size from 1 to `max`, `fallback` when the caller gives none. */
export const pageLimit = (max: number, fallback: number) =>
  z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(max)), fallback);

/** `cursor`: where the previous page ended, as the list gave it. */
export const pageCursor = (maxLength = 4096) =>
  z.optional(z.string().check(z.minLength(1), z.maxLength(maxLength)));

/** `limit` and `cursor` of a list whose pages hold at most `max` items (`fallback` unasked). */
export const pageQueryShape = (max: number, fallback: number) => ({
  limit: pageLimit(max, fallback),
  cursor: pageCursor(),
});

/** An organiser's id (the sign-in's subject) as a filter: never a key separator. */
export const organiserIdFilter = () =>
  z.optional(
    z
      .string()
      .check(
        z.trim(),
        z.minLength(1),
        z.maxLength(128),
        z.regex(/^[^#]+$/, { message: 'must not contain #' }),
      ),
  );
