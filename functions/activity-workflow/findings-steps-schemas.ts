import * as z from 'zod/mini';
import { ID_PATTERN } from '../shared/ids.js';

// Workflow inputs are parsed leniently (unknown keys stripped): the state machine may carry
// fields a step does not use. Payloads hold ids and numbers only.

const activityId = z.string().check(z.regex(ID_PATTERN, { message: 'must be an activity id' }));

export const closeFindingsInputSchema = z.object({ activityId });
export const triageInputSchema = z.object({ activityId });
export const dispatchReferralsInputSchema = z.object({ activityId });
export const completeActivityInputSchema = z.object({ activityId });

export type ActivityStepInput = z.output<typeof closeFindingsInputSchema>;
