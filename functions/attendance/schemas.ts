import * as z from 'zod';
import { DEPUTY_ID_PATTERN } from '../activities/schemas.js';
import { ID_PATTERN } from '../shared/ids.js';

export { activityPathSchema } from '../activities/schemas.js';

/** Body of `POST /activities/{activityId}/invitation/response`. */
export const invitationResponseBodySchema = z.strictObject({
  response: z.enum(['ACCEPTED', 'DECLINED']),
  note: z.string().trim().max(500).optional(),
});
export type InvitationResponseBody = z.output<typeof invitationResponseBodySchema>;

/** A check-in code as it appears in a path or body (checked cryptographically later). */
const code = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9._-]+$/, { message: 'must be a check-in code' });

/** Body of `POST /activities/{activityId}/check-ins`: the QR page sends the code. */
export const checkInBodySchema = z.strictObject({ code: code.optional() });
export type CheckInBody = z.output<typeof checkInBodySchema>;

/** Body of `POST /activities/{activityId}/check-ins/make-up` (organiser). */
export const makeUpCheckInBodySchema = z.strictObject({
  deputyId: z
    .string()
    .regex(DEPUTY_ID_PATTERN, { message: 'must be a deputy id such as dep-0001' }),
  reason: z.string().trim().min(1, { message: 'a reason is required' }).max(500),
});
export type MakeUpCheckInBody = z.output<typeof makeUpCheckInBodySchema>;

/** Path of the public page `GET /check-in/{code}`. */
export const checkInPagePathSchema = z.strictObject({ code });

export const activityIdSchema = z.string().regex(ID_PATTERN, { message: 'must be an activity id' });
