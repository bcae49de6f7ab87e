import * as z from 'zod/mini';
import { pure } from '../shared/pure.js';
import { activityId, findingId, findingViewSchema } from '../findings/schemas.js';
import { streetCodeSchema } from '../shared/reference-ids.js';

const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

/**
 * Body of `POST /residents/findings/search` and `.../export`: the person's name, contact or
 * both (as the findings' `resident` takes them), and why they are looked up (logged with who
 * asked; docs/privacy.md). A POST body keeps the name and contact out of URLs and access logs.
 */
export const personQueryBodySchema = /* @__PURE__ */ pure(() =>
  z
    .strictObject({
      name: z.optional(text(100)),
      contact: z.optional(text(200)),
      /** Why the person's data is looked up, e.g. the resident's request and its date. */
      reason: text(500),
    })
    .check(
      z.superRefine((body, context) => {
        if (!body.name && !body.contact) {
          context.addIssue({
            code: 'custom',
            path: ['name'],
            message: 'name or contact is required',
          });
        }
      }),
    ),
);

export type PersonQueryBody = z.output<typeof personQueryBodySchema>;

/** Body of `POST .../resident/erasure`: why the resident is erased early (goes into the trail). */
export const erasureBodySchema = /* @__PURE__ */ pure(() => z.strictObject({ reason: text(500) }));

export type ErasureBody = z.output<typeof erasureBodySchema>;

export const findingPathSchema = /* @__PURE__ */ pure(() =>
  z.strictObject({ activityId, findingId }),
);

/** Input of the retention job: the EventBridge Scheduler run's scheduled time. */
export const eraseDueResidentsInputSchema = /* @__PURE__ */ pure(() =>
  z.object({
    scheduledTime: z.optional(z.iso.datetime()),
  }),
);

// --- Answers (issue 15) ------------------------------------------------------------------

/** A finding as a resident's request shows it: in full, with its activity and its retention. */
export const residentFindingSchema = /* @__PURE__ */ pure(() =>
  z.object({
    ...findingViewSchema.shape,
    activity: z.object({
      id: z.string(),
      title: z.string(),
      street: streetCodeSchema,
      startsAt: z.string(),
      status: z.string(),
    }),
    /** What of the request matched: `name`, `contact`. */
    matched: z.array(z.string()),
    /** When the name and contact are due for erasure (set when retention starts). */
    eraseAfter: z.optional(z.string()),
    /** What started the retention. */
    retentionFrom: z.optional(
      z.object({
        at: z.string(),
        cause: z.enum(['REFERRALS_CLOSED', 'ACTIVITY_COMPLETED', 'ACTIVITY_CANCELLED']),
      }),
    ),
  }),
);
export type ResidentFinding = z.output<typeof residentFindingSchema>;

/** `200` of `POST /residents/findings/search`. */
export const residentSearchAnswerSchema = /* @__PURE__ */ pure(() =>
  z.object({ findings: z.array(residentFindingSchema) }),
);

/** `200` of `POST /residents/findings/export` (a JSON attachment): with each referral's status. */
export const residentExportSchema = /* @__PURE__ */ pure(() =>
  z.object({
    exportedAt: z.string(),
    /** Cognito `sub` of the organiser who exported it. */
    exportedBy: z.string(),
    person: z.object({ name: z.optional(z.string()), contact: z.optional(z.string()) }),
    findings: z.array(
      z.object({
        ...residentFindingSchema.shape,
        referral: z.optional(
          z.object({
            id: z.string(),
            departmentId: z.string(),
            status: z.string(),
            closedAt: z.optional(z.string()),
          }),
        ),
      }),
    ),
  }),
);
