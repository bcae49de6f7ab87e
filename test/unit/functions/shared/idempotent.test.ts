// unit test: SDK mocked with aws-sdk-client-mock (the idempotency records' DynamoDB calls)
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

const build = (handler: () => Promise<unknown>) =>
  middy<{ key: string; n: number }, unknown>()
    .use(
      idempotentRequest<{ key: string; n: number }>({
        client: new DynamoDBClient({ region: 'ap-east-1' }),
        tableName: 'LiandongTable',
        operation: 'Test',
        keyOf: (event) => event.key,
        payloadOf: (event) => event.n,
        expiresAfterSeconds: 3600,
      }),
    )
    .handler(handler);

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
      // The hash of the payload `1` (the requests below send n: 1).
      validation: { S: 'xMpCOKC5I4INzFCab3WEmw==' },
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
    const handler = build(async () => ++ran);
    await expect(handler({ key: 'k', n: 1 }, lambdaContext())).rejects.toMatchObject({
      name: 'IdempotencyAlreadyInProgressError',
    });
    expect(ran).toBe(0);
    expect(ddb.commandCalls(DeleteItemCommand)).toHaveLength(0);
  });

  it('deletes its own record when the handler fails, so the client can try again', async () => {
    ddb.on(PutItemCommand).resolves({});
    const handler = build(async () => {
      throw new Error('boom');
    });
    await expect(handler({ key: 'k', n: 1 }, lambdaContext())).rejects.toThrow('boom');
    expect(ddb.commandCalls(DeleteItemCommand)).toHaveLength(1);
  });

  it('stores the result of a request that ran', async () => {
    ddb.on(PutItemCommand).resolves({});
    const handler = build(async () => ({ id: 'a1' }));
    await expect(handler({ key: 'k', n: 1 }, lambdaContext())).resolves.toEqual({ id: 'a1' });
    expect(ddb.commandCalls(UpdateItemCommand)).toHaveLength(1);
    expect(ddb.commandCalls(DeleteItemCommand)).toHaveLength(0);
  });

  it('stores an answer that has a field left undefined (as the answer is sent, without it)', async () => {
    ddb.on(PutItemCommand).resolves({});
    const handler = build(async () => ({ id: 'a1', note: undefined }));
    await expect(handler({ key: 'k', n: 1 }, lambdaContext())).resolves.toEqual({ id: 'a1' });
    const stored = ddb.commandCalls(UpdateItemCommand)[0]?.args[0].input;
    expect(stored?.ExpressionAttributeValues?.[':response_data']).toEqual({
      M: { id: { S: 'a1' } },
    });
  });

  it('retries storing the result on a transaction conflict, and never runs the request twice', async () => {
    ddb.on(PutItemCommand).resolves({});
    ddb.on(UpdateItemCommand).rejectsOnce(conflict()).resolves({});
    const handler = build(async () => ({ id: 'a1' }));
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
    const handler = build(async () => {
      throw new Error('boom');
    });
    await expect(handler({ key: 'k', n: 1 }, lambdaContext())).rejects.toThrow('boom');
    expect(ddb.commandCalls(DeleteItemCommand)).toHaveLength(2);

    ddb.on(DeleteItemCommand).rejects(conflict());
    await expect(handler({ key: 'k3', n: 1 }, lambdaContext())).rejects.toThrow('boom');
  });

  it('replays the answer of a record written before, Powertools Idempotency layout and all', async () => {
    // What Powertools Idempotency stored for the key 'k' and the payload 1: the sort key is the
    // function name and the MD5 (base64) of the key's JSON, `validation` that of the payload's.
    const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME ?? '';
    ddb.on(PutItemCommand).rejects(
      new ConditionalCheckFailedException({
        message: 'The conditional request failed',
        $metadata: {},
        Item: {
          pk: { S: 'IDEMPOTENCY#Test' },
          sk: { S: `${functionName}#saEGYIArQPQkbcD4qdQ2Yg==` },
          status: { S: 'COMPLETED' },
          expiresAt: { N: String(Math.floor(Date.now() / 1000) + 3600) },
          data: { M: { id: { S: 'a0' } } },
          validation: { S: 'xMpCOKC5I4INzFCab3WEmw==' },
        },
      }),
    );
    let ran = 0;
    const handler = build(async () => ++ran);
    await expect(handler({ key: 'k', n: 1 }, lambdaContext())).resolves.toEqual({ id: 'a0' });
    expect(ran).toBe(0);
    const put = ddb.commandCalls(PutItemCommand)[0]!.args[0].input;
    expect(put.Item!.sk).toEqual({ S: `${functionName}#saEGYIArQPQkbcD4qdQ2Yg==` });
    expect(ddb.commandCalls(UpdateItemCommand)).toHaveLength(0);
    expect(ddb.commandCalls(DeleteItemCommand)).toHaveLength(0);

    // The same key with another payload is refused, and the record is left alone.
    await expect(handler({ key: 'k', n: 2 }, lambdaContext())).rejects.toMatchObject({
      name: 'IdempotencyValidationError',
    });
    expect(ran).toBe(0);
    expect(ddb.commandCalls(DeleteItemCommand)).toHaveLength(0);
  });
});
