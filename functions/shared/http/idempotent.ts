import { createHash } from 'node:crypto';
import { cleanupMiddlewares } from '@aws-lambda-powertools/commons';
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { MiddlewareObj, Request } from '@middy/core';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { dynamoDb } from '../clients.js';
import { keys } from '../data/keys.js';
import { isTransientAwsError, retrying } from '../transient.js';
import type { HttpEvent } from './types.js';

/**
 * The idempotency record of a request, in the application table: claimed by a conditional put
 * before the request runs, its answer stored once it has run, replayed to a retry with the same
 * key, deleted if the request failed (so the client can try again), and expired by the table's
 * TTL. The attributes are those Powertools Idempotency wrote (status, `in_progress_expiration`,
 * `data`, `validation`, the hash of the key as the sort key), so a record written before this
 * module replaced it is still honoured.
 *
 * Why not Powertools' `makeHandlerIdempotent` (what this was until issue 13): its package and
 * JMESPath engine were parsed at every cold start of the functions that honour `Idempotency-Key`,
 * and it needed wrapping anyway: its `onError` deleted the record of the request that held it when
 * a duplicate was refused in `before` (50 concurrent identical `POST /activities` created 11
 * activities that way, test/chaos/concurrency.test.ts), and turned a done request whose result
 * could not be stored into an error that deleted the record (a retry then ran it twice).
 */
export interface IdempotencyOptions<TEvent> {
  client: DynamoDBClient;
  tableName: string;
  /** The operation whose records these are: their partition (`keys.idempotency`). */
  operation: string;
  /** What identifies a request (already scoped as it must be), or `undefined`: not idempotent. */
  keyOf: (event: TEvent) => string | undefined;
  /** What must be the same for a retry to be answered from the record (else 422). */
  payloadOf: (event: TEvent) => unknown;
  /** How long a stored answer is replayed. */
  expiresAfterSeconds: number;
}

const IN_PROGRESS = 'INPROGRESS';
const COMPLETED = 'COMPLETED';
/** Claiming the record again when it changed under us (expired, or deleted by its failed request). */
const CLAIM_ATTEMPTS = 3;

/** A retry with the same key and another payload: 422. Matched by name in ./error-handler.ts. */
export class IdempotencyValidationError extends Error {
  override name = 'IdempotencyValidationError';
}

/** A retry while the request that holds the key still runs: 409. Matched by name likewise. */
export class IdempotencyAlreadyInProgressError extends Error {
  override name = 'IdempotencyAlreadyInProgressError';
}

/** The record changed between our claim and our read: claim again. */
class RecordChanged extends Error {}

interface StoredRecord {
  status?: string;
  expiresAt?: number;
  data?: unknown;
  validation?: string;
}

/** Plain objects with their keys sorted (as Powertools hashed them), arrays in their order. */
const sortedKeys = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (Object.prototype.toString.call(value) !== '[object Object]') return value;
  return Object.fromEntries(
    Object.keys(value as object)
      .sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1))
      .map((key) => [key, sortedKeys((value as Record<string, unknown>)[key])]),
  );
};

/** MD5 in base64 of the JSON (hashed as Powertools hashed, so earlier records still match). */
const hashOf = (value: unknown): string =>
  createHash('md5')
    .update(JSON.stringify(sortedKeys(value ?? null)))
    .digest('base64');

/** A DynamoDB fault that passes (throttled, a conflict): tried again a few times at once. */
const retryingTransient = <T>(call: () => Promise<T>): Promise<T> =>
  retrying(call, isTransientAwsError, { attempts: 4, baseMs: 25 });

const CLAIM = 'liandong.idempotency.claim';

interface Claim {
  key: Record<string, AttributeValue>;
  validation: string;
}

/**
 * The middleware that makes a request idempotent (register it last before the decision: only
 * authorised, valid requests take a record). A duplicate that is refused (in progress, or another
 * payload) never touches the record of the request that holds it; a request whose answer cannot
 * be stored still answers, and its record stays in progress until its in-progress expiry, so a
 * retry meanwhile is told 409 instead of running twice.
 */
export const idempotentRequest = <TEvent>(
  options: IdempotencyOptions<TEvent>,
): MiddlewareObj<TEvent> => {
  const { client, tableName } = options;
  const claimOf = (request: Request<TEvent>): Claim | undefined =>
    (request.internal as Record<string, Claim | undefined>)[CLAIM];

  /** Takes the record, or answers from it: the stored answer, or an error that refuses. */
  const claimOrReplay = async (
    key: Record<string, AttributeValue>,
    validation: string,
    remainingMs: number | undefined,
  ): Promise<{ claimed: true } | { claimed: false; answer: unknown }> => {
    const now = Date.now();
    const item: Record<string, AttributeValue> = {
      ...key,
      ...marshall({
        expiresAt: Math.round(now / 1000 + options.expiresAfterSeconds),
        status: IN_PROGRESS,
      }),
      validation: { S: validation },
    };
    if (remainingMs !== undefined) {
      item.in_progress_expiration = { N: String(now + remainingMs) };
    }
    let existing: StoredRecord | undefined;
    try {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: item,
          // Free, expired, or held by a request whose Lambda ran out of time.
          ConditionExpression:
            'attribute_not_exists(#id) OR #expiry < :now OR ' +
            '(#status = :inprogress AND attribute_exists(#in_progress_expiry) AND #in_progress_expiry < :now_in_millis)',
          ExpressionAttributeNames: {
            '#id': 'pk',
            '#expiry': 'expiresAt',
            '#in_progress_expiry': 'in_progress_expiration',
            '#status': 'status',
          },
          ExpressionAttributeValues: marshall({
            ':now': now / 1000,
            ':now_in_millis': now,
            ':inprogress': IN_PROGRESS,
          }),
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { claimed: true };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      existing = error.Item && (unmarshall(error.Item) as StoredRecord);
    }
    if (!existing) {
      const read = await client.send(
        new GetItemCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
      );
      if (!read.Item) throw new RecordChanged();
      existing = unmarshall(read.Item) as StoredRecord;
    }
    if (existing.validation !== validation) {
      throw new IdempotencyValidationError(
        'This Idempotency-Key was already used with a different request body',
      );
    }
    if (existing.expiresAt !== undefined && Date.now() / 1000 > existing.expiresAt) {
      throw new RecordChanged();
    }
    if (existing.status === IN_PROGRESS) {
      throw new IdempotencyAlreadyInProgressError(
        'A request with this Idempotency-Key is still in progress; retry later',
      );
    }
    if (existing.status !== COMPLETED) {
      throw new Error(`Idempotency record with an unknown status: ${String(existing.status)}`);
    }
    return { claimed: false, answer: existing.data };
  };

  return {
    before: async (request) => {
      const requestKey = options.keyOf(request.event);
      if (requestKey === undefined) return;
      const key = marshall(
        keys.idempotencyRecord(
          options.operation,
          process.env.AWS_LAMBDA_FUNCTION_NAME ?? '',
          hashOf(requestKey),
        ),
      );
      const validation = hashOf(options.payloadOf(request.event));
      for (let attempt = 1; ; attempt++) {
        try {
          const outcome = await claimOrReplay(
            key,
            validation,
            request.context?.getRemainingTimeInMillis?.(),
          );
          if (outcome.claimed) {
            (request.internal as Record<string, Claim>)[CLAIM] = { key, validation };
            return;
          }
          // The stored answer ends the request here: middy then runs no `after`, so the
          // Powertools logger and metrics middlewares are cleaned up as they would have been.
          await cleanupMiddlewares(request);
          return outcome.answer;
        } catch (error) {
          if (error instanceof RecordChanged && attempt < CLAIM_ATTEMPTS) continue;
          throw error;
        }
      }
    },
    after: async (request) => {
      const claim = claimOf(request);
      if (!claim) return;
      try {
        await retryingTransient(() =>
          client.send(
            new UpdateItemCommand({
              TableName: tableName,
              Key: claim.key,
              UpdateExpression:
                'SET #expiry = :expiry, #status = :status, #response_data = :response_data, #validation_key = :validation_key',
              ExpressionAttributeNames: {
                '#expiry': 'expiresAt',
                '#status': 'status',
                '#response_data': 'data',
                '#validation_key': 'validation',
              },
              ExpressionAttributeValues: marshall(
                {
                  ':expiry': Math.round(Date.now() / 1000 + options.expiresAfterSeconds),
                  ':status': COMPLETED,
                  ':response_data': request.response,
                  ':validation_key': claim.validation,
                },
                { removeUndefinedValues: true },
              ),
            }),
          ),
        );
      } catch {
        // The request is done: its answer stands. The record stays in progress until its
        // in-progress expiry, so a retry meanwhile is told 409 rather than running it again.
        (request.internal as Record<string, Claim | undefined>)[CLAIM] = undefined;
      }
    },
    onError: async (request) => {
      const claim = claimOf(request);
      if (!claim) return;
      // A request that failed frees its key. Deleting can meet a conflict too: retried; if it
      // still fails, the record stays in progress until its expiry, and the request's own error
      // is what the caller hears.
      try {
        await retryingTransient(() =>
          client.send(new DeleteItemCommand({ TableName: tableName, Key: claim.key })),
        );
      } catch {
        // Left to expire, as said above.
      }
    },
  };
};

/**
 * The idempotency of an API route (`httpRoute`'s `idempotency`), the same for every route that
 * honours `Idempotency-Key`: records in the application table, one partition per operation. The
 * key is scoped to the caller and the route (its path names the resource), so two callers who
 * pick the same key never see each other's results; the parsed body must be the same, so the
 * same key with another body is refused (422). A request without the header is not idempotent.
 */
export const idempotentRoute = (operation: string, tableName: string) =>
  idempotentRequest<unknown>({
    client: dynamoDb,
    tableName,
    operation,
    keyOf: (validated) => {
      const event = validated as HttpEvent;
      const clientKey = event.headers?.['idempotency-key'];
      if (clientKey === undefined || clientKey === null) return undefined;
      const sub = event.requestContext?.authorizer?.jwt?.claims?.sub;
      if (typeof sub !== 'string') throw new Error('An idempotent route needs the caller (sub)');
      return [sub, event.routeKey, event.rawPath, clientKey].join(':');
    },
    payloadOf: (validated) => (validated as HttpEvent).body,
    expiresAfterSeconds: 24 * 60 * 60,
  });
