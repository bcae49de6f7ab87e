import * as z from 'zod/mini';
import { emailEnv } from '../shared/email/env.js';
import { residentRetentionEnv } from '../privacy/env.js';
import { stateMachineArn, tableEnv, tableEnvSchema } from '../shared/env-fields.js';

// Imported by the CDK app to type each function's `environment` (z.input<typeof schema>):
// zod only, no side effects.

/** The routes that reach the activity's workflow: the table and the workflow's state machine. */
const activityWorkflowEnv = { ...tableEnv, ACTIVITY_STATE_MACHINE_ARN: stateMachineArn };

export const createActivityEnvSchema = z.object(activityWorkflowEnv);

export const getActivityEnvSchema = z.object(activityWorkflowEnv);

/** `POST /activities/{activityId}/redrive`: runs the failed step of the workflow again. */
export const redriveActivityEnvSchema = z.object(activityWorkflowEnv);

/** `POST /activities/{activityId}/cancel`: stops the execution and emails every invitee once. */
export const cancelActivityEnvSchema = z.object({
  ...activityWorkflowEnv,
  ...emailEnv,
  /** Residents' retention starts at the cancellation (docs/privacy.md). */
  ...residentRetentionEnv,
});

/** `GET /activities`: reads the listing and ownership indexes only. */
export const listActivitiesEnvSchema = tableEnvSchema;

/** `PATCH /activities/{activityId}`: changes the activity and ends the workflow's start wait. */
export const changeActivityEnvSchema = tableEnvSchema;
