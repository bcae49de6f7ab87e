import { TransientError } from './errors.js';

/**
 * Calls `call` until it succeeds, fails with an error `retryable` refuses, or has been made
 * `attempts` times (then its last error is thrown), pausing a random time between attempts,
 * up to `baseMs` doubled per attempt (full jitter: callers that raced spread out).
 */
export const retrying = async <T>(
  call: () => Promise<T>,
  retryable: (error: unknown) => boolean,
  { attempts, baseMs }: { attempts: number; baseMs: number },
): Promise<T> => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= attempts || !retryable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * baseMs * 2 ** attempt));
    }
  }
};

/**
 * Whether an error from an AWS SDK call says the same call may well succeed if made again:
 * throttling, a transaction conflict, a 5xx, or the endpoint unreachable (the connection
 * refused, reset or timed out). The SDK retries these a few times itself; what outlasts its
 * retries reaches our code, and it is still no bug: HTTP callers get 503 and workflow steps
 * fail with `TransientError`, which the state machines' Retry covers. Wrapped errors (e.g.
 * Powertools' `IdempotencyPersistenceLayerError`) are judged by their `cause`.
 */
const TRANSIENT_NAMES = new Set([
  'TransactionConflictException',
  'ThrottlingException',
  'ThrottlingError',
  'Throttling',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);

// A refused connection sent nothing; a reset or a timeout may have: only idempotent callers
// retry those, and every write here is conditional or keyed.
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

const TRANSIENT_REASONS = new Set([
  'TransactionConflict',
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
]);

export const isTransientAwsError = (error: unknown, depth = 0): boolean => {
  if (!(error instanceof Error) || depth > 3) return false;
  const { code, $metadata, CancellationReasons } = error as {
    code?: string;
    $metadata?: { httpStatusCode?: number };
    CancellationReasons?: { Code?: string }[];
  };
  if (TRANSIENT_NAMES.has(error.name) || NETWORK_CODES.has(code ?? '')) return true;
  if (error.name === 'TransactionCanceledException') {
    const codes = (CancellationReasons ?? []).map((r) => r.Code ?? 'None');
    // A failed condition is a decision, not a passing fault.
    if (codes.includes('ConditionalCheckFailed')) return false;
    return codes.some((c) => TRANSIENT_REASONS.has(c));
  }
  const status = $metadata?.httpStatusCode ?? 0;
  if (status === 429 || status >= 500) return true;
  return isTransientAwsError((error as { cause?: unknown }).cause, depth + 1);
};

/**
 * What to throw for a Step Functions call that failed: a `TransientError` when the fault is
 * passing (throttled, 5xx, unreachable: a retry or the state machine's Retry will do), else the
 * error itself. Every start and stop here is keyed by the execution's name, so a repeat is safe.
 */
export const stepFunctionsFault = (error: unknown): unknown =>
  isTransientAwsError(error)
    ? new TransientError('Step Functions is busy; retry later', { cause: error })
    : error;
