import {
  TransactWriteCommand,
  type TransactWriteCommandInput,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { ConcurrentModificationError, TransientError } from '../errors.js';
import { retrying } from '../transient.js';

type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;
export type TransactItem = TransactItems[number];

/** A Put that creates `item` and cancels the transaction if an item with its key exists. */
export const putNew = (tableName: string, item: object): TransactItem => ({
  Put: {
    TableName: tableName,
    Item: item as Record<string, unknown>,
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});

/** DynamoDB's per-transaction item limit. */
export const MAX_TRANSACTION_ITEMS = 100;

const THROTTLING = new Set([
  'ThrottlingException',
  'ThrottlingError',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'InternalServerError',
]);

/**
 * Maps a DynamoDB write error to the project's named errors: a cancelled transaction whose
 * cause is a failed condition or a conflicting transaction is a lost race
 * (`ConcurrentModificationError`); throttling that outlasted the SDK's own retries is a
 * `TransientError`. Anything else is returned unchanged.
 */
export const toStoreError = (error: unknown): unknown => {
  if (!(error instanceof Error)) return error;
  if (error.name === 'TransactionCanceledException') {
    const reasons =
      (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
    const codes = reasons.map((reason) => reason.Code ?? 'None');
    if (codes.some((code) => code === 'ConditionalCheckFailed' || code === 'TransactionConflict')) {
      return new ConcurrentModificationError(
        `The item changed concurrently (transaction cancelled: ${codes.join(', ')})`,
        { cause: error },
      );
    }
    if (codes.some((code) => THROTTLING.has(code))) {
      return new TransientError('DynamoDB throttled the transaction', { cause: error });
    }
    return error;
  }
  if (error.name === 'ConditionalCheckFailedException') {
    return new ConcurrentModificationError('The item changed concurrently', { cause: error });
  }
  if (error.name === 'TransactionConflictException' || THROTTLING.has(error.name)) {
    return new TransientError(`DynamoDB: ${error.name}`, { cause: error });
  }
  return error;
};

export const writeTransaction = async (
  db: DynamoDBDocumentClient,
  items: TransactItems,
  clientRequestToken?: string,
): Promise<void> => {
  if (items.length > MAX_TRANSACTION_ITEMS) {
    throw new Error(
      `A transaction holds at most ${MAX_TRANSACTION_ITEMS} items, got ${items.length}`,
    );
  }
  try {
    await db.send(
      new TransactWriteCommand({
        TransactItems: items,
        ...(clientRequestToken ? { ClientRequestToken: clientRequestToken } : {}),
      }),
    );
  } catch (error) {
    throw toStoreError(error);
  }
};

export const chunk = <T>(items: readonly T[], size: number): T[][] => {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
};

/**
 * Runs `step` again (it re-reads what it needs) when it lost a race on a conditional write,
 * after a short random pause so racing writers spread out. A lost race that persists is a
 * busy service, not a conflict of the caller's making: `TransientError` (503 for HTTP callers,
 * the Retry target of the state machines).
 */
export const withConflictRetry = async <T>(step: () => Promise<T>, attempts = 4): Promise<T> => {
  try {
    return await retrying(step, (error) => error instanceof ConcurrentModificationError, {
      attempts,
      baseMs: 20,
    });
  } catch (error) {
    if (!(error instanceof ConcurrentModificationError)) throw error;
    throw new TransientError('Too many concurrent changes; retry later', { cause: error });
  }
};
