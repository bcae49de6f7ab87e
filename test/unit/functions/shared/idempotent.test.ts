// unit test: SDK mocked with aws-sdk-client-mock (the idempotency records' DynamoDB calls)
import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import middy from '@middy/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { idempotentRequest } from '../../../../functions/shared/http/idempotent.js';
import { mockAws } from '../../../support/aws.js';
import { lambdaContext } from '../helpers.js';

const { raw: ddb } = mockAws('raw');

const build = (middleware: typeof makeHandlerIdempotent, handler: () => Promise<unknown>) => {
  const client = new DynamoDBClient({ region: 'ap-east-1' });
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName: 'LiandongTable',
    keyAttr: 'pk',
    sortKeyAttr: 'sk',
    staticPkValue: 'IDEMPOTENCY#Test',
    awsSdkV3Client: client,
  });
  const config = new IdempotencyConfig({ eventKeyJmesPath: 'key' });
  return middy<{ key: string; n: number }, unknown>()
    .use(middleware({ persistenceStore, config }))
    .handler(handler);
};

/** The record another request holds: in progress, its Lambda still running. */
const inProgress = () =>
  new ConditionalCheckFailedException({
    message: 'The conditional request failed',
    $metadata: {},
    Item: {
      pk: { S: 'IDEMPOTENCY#Test' },
      sk: { S: 'x' },
      status: { S: 'INPROGRESS' },
      expiration: { N: String(Math.floor(Date.now() / 1000) + 3600) },
      in_progress_expiration: { N: String(Date.now() + 60_000) },
    },
  });

/** What DynamoDB answers while another transaction holds the item. */
const conflict = () =>
  Object.assign(new Error('Transaction is ongoing for the item'), {
    name: 'TransactionConflictException',
    $metadata: { httpStatusCode: 400 },
  });

beforeEach(() => {
  ddb.on(DeleteItemCommand).resolves({});
  ddb.on(UpdateItemCommand).resolves({});
});

describe('idempotentRequest', () => {
  it('leaves the record of the request in progress alone when refusing a duplicate', async () => {
    ddb.on(PutItemCommand).rejects(inProgress());
    let ran = 0;
    const handler = build(idempotentRequest, async () => ++ran);
    await expect(handler({ key: 'k', n: 1 }, lambdaContext())).rejects.toMatchObject({
      name: 'IdempotencyAlreadyInProgressError',
    });
    expect(ran).toBe(0);
    expect(ddb.commandCalls(DeleteItemCommand)).toHaveLength(0);
  });

  it("(why: Powertools' own middleware deletes that record)", async () => {
    ddb.on(PutItemCommand).rejects(inProgress());
    const handler = build(makeHandlerIdempotent, async () => 1);
    await expect(handler({ key: 'k', n: 1 }, lambdaContext())).rejects.toMatchObject({
      name: 'IdempotencyAlreadyInProgressError',
    });
    expect(ddb.commandCalls(DeleteItemCommand)).toHaveLength(1);
  });

  it('deletes its own record when the handler fails, so the client can try again', async () => {
    ddb.on(PutItemCommand).resolves({});
    const handler = build(idempotentRequest, async () => {
      throw new Error('boom');
    });
    await expect(handler({ key: 'k', n: 1 }, lambdaContext())).rejects.toThrow('boom');
    expect(ddb.commandCalls(DeleteItemCommand)).toHaveLength(1);
  });

  it('stores the result of a request that ran', async () => {
    ddb.on(PutItemCommand).resolves({});
    const handler = build(idempotentRequest, async () => ({ id: 'a1' }));
    await expect(handler({ key: 'k', n: 1 }, lambdaContext())).resolves.toEqual({ id: 'a1' });
    expect(ddb.commandCalls(UpdateItemCommand)).toHaveLength(1);
    expect(ddb.commandCalls(DeleteItemCommand)).toHaveLength(0);
  });

  it('retries storing the result on a transaction conflict, and never runs the request twice', async () => {
    ddb.on(PutItemCommand).resolves({});
    ddb.on(UpdateItemCommand).rejectsOnce(conflict()).resolves({});
    const handler = build(idempotentRequest, async () => ({ id: 'a1' }));
    await expect(handler({ key: 'k', n: 1 }, lambdaContext())).resolves.toEqual({ id: 'a1' });
    expect(ddb.commandCalls(UpdateItemCommand)).toHaveLength(2);
    expect(ddb.commandCalls(DeleteItemCommand)).toHaveLength(0);

    // Still failing: the done request is answered; its record is kept (in progress), not deleted.
    ddb.reset();
    ddb.on(PutItemCommand).resolves({});
    ddb.on(UpdateItemCommand).rejects(conflict());
    await expect(handler({ key: 'k2', n: 1 }, lambdaContext())).resolves.toEqual({ id: 'a1' });
    expect(ddb.commandCalls(DeleteItemCommand)).toHaveLength(0);
  });

  it('retries deleting its record on a conflict, and keeps the handler error if it cannot', async () => {
    ddb.on(PutItemCommand).resolves({});
    ddb.on(DeleteItemCommand).rejectsOnce(conflict()).resolves({});
    const handler = build(idempotentRequest, async () => {
      throw new Error('boom');
    });
    await expect(handler({ key: 'k', n: 1 }, lambdaContext())).rejects.toThrow('boom');
    expect(ddb.commandCalls(DeleteItemCommand)).toHaveLength(2);

    ddb.on(DeleteItemCommand).rejects(conflict());
    await expect(handler({ key: 'k3', n: 1 }, lambdaContext())).rejects.toThrow('boom');
  });
});
