/**
 * Conformance test of the local Step Functions service: Lambda and SDK task integrations and
 * their errors (Retry on a named error, Catch States.ALL / States.TaskFailed, the Cause document
 * of a Lambda error), Map and Parallel. No mocks: a real HTTP server and `@aws-sdk/client-sfn`.
 */
import { describe, expect, it } from 'vitest';
import { NamedError, functionArn, history, settle, start, startMachine } from './harness';

const invoke = (functionName: string, extra: object = {}) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Parameters: { FunctionName: functionArn(functionName), 'Payload.$': '$' },
  ...extra,
});

describe('Lambda tasks', () => {
  it('shapes lambda:invoke results like AWS (Payload, StatusCode, ExecutedVersion)', async () => {
    const h = await startMachine('Invoke', { Call: invoke('Add', { End: true }) });
    h.lambdas.on('Add', (p) => ({
      sum: (p as { a: number; b: number }).a + (p as { a: number; b: number }).b,
    }));
    const arn = await start(h, 'Invoke', { a: 2, b: 3 });
    const out = JSON.parse((await settle(h, arn)).output!) as Record<string, unknown>;
    expect(out).toMatchObject({ Payload: { sum: 5 }, StatusCode: 200, ExecutedVersion: '$LATEST' });
    const scheduled = (await history(h, arn)).find((e) => e.type === 'TaskScheduled');
    expect(scheduled?.taskScheduledEventDetails).toMatchObject({
      resourceType: 'lambda',
      resource: 'invoke',
      region: 'eu-west-1',
    });
    expect(JSON.parse(scheduled!.taskScheduledEventDetails!.parameters!)).toEqual({
      FunctionName: functionArn('Add'),
      Payload: { a: 2, b: 3 },
    });
  });

  it('retries a named error, then succeeds (CDK payloadResponseOnly form)', async () => {
    const h = await startMachine('Retrying', {
      Flaky: {
        Type: 'Task',
        Resource: functionArn('Flaky'),
        Retry: [
          { ErrorEquals: ['OtherError'], MaxAttempts: 0 },
          {
            ErrorEquals: ['TransientError'],
            IntervalSeconds: 1,
            MaxAttempts: 2,
            BackoffRate: 1,
          },
        ],
        End: true,
      },
    });
    let calls = 0;
    h.lambdas.on('Flaky', () => {
      calls += 1;
      if (calls < 3) throw new NamedError('TransientError', `attempt ${calls}`);
      return { attempt: calls };
    });
    const arn = await start(h, 'Retrying');
    const done = await settle(h, arn);
    expect(done).toMatchObject({ status: 'SUCCEEDED', output: '{"attempt":3}' });
    const types = (await history(h, arn)).map((e) => e.type);
    expect(types.filter((t) => t === 'LambdaFunctionFailed')).toHaveLength(2);
    expect(types.filter((t) => t === 'TaskStateEntered')).toHaveLength(1);
  }, 10_000);

  it('gives up after MaxAttempts and fails with the error name and the Lambda Cause document', async () => {
    const h = await startMachine('GivesUp', {
      Broken: invoke('Broken', {
        Retry: [{ ErrorEquals: ['TransientError'], MaxAttempts: 0 }],
        End: true,
      }),
    });
    h.lambdas.on('Broken', () => {
      throw new NamedError('TransientError', 'table busy');
    });
    const done = await settle(h, await start(h, 'GivesUp'));
    expect(done).toMatchObject({ status: 'FAILED', error: 'TransientError' });
    const cause = JSON.parse(done.cause!) as {
      errorType: string;
      errorMessage: string;
      trace: string[];
    };
    expect(cause).toMatchObject({ errorType: 'TransientError', errorMessage: 'table busy' });
    expect(Array.isArray(cause.trace)).toBe(true);
  });

  it('routes any error with Catch States.ALL, writing {Error, Cause} at ResultPath', async () => {
    const h = await startMachine('Catching', {
      Broken: invoke('Broken', {
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'RecordFailure' }],
        End: true,
      }),
      RecordFailure: { Type: 'Pass', End: true },
    });
    h.lambdas.on('Broken', () => {
      throw new NamedError('ValidationError', 'no activity');
    });
    const done = await settle(h, await start(h, 'Catching', { activityId: 'a1' }));
    expect(done.status).toBe('SUCCEEDED');
    const out = JSON.parse(done.output!) as {
      activityId: string;
      error: { Error: string; Cause: string };
    };
    expect(out.activityId).toBe('a1');
    expect(out.error.Error).toBe('ValidationError');
    expect(JSON.parse(out.error.Cause)).toMatchObject({
      errorType: 'ValidationError',
      errorMessage: 'no activity',
    });
  });

  it('lets States.TaskFailed catch handler errors but not States.Timeout', async () => {
    const h = await startMachine('TaskFailed', {
      Broken: invoke('Broken', {
        Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'Caught' }],
        End: true,
      }),
      Caught: { Type: 'Pass', Result: 'caught', End: true },
    });
    h.lambdas.on('Broken', () => {
      throw new NamedError('AnyError', 'x');
    });
    expect(await settle(h, await start(h, 'TaskFailed'))).toMatchObject({
      status: 'SUCCEEDED',
      output: '"caught"',
    });
  });
});

describe('SDK integrations', () => {
  it('passes aws-sdk and optimized integrations to callSdk and prefixes their errors with the service', async () => {
    const calls: unknown[] = [];
    const h = await startMachine(
      'Sdk',
      {
        Put: {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:putItem',
          Parameters: { TableName: 'T', Item: { pk: { 'S.$': '$.id' } } },
          ResultPath: '$.put',
          Next: 'Get',
        },
        Get: {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:dynamodb:getItem',
          Parameters: { TableName: 'T', Key: { pk: { 'S.$': '$.id' } } },
          Catch: [{ ErrorEquals: ['DynamoDb.ResourceNotFoundException'], Next: 'Missing' }],
          End: true,
        },
        Missing: { Type: 'Pass', Result: 'missing', End: true },
      },
      {
        callSdk: async (service, action, parameters) => {
          calls.push([service, action, parameters]);
          if (action === 'getItem') throw new NamedError('ResourceNotFoundException', 'no table');
          return {};
        },
      },
    );
    const done = await settle(h, await start(h, 'Sdk', { id: 'x1' }));
    expect(done).toMatchObject({ status: 'SUCCEEDED', output: '"missing"' });
    expect(calls).toEqual([
      ['dynamodb', 'putItem', { TableName: 'T', Item: { pk: { S: 'x1' } } }],
      ['dynamodb', 'getItem', { TableName: 'T', Key: { pk: { S: 'x1' } } }],
    ]);
  });

  it('fails clearly on a service the default callSdk cannot call', async () => {
    const h = await startMachine('Unknown', {
      Publish: {
        Type: 'Task',
        Resource: 'arn:aws:states:::aws-sdk:kinesis:putRecord',
        Parameters: {},
        End: true,
      },
    });
    const done = await settle(h, await start(h, 'Unknown'));
    expect(done).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(done.cause).toContain("cannot call 'kinesis'");
  });
});

describe('Map and Parallel', () => {
  it('runs Map iterations with ItemSelector and Parallel branches, collecting results in order', async () => {
    const h = await startMachine('Fan', {
      Each: {
        Type: 'Map',
        ItemsPath: '$.items',
        ItemSelector: { 'value.$': '$$.Map.Item.Value', 'index.$': '$$.Map.Item.Index' },
        ItemProcessor: {
          StartAt: 'Double',
          States: { Double: { Type: 'Task', Resource: functionArn('Double'), End: true } },
        },
        ResultPath: '$.doubled',
        Next: 'Both',
      },
      Both: {
        Type: 'Parallel',
        Branches: [
          { StartAt: 'A', States: { A: { Type: 'Pass', Result: 'a', End: true } } },
          { StartAt: 'B', States: { B: { Type: 'Pass', InputPath: '$.doubled', End: true } } },
        ],
        End: true,
      },
    });
    h.lambdas.on(
      'Double',
      (p) => (p as { value: number }).value * 2 + (p as { index: number }).index,
    );
    const done = await settle(h, await start(h, 'Fan', { items: [1, 2, 3] }));
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual(['a', [2, 5, 8]]);
  });

  it('fails a Parallel state when a branch fails, and Catch routes it', async () => {
    const h = await startMachine('Branchy', {
      Both: {
        Type: 'Parallel',
        Branches: [
          { StartAt: 'Ok', States: { Ok: { Type: 'Pass', End: true } } },
          {
            StartAt: 'Bad',
            States: { Bad: { Type: 'Fail', Error: 'BranchBroke', Cause: 'b' } },
          },
        ],
        Catch: [{ ErrorEquals: ['BranchBroke'], Next: 'Recovered' }],
        End: true,
      },
      Recovered: { Type: 'Pass', End: true },
    });
    const done = await settle(h, await start(h, 'Branchy'));
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ Error: 'BranchBroke', Cause: 'b' });
  });
});
