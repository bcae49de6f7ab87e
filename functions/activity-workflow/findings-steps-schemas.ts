import * as z from 'zod/mini';
import { pure } from '../shared/pure.js';
import { activityId } from '../shared/http/path-schemas.js';

// Workflow inputs are parsed leniently (unknown keys stripped): the state machine may carry
// fields a step does not use. Payloads hold ids and numbers only.

export const closeFindingsInputSchema = /* @__PURE__ */ pure(() => z.object({ activityId }));
export const triageInputSchema = /* @__PURE__ */ pure(() => z.object({ activityId }));
export const dispatchReferralsInputSchema = /* @__PURE__ */ pure(() => z.object({ activityId }));
export const completeActivityInputSchema = /* @__PURE__ */ pure(() => z.object({ activityId }));

export type ActivityStepInput = z.output<typeof closeFindingsInputSchema>;
