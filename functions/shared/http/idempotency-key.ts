import * as z from 'zod/mini';
import { pure } from '../pure.js';

/**
 * Headers an idempotent route reads (others pass through untouched): the client's
 * `Idempotency-Key` (functions/shared/http/idempotent.ts). Its own module, so a route that takes
 * it builds only this schema at cold start, not every schema of an area's schemas.ts.
 */
export const idempotencyHeadersSchema = /* @__PURE__ */ pure(() =>
  z.object({
    'idempotency-key': z.optional(
      z.string().check(
        z.regex(/^[\x21-\x7e]{1,128}$/, {
          message: 'must be 1 to 128 printable ASCII characters',
        }),
      ),
    ),
  }),
);
