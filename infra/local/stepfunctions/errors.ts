/**
 * Errors of the Step Functions API, answered as `{"__type": <code>, "message": ...}`. The code is
 * the shape name of the API model, which `@aws-sdk/client-sfn` maps back to its exception classes.
 */
import { AwsJsonError } from '../http-server';

export class SfnApiError extends AwsJsonError {}

export class ValidationError extends SfnApiError {
  constructor(message: string) {
    super('ValidationException', message);
  }
}

/** An error whose message quotes the value at fault, as AWS writes them: `Invalid Arn: 'x'`. */
function quotingError(code: string, label: string) {
  return class extends SfnApiError {
    constructor(value: unknown) {
      super(code, `${label}: '${String(value)}'`);
    }
  };
}

export const InvalidArnError = quotingError('InvalidArn', 'Invalid Arn');
export const InvalidNameError = quotingError('InvalidName', 'Invalid Name');
export const InvalidExecutionInputError = quotingError(
  'InvalidExecutionInput',
  'Invalid State Machine Execution Input',
);
export const InvalidOutputError = quotingError('InvalidOutput', 'Invalid Output');
export const StateMachineDoesNotExistError = quotingError(
  'StateMachineDoesNotExist',
  'State Machine Does Not Exist',
);
export const ExecutionDoesNotExistError = quotingError(
  'ExecutionDoesNotExist',
  'Execution Does Not Exist',
);
export const ExecutionAlreadyExistsError = quotingError(
  'ExecutionAlreadyExists',
  'Execution Already Exists',
);
export const InvalidTokenError = quotingError('InvalidToken', 'Invalid Token');
export const UnknownOperationError = quotingError('UnknownOperationException', 'Unknown operation');

export class ExecutionNotRedrivableError extends SfnApiError {
  constructor(arn: string, why: string) {
    super('ExecutionNotRedrivable', `Execution '${arn}' cannot be redriven: ${why}`);
  }
}

export class TaskDoesNotExistError extends SfnApiError {
  constructor() {
    super('TaskDoesNotExist', 'Task Does Not Exist');
  }
}

/** What AWS answers for a token whose task has closed (answered, timed out, execution ended). */
export class TaskTimedOutError extends SfnApiError {
  constructor() {
    super('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'");
  }
}

/**
 * A failure inside an execution, with the `Error` name that `Retry`/`Catch` match on. `catchable`
 * is false for `States.Runtime`: AWS lets no Retry or Catch, not even `States.ALL`, handle it.
 */
export class StatesError extends Error {
  constructor(
    readonly error: string,
    readonly errorCause: string,
    readonly catchable = true,
  ) {
    super(`${error}: ${errorCause}`);
    this.name = 'StatesError';
  }

  static runtime(cause: string): StatesError {
    return new StatesError('States.Runtime', cause, false);
  }
}

/** The SDK service behind an integration is one the local service cannot call. */
export class UnsupportedIntegrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedIntegrationError';
  }
}
