import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import { dynamoDb } from '../clients.js';
import { keys } from '../data/keys.js';
import { isTransientAwsError } from '../transient.js';

type Options = Parameters<typeof makeHandlerIdempotent>[0];

const NOT_OURS = 'liandong.idempotency.recordNotOurs';

/**
 * Powertools' `makeHandlerIdempotent`, except that a request which never took the idempotency
 * record leaves it alone.
 *
 * Powertools' middleware deletes the record in `onError`, and middy runs `onError` for an error
 * thrown in `before` too: so a duplicate that was refused there (another request with the same
 * key still in progress, or the same key with another body) deleted the record of the request
 * that holds it, and the next duplicate ran the handler a second time. 50 concurrent identical
 * `POST /activities` created 11 activities that way (test/chaos/concurrency.test.ts). Here a
 * refusal in `before` marks the request, and its `onError` does not touch the record; an error
 * of the handler itself still deletes it, so the client can try again.
 *
 * Storing the result (`after`) happens once the handler's writes are done. If it fails (a
 * transaction conflict on the record), Powertools turned a done request into an error whose
 * `onError` deleted the record: the client's retry then ran the handler again (a second
 * finding). Here storing is retried on passing faults, and if it still fails the response
 * stands: the record stays in progress until its in-progress expiry, so a retry meanwhile is
 * told 409 "in progress" instead of running twice.
 */
export const idempotentRequest = (options: Options): ReturnType<typeof makeHandlerIdempotent> => {
  const inner = makeHandlerIdempotent(options);
  return {
    before: async (request) => {
      try {
        return await inner.before!(request);
      } catch (error) {
        (request.internal as Record<string, unknown>)[NOT_OURS] = true;
        throw error;
      }
    },
    after: async (request) => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await inner.after!(request);
        } catch (error) {
          if (attempt < 4 && isTransientAwsError(error)) {
            await new Promise((r) => setTimeout(r, Math.random() * 25 * 2 ** attempt));
            continue;
          }
          (request.internal as Record<string, unknown>)[NOT_OURS] = true;
          return;
        }
      }
    },
    onError: async (request) => {
      if ((request.internal as Record<string, unknown>)[NOT_OURS] === true) return;
      // Deleting the record can meet a conflict too: retried; if it still fails, the record
      // stays in progress until its expiry and the request's own error is what the caller hears
      // (a failed delete used to replace it with a 500).
      for (let attempt = 1; ; attempt++) {
        try {
          return await inner.onError?.(request);
        } catch (error) {
          if (attempt < 4 && isTransientAwsError(error)) {
            await new Promise((r) => setTimeout(r, Math.random() * 25 * 2 ** attempt));
            continue;
          }
          return;
        }
      }
    },
  };
};

/**
 * The idempotency of an API route (`httpRoute`'s `idempotency`), the same for every route that
 * honours `Idempotency-Key`. Records live in the application table, one partition per operation. The key is
 * scoped to the caller and the route (its path names the resource), so two callers who pick the
 * same key never see each other's results; the parsed body is validated, so the same key with
 * another body is refused.
 */
export const idempotentRoute = (operation: string, tableName: string) =>
  idempotentRequest({
    persistenceStore: new DynamoDBPersistenceLayer({
      tableName,
      keyAttr: 'pk',
      sortKeyAttr: 'sk',
      staticPkValue: keys.idempotency(operation),
      expiryAttr: 'expiresAt',
      awsSdkV3Client: dynamoDb,
    }),
    config: new IdempotencyConfig({
      eventKeyJmesPath:
        'headers."idempotency-key" && join(\':\', [requestContext.authorizer.jwt.claims.sub, ' +
        'routeKey, rawPath, headers."idempotency-key"])',
      payloadValidationJmesPath: 'body',
      expiresAfterSeconds: 24 * 60 * 60,
      throwOnNoIdempotencyKey: false,
    }),
  });
