import type { MiddlewareObj } from '@middy/core';
import type { z } from 'zod/mini';
import {
  AppError,
  ConcurrentModificationError,
  TransientError,
  ValidationError,
} from '../errors.js';
import { isTransientAwsError } from '../transient.js';
import { describeIssues, toFieldIssues } from '../http/issues.js';
import '../zod-locale.js'; // English zod messages: zod/mini loads no locale

/**
 * Validates a state's input with zod and replaces the event with the parsed value. Workflow
 * inputs are parsed leniently (`z.object`, unknown keys stripped): the state machine may pass
 * along fields a step does not use, and a step must not fail because of them.
 */
export const parseInput = <TSchema extends z.ZodMiniType>(
  schema: TSchema,
): MiddlewareObj<z.output<TSchema>> => ({
  before: (request) => {
    const result = schema.safeParse(request.event);
    if (!result.success) {
      const issues = toFieldIssues(result.error);
      throw new ValidationError(describeIssues('state input', issues), issues);
    }
    request.event = result.data;
  },
});

/**
 * A lost race on a conditional write is worth retrying, and so is an AWS call that failed for
 * a passing reason (throttling, a conflict, the endpoint unreachable: `isTransientAwsError`):
 * surface both as `TransientError`, the error name the state machine's Retry targets. Before,
 * a DynamoDB endpoint that refused connections failed the step as a plain `Error`, which only
 * `Catch` matched: the workflow failed at once instead of retrying. The error is replaced
 * rather than rethrown so the other middlewares' `onError` (logger, tracer, metrics) still run.
 */
export const retryableErrors = (): MiddlewareObj<unknown> => ({
  onError: (request) => {
    const error = request.error;
    if (!error) return;
    if (
      error instanceof ConcurrentModificationError ||
      (!(error instanceof AppError) && isTransientAwsError(error))
    ) {
      request.error = new TransientError(error.message, { cause: error });
    }
  },
});
