/**
 * Errors of the Step Functions API, answered as `{"__type": <code>, "message": ...}`. The code is
 * the shape name of the API model, which `@aws-sdk/client-sfn` maps back to its exception classes.
 */
export class SfnApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
    this.name = code;
  }
}

export class ValidationError extends SfnApiError {
  constructor(message: string) {
    super('ValidationException', message);
  }
}

export class InvalidArnError extends SfnApiError {
  constructor(arn: unknown) {
    super('InvalidArn', `Invalid Arn: '${String(arn)}'`);
  }
}

export class InvalidNameError extends SfnApiError {
  constructor(name: string) {
    super('InvalidName', `Invalid Name: '${name}'`);
  }
}

export class InvalidExecutionInputError extends SfnApiError {
  constructor(detail: string) {
    super('InvalidExecutionInput', `Invalid State Machine Execution Input: '${detail}'`);
  }
}

export class InvalidOutputError extends SfnApiError {
  constructor(detail: string) {
    super('InvalidOutput', `Invalid Output: '${detail}'`);
  }
}

export class StateMachineDoesNotExistError extends SfnApiError {
  constructor(arn: string) {
    super('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
  }
}

export class ExecutionDoesNotExistError extends SfnApiError {
  constructor(arn: string) {
    super('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
  }
}

export class ExecutionAlreadyExistsError extends SfnApiError {
  constructor(arn: string) {
    super('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
  }
}

export class ExecutionNotRedrivableError extends SfnApiError {
  constructor(arn: string, why: string) {
    super('ExecutionNotRedrivable', `Execution '${arn}' cannot be redriven: ${why}`);
  }
}

export class InvalidTokenError extends SfnApiError {
  constructor(detail: string) {
    super('InvalidToken', `Invalid Token: '${detail}'`);
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

export class UnknownOperationError extends SfnApiError {
  constructor(target: string) {
    super('UnknownOperationException', `Unknown operation: '${target}'`);
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
