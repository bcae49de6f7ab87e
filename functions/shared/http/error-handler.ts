import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj } from '@middy/core';
import { AppError, NotSetUpError, TransientError, ValidationError } from '../errors.js';
import { isTransientAwsError } from '../transient.js';
import { jsonResponse } from './responses.js';
import type { HttpResult } from './types.js';

// The idempotency errors (./idempotent.ts), matched by name so this module does not load it.
const IDEMPOTENCY_ERRORS: Record<string, { statusCode: number; message: string }> = {
  IdempotencyValidationError: {
    statusCode: 422,
    message: 'This Idempotency-Key was already used with a different request body',
  },
  IdempotencyAlreadyInProgressError: {
    statusCode: 409,
    message: 'A request with this Idempotency-Key is still in progress; retry later',
  },
};

/**
 * Turns errors into JSON responses: named errors into their 4xx with their message (and field
 * issues), a deployment not set up (NotSetUpError) into 503 with its message, transient ones
 * into 503 "busy", anything else into a generic 500 whose details only go to
 * the log. Register it first so its `onError` runs last, after the other middlewares' cleanup
 * (e.g. the idempotency record of a failed request is deleted before we answer).
 */
export const httpErrorHandler = ({
  logger,
}: {
  logger: Pick<Logger, 'warn' | 'error'>;
}): MiddlewareObj<unknown, HttpResult> => ({
  onError: (request) => {
    if (request.response !== undefined && request.response !== null) return;
    const error = request.error;

    if (error instanceof ValidationError) {
      logger.warn('Rejected request', { statusCode: error.statusCode, issues: error.issues });
      request.response = jsonResponse(error.statusCode, {
        message: error.message,
        issues: error.issues,
      });
      return;
    }
    // The deployment is not set up (no district yet): 503 saying what is missing and who sets
    // it, without Retry-After (no delay helps); an error in the log, since a person must act.
    if (error instanceof NotSetUpError) {
      logger.error('Not set up', { errorName: error.name, reason: error.message });
      request.response = jsonResponse(error.statusCode, { message: error.message });
      return;
    }
    // An AWS call that outlasted the SDK's retries for a passing reason (throttling, a
    // transaction conflict, an unreachable endpoint) is "busy", not a server bug.
    if (
      error instanceof TransientError ||
      (!(error instanceof AppError) && isTransientAwsError(error))
    ) {
      logger.warn('Transient failure', { error });
      request.response = jsonResponse(
        503,
        { message: 'The service is busy; retry later' },
        { 'retry-after': '2' },
      );
      return;
    }
    if (error instanceof AppError && error.statusCode < 500) {
      logger.warn('Rejected request', { statusCode: error.statusCode, reason: error.message });
      request.response = jsonResponse(error.statusCode, { message: error.message });
      return;
    }
    const idempotency = error ? IDEMPOTENCY_ERRORS[error.name] : undefined;
    if (idempotency) {
      logger.warn('Idempotency conflict', { errorName: error?.name });
      request.response = jsonResponse(idempotency.statusCode, { message: idempotency.message });
      return;
    }
    logger.error('Unhandled error', { error });
    request.response = jsonResponse(500, { message: 'Internal server error' });
  },
});
