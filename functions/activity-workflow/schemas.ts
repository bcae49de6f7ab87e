import * as z from 'zod/mini';
import { pure } from '../shared/pure.js';
import { activityId } from '../shared/http/path-schemas.js';

// Workflow inputs are parsed leniently (unknown keys stripped): the state machine may carry
// fields a step does not use. Payloads hold ids and numbers only.

export const sendInvitationsInputSchema = /* @__PURE__ */ pure(() => z.object({ activityId }));

export const awaitPhaseInputSchema = /* @__PURE__ */ pure(() =>
  z.object({
    activityId,
    /** The human step being awaited, e.g. START, ATTENDANCE, FINDINGS, REVIEW. */
    phase: z
      .string()
      .check(z.regex(/^[A-Z][A-Z0-9_]{0,39}$/, { message: 'must be an upper-case phase code' })),
    taskToken: z.string().check(z.minLength(1), z.maxLength(8192)),
    /** When the wait ends by itself; for START it defaults to the activity's start time. */
    deadline: z.optional(z.iso.datetime({ offset: true })),
    /** START only: the activity revision the wait was planned from (PlanStart). */
    revision: z.optional(z.number().check(z.int(), z.minimum(0))),
  }),
);

export const startStepInputSchema = /* @__PURE__ */ pure(() => z.object({ activityId }));

export const openCheckInInputSchema = /* @__PURE__ */ pure(() => z.object({ activityId }));

export const closeAttendanceInputSchema = /* @__PURE__ */ pure(() => z.object({ activityId }));

export type AwaitPhaseInput = z.output<typeof awaitPhaseInputSchema>;
/**
 * What RecordFailure records: the activity and the error its execution failed with (read from
 * the execution's FAILED event, functions/shared/workflow/execution-failure.ts `failureOf`).
 */
export interface RecordFailureInput {
  activityId: string;
  error: { Error: string; Cause: string };
  /** The recorder's invocation, whose log line holds the full cause. */
  requestId?: string;
}
