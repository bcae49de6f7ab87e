import * as z from 'zod/mini';
import { pure } from '../shared/pure.js';

/** One activity of a deputy's lists (`GET /me/activities`, the home page). */
export const deputyActivityEntrySchema = /* @__PURE__ */ pure(() =>
  z.object({
    activityId: z.string(),
    title: z.string(),
    type: z.string(),
    street: z.string(),
    location: z.string(),
    startsAt: z.string(),
    endsAt: z.string(),
    status: z.string(),
    response: z.optional(z.enum(['ACCEPTED', 'DECLINED'])),
    checkedInAt: z.optional(z.string()),
    checkInMethod: z.optional(z.string()),
    /** Past activities: findings the deputy raised there (from the duty record, when written). */
    findingsRaised: z.optional(z.number()),
  }),
);

/** `200` of `GET /me/activities`: invitations to answer, upcoming and running, past. */
export const meActivitiesAnswerSchema = /* @__PURE__ */ pure(() =>
  z.object({
    pending: z.array(deputyActivityEntrySchema),
    upcoming: z.array(deputyActivityEntrySchema),
    past: z.array(deputyActivityEntrySchema),
  }),
);
