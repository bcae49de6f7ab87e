// unit test: no SDK calls (errors shaped as the AWS SDK v3 throws them; middlewares on a stub handler)
import middy from '@middy/core';
import { describe, expect, it, vi } from 'vitest';
import { ConflictError, TransientError } from '../../../../functions/shared/errors.js';
import { httpErrorHandler } from '../../../../functions/shared/http/index.js';
import { isTransientAwsError } from '../../../../functions/shared/transient.js';
import { retryableErrors } from '../../../../functions/shared/workflow/middleware.js';
import { lambdaContext } from '../helpers.js';

const sdkError = (name: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode: 400 }, ...extra });

const refused = () =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), {
    code: 'ECONNREFUSED',
    $metadata: { attempts: 3 },
  });

const cancelled = (...codes: string[]) =>
  sdkError('TransactionCanceledException', {
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

describe('isTransientAwsError', () => {
  it('knows throttling, conflicts, 5xx and unreachable endpoints', () => {
    expect(isTransientAwsError(sdkError('TransactionConflictException'))).toBe(true);
    expect(isTransientAwsError(sdkError('ProvisionedThroughputExceededException'))).toBe(true);
    expect(isTransientAwsError(cancelled('None', 'TransactionConflict'))).toBe(true);
    expect(isTransientAwsError(refused())).toBe(true);
    expect(isTransientAwsError(sdkError('Whatever', { $metadata: { httpStatusCode: 503 } }))).toBe(
      true,
    );
  });

  it('does not excuse decisions and bugs', () => {
    expect(isTransientAwsError(sdkError('ConditionalCheckFailedException'))).toBe(false);
    expect(isTransientAwsError(cancelled('ConditionalCheckFailed', 'TransactionConflict'))).toBe(
      false,
    );
    expect(isTransientAwsError(sdkError('ValidationException'))).toBe(false);
    expect(isTransientAwsError(new TypeError('x is undefined'))).toBe(false);
    expect(isTransientAwsError('not an error')).toBe(false);
  });

  it('judges a wrapper by its cause', () => {
    const wrapped = new Error('Failed to save in progress record to idempotency store', {
      cause: sdkError('TransactionConflictException'),
    });
    wrapped.name = 'IdempotencyPersistenceLayerError';
    expect(isTransientAwsError(wrapped)).toBe(true);
  });
});

describe('retryableErrors', () => {
  const step = (error: Error) =>
    middy(async () => {
      throw error;
    }).use(retryableErrors());

  it('turns an unreachable DynamoDB into TransientError, which the Retry matches', async () => {
    await expect(step(refused())({}, lambdaContext())).rejects.toBeInstanceOf(TransientError);
  });

  it('leaves the project errors and bugs as they are, for Catch', async () => {
    await expect(step(new ConflictError('no'))({}, lambdaContext())).rejects.toBeInstanceOf(
      ConflictError,
    );
    await expect(step(new TypeError('bug'))({}, lambdaContext())).rejects.toBeInstanceOf(TypeError);
  });
});

describe('httpErrorHandler on transient AWS errors', () => {
  it('answers 503 with Retry-After, not 500', async () => {
    const logger = { warn: vi.fn(), error: vi.fn() };
    const handler = middy(async () => {
      throw sdkError('TransactionConflictException');
    }).use(httpErrorHandler({ logger }));
    const res = (await handler({}, lambdaContext())) as {
      statusCode: number;
      headers: Record<string, string>;
    };
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('2');
    expect(logger.error).not.toHaveBeenCalled();
  });
});
