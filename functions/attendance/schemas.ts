import * as z from 'zod/mini';
import { pure } from '../shared/pure.js';
import { referenceId } from '../shared/reference-ids.js';

export { activityPathSchema } from '../shared/http/path-schemas.js';

/**
 * Body of `PATCH /activities/{activityId}/counts` (by organisers): consultations and residents of
 * community visits and reception days, the audience of lectures and symposia.
 */
export const updateCountsBodySchema = /* @__PURE__ */ pure(() =>
  z
    .strictObject({
      /** 解答咨询: consultations answered. */
      consultationsAnswered: z.optional(
        z.number().check(z.int(), z.minimum(0), z.maximum(1_000_000)),
      ),
      /** Residents received. */
      residentsReceived: z.optional(z.number().check(z.int(), z.minimum(0), z.maximum(1_000_000))),
      /** The audience a legal training lecture or a symposium served (听众, 服务人次). */
      peopleServed: z.optional(z.number().check(z.int(), z.minimum(0), z.maximum(1_000_000))),
    })
    .check(
      z.refine(
        (body) =>
          body.consultationsAnswered !== undefined ||
          body.residentsReceived !== undefined ||
          body.peopleServed !== undefined,
        { message: 'give consultationsAnswered, residentsReceived or peopleServed' },
      ),
    ),
);

export type UpdateCountsBody = z.output<typeof updateCountsBodySchema>;

/** What organisers recorded of a community visit, a reception day, a lecture or symposium. */
export const communityCountsViewSchema = /* @__PURE__ */ pure(() =>
  z.object({
    consultationsAnswered: z.nullable(z.number()),
    residentsReceived: z.nullable(z.number()),
    peopleServed: z.nullable(z.number()),
    recordedAt: z.string(),
  }),
);

/** Body of `POST /activities/{activityId}/invitation/response`. */
export const invitationResponseBodySchema = /* @__PURE__ */ pure(() =>
  z.strictObject({
    response: z.enum(['ACCEPTED', 'DECLINED']),
    note: z.optional(z.string().check(z.trim(), z.maxLength(500))),
  }),
);
export type InvitationResponseBody = z.output<typeof invitationResponseBodySchema>;

/** A check-in code as it appears in a path or body (checked cryptographically later). */
const code = /* @__PURE__ */ pure(() =>
  z
    .string()
    .check(
      z.minLength(1),
      z.maxLength(100),
      z.regex(/^[A-Za-z0-9._-]+$/, { message: 'must be a check-in code' }),
    ),
);

/** Body of `POST /activities/{activityId}/check-ins`: the QR page sends the code. */
export const checkInBodySchema = /* @__PURE__ */ pure(() =>
  z.strictObject({ code: z.optional(code) }),
);
export type CheckInBody = z.output<typeof checkInBodySchema>;

/** Body of `POST /activities/{activityId}/check-ins/make-up` (organiser). */
export const makeUpCheckInBodySchema = /* @__PURE__ */ pure(() =>
  z.strictObject({
    deputyId: referenceId('deputy'),
    reason: z
      .string()
      .check(z.trim(), z.minLength(1, { message: 'a reason is required' }), z.maxLength(500)),
  }),
);
export type MakeUpCheckInBody = z.output<typeof makeUpCheckInBodySchema>;

/** Path of the public page `GET /check-in/{code}`. */
export const checkInPagePathSchema = /* @__PURE__ */ pure(() => z.strictObject({ code }));

// --- Answers (issue 15): each domain result type is `z.output` of its schema ----------------

/** `200` of `POST /activities/{activityId}/invitation/response`. */
export const invitationResponseViewSchema = /* @__PURE__ */ pure(() =>
  z.object({
    activityId: z.string(),
    deputyId: z.string(),
    response: z.enum(['ACCEPTED', 'DECLINED']),
    respondedAt: z.string(),
    note: z.optional(z.string()),
  }),
);
export const invitationAnswerSchema = /* @__PURE__ */ pure(() =>
  z.object({ invitation: invitationResponseViewSchema }),
);

/** A check-in: `CODE` is the venue's six digits typed on the deputy's personal page. */
export const checkInViewSchema = /* @__PURE__ */ pure(() =>
  z.object({
    activityId: z.string(),
    deputyId: z.string(),
    checkedInAt: z.string(),
    method: z.enum(['API', 'QR', 'CODE', 'MAKE_UP']),
  }),
);
/** `201` of `POST /activities/{activityId}/check-ins`. */
export const checkInAnswerSchema = /* @__PURE__ */ pure(() =>
  z.object({ checkIn: checkInViewSchema }),
);
/** `201` of `POST /activities/{activityId}/check-ins/make-up`: with the organiser's reason. */
export const makeUpCheckInAnswerSchema = /* @__PURE__ */ pure(() =>
  z.object({
    checkIn: z.object({ ...checkInViewSchema.shape, reason: z.string() }),
  }),
);

/** `200` of `GET /activities/{activityId}/check-in/qr`. */
export const checkInQrSchema = /* @__PURE__ */ pure(() =>
  z.object({
    code: z.string(),
    expiresAt: z.string(),
    /** The six digits the venue shows beside the QR code (typed on a deputy's personal page). */
    venueCode: z.string(),
    venueCodeExpiresAt: z.string(),
    url: z.string(),
    /** The QR code of `url`, as an SVG document. */
    svg: z.string(),
  }),
);

/** `200` of `PATCH /activities/{activityId}/counts`. */
export const communityCountsAnswerSchema = /* @__PURE__ */ pure(() =>
  z.object({
    communityCounts: communityCountsViewSchema,
  }),
);
