import * as z from 'zod/mini';
import { referenceId } from '../shared/reference-ids.js';
import { ID_PATTERN } from '../shared/ids.js';

export { activityPathSchema } from '../activities/schemas.js';

/** Body of `POST /activities/{activityId}/invitation/response`. */
export const invitationResponseBodySchema = z.strictObject({
  response: z.enum(['ACCEPTED', 'DECLINED']),
  note: z.optional(z.string().check(z.trim(), z.maxLength(500))),
});
export type InvitationResponseBody = z.output<typeof invitationResponseBodySchema>;

/** A check-in code as it appears in a path or body (checked cryptographically later). */
const code = z
  .string()
  .check(
    z.minLength(1),
    z.maxLength(100),
    z.regex(/^[A-Za-z0-9._-]+$/, { message: 'must be a check-in code' }),
  );

/** Body of `POST /activities/{activityId}/check-ins`: the QR page sends the code. */
export const checkInBodySchema = z.strictObject({ code: z.optional(code) });
export type CheckInBody = z.output<typeof checkInBodySchema>;

/** Body of `POST /activities/{activityId}/check-ins/make-up` (organiser). */
export const makeUpCheckInBodySchema = z.strictObject({
  deputyId: referenceId('deputy'),
  reason: z
    .string()
    .check(z.trim(), z.minLength(1, { message: 'a reason is required' }), z.maxLength(500)),
});
export type MakeUpCheckInBody = z.output<typeof makeUpCheckInBodySchema>;

/** Path of the public page `GET /check-in/{code}`. */
export const checkInPagePathSchema = z.strictObject({ code });

export const activityIdSchema = z
  .string()
  .check(z.regex(ID_PATTERN, { message: 'must be an activity id' }));
