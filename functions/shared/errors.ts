/**
 * Named errors shared by every handler.
 *
 * Each class sets `name` to a string literal rather than relying on the class name: bundlers may
 * rename classes, and Step Functions `Retry`/`Catch` match on the Lambda error type, which is
 * the error's `name`.
 */

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `invitedDeputyIds.3`; empty for the whole input. */
  path: string;
  message: string;
}

/** Base of every error the project throws on purpose; `statusCode` is what HTTP callers see. */
export abstract class AppError extends Error {
  abstract readonly statusCode: number;
}

/** The input is malformed (400) or breaks the schema or a business rule on its fields (422). */
export class ValidationError extends AppError {
  override readonly name = 'ValidationError';
  readonly statusCode: 400 | 422;
  readonly issues: FieldIssue[];

  constructor(
    message: string,
    issues: FieldIssue[] = [],
    options: { statusCode?: 400 | 422; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.issues = issues;
    this.statusCode = options.statusCode ?? 422;
  }
}

/**
 * The class of an error that always answers `statusCode`, named `name`: the one way to declare
 * such an error. `name` is typed `string` so that a subclass (ConcurrentModificationError) may
 * name itself.
 */
const errorOfStatus = <Status extends number>(name: string, statusCode: Status) =>
  class extends AppError {
    override readonly name: string = name;
    readonly statusCode: Status = statusCode;
  };

export class UnauthorizedError extends errorOfStatus('UnauthorizedError', 401) {}

export class ForbiddenError extends errorOfStatus('ForbiddenError', 403) {}

export class NotFoundError extends errorOfStatus('NotFoundError', 404) {}

export class ConflictError extends errorOfStatus('ConflictError', 409) {}

/**
 * A conditional write lost against a concurrent writer (the audit stream head moved, or the
 * item changed under us). Re-reading and retrying is safe; workflow handlers turn it into a
 * {@link TransientError} so the state machine's Retry handles it.
 */
export class ConcurrentModificationError extends ConflictError {
  override readonly name = 'ConcurrentModificationError';
}

export class PayloadTooLargeError extends errorOfStatus('PayloadTooLargeError', 413) {}

export class UnsupportedMediaTypeError extends errorOfStatus('UnsupportedMediaTypeError', 415) {}

/**
 * The deployment lacks data only a person can give (the district's jurisdiction): 503, with a
 * message that names what is missing and who sets it, since no caller's request is at fault.
 * Not transient: retrying cannot help until someone sets it, so the state machines do not retry
 * it (the step fails, its failure is recorded, and a redrive runs it once it is set).
 */
export class NotSetUpError extends errorOfStatus('NotSetUpError', 503) {}

/**
 * A failure that is expected to go away (throttling, a 5xx of a dependency, a lost race).
 * The state machines retry exactly this error name with backoff.
 */
export class TransientError extends errorOfStatus('TransientError', 503) {}
