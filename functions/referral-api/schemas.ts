import * as z from 'zod/mini';
import { ID_PATTERN } from '../shared/ids.js';
import { referenceId } from '../shared/reference-ids.js';

// CR, LF and other control characters never enter a reason: reasons reach emails and pages.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F\u2028\u2029]/;

const reason = z.string().check(
  z.trim(),
  z.minLength(1),
  z.maxLength(1000),
  z.refine((value) => !CONTROL.test(value), {
    message: 'must be one line without control characters',
  }),
);

export const referralPathSchema = z.strictObject({
  referralId: z.string().check(z.regex(ID_PATTERN, { message: 'must be a referral id' })),
});

/** Body of `POST /referrals/{referralId}/reroute`. */
export const rerouteBodySchema = z.strictObject({
  departmentId: referenceId('department'),
  reason,
});

/** Body of `POST /referrals/{referralId}/extension`. */
export const extensionBodySchema = z
  .strictObject({
    decision: z.enum(['GRANT', 'REFUSE']),
    /** Days to grant; default: the days the department asked for. */
    days: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(180))),
    reason,
  })
  .check(
    z.refine((body) => body.decision === 'GRANT' || body.days === undefined, {
      path: ['days'],
      message: 'only with GRANT',
    }),
  );

/** Body of `POST /referrals/{referralId}/close`. */
export const closeBodySchema = z.strictObject({ reason });

/** Why the failed step may run again now (what was fixed): kept in the audit event. */
export const redriveBodySchema = z.strictObject({ reason });

export type RerouteBody = z.output<typeof rerouteBodySchema>;
export type ExtensionBody = z.output<typeof extensionBodySchema>;
export type CloseBody = z.output<typeof closeBodySchema>;
export type RedriveBody = z.output<typeof redriveBodySchema>;
