import * as z from 'zod/mini';
import { emailEnv } from '../shared/email/env.js';
import { residentRetentionEnv } from '../privacy/env.js';

// Imported by the CDK app to type each function's `environment` (z.input<typeof schema>):
// zod only, no side effects.

const tableName = z.string().check(z.trim(), z.minLength(1));
const stateMachineArn = z.string().check(
  z.regex(/^arn:[\w-]+:states:[\w-]+:\d{12}:stateMachine:[\w-]{1,80}$/, {
    message: 'must be a Step Functions state machine ARN',
  }),
);

export const createActivityEnvSchema = z.object({
  TABLE_NAME: tableName,
  ACTIVITY_STATE_MACHINE_ARN: stateMachineArn,
});

export const getActivityEnvSchema = z.object({
  TABLE_NAME: tableName,
  ACTIVITY_STATE_MACHINE_ARN: stateMachineArn,
});

export type CreateActivityEnv = z.output<typeof createActivityEnvSchema>;
export type GetActivityEnv = z.output<typeof getActivityEnvSchema>;

/** `POST /activities/{activityId}/redrive`: runs the failed step of the workflow again. */
export const redriveActivityEnvSchema = z.object({
  TABLE_NAME: tableName,
  ACTIVITY_STATE_MACHINE_ARN: stateMachineArn,
});

/** `POST /activities/{activityId}/cancel`: stops the execution and emails every invitee once. */
export const cancelActivityEnvSchema = z.object({
  TABLE_NAME: tableName,
  ACTIVITY_STATE_MACHINE_ARN: stateMachineArn,
  ...emailEnv,
  /** Residents' retention starts at the cancellation (docs/privacy.md). */
  ...residentRetentionEnv,
});

/** `GET /activities`: reads the listing and ownership indexes only. */
export const listActivitiesEnvSchema = z.object({
  TABLE_NAME: tableName,
});

/** `PATCH /activities/{activityId}`: changes the activity and ends the workflow's start wait. */
export const changeActivityEnvSchema = z.object({
  TABLE_NAME: tableName,
});
