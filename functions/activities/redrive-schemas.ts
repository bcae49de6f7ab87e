import * as z from 'zod/mini';
import { pure } from '../shared/pure.js';

// `POST /activities/{activityId}/redrive` apart from ./schemas.ts: the redrive function then
// builds this one schema at its cold start, not every activity schema (docs/performance.md
// "Cold start").

/** `POST /activities/{activityId}/redrive`: why the failed step may run again now. */
export const redriveActivityBodySchema = /* @__PURE__ */ pure(() =>
  z.strictObject({
    reason: z.string().check(
      z.trim(),
      z.minLength(1),
      z.maxLength(1000),
      // eslint-disable-next-line no-control-regex
      z.refine((value) => !/[\u0000-\u001F\u007F\u2028\u2029]/.test(value), {
        message: 'must be one line without control characters',
      }),
    ),
  }),
);
export type RedriveActivityBody = z.output<typeof redriveActivityBodySchema>;
