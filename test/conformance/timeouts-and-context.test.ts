/**
 * Conformance test of the local Step Functions service: task timeouts (TimeoutSecondsPath read
 * from the state's raw input, as AWS does) and the context object (`$$.State`, `$$.Execution`,
 * `$$.StateMachine`). No mocks: a real HTTP server and `@aws-sdk/client-sfn`.
 */
import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import {
  ManualClock,
  describe_,
  functionArn,
  history,
  historyUntil,
  machineArn,
  settle,
  start,
  startHarness,
  startMachine,
} from './harness';

describe('TimeoutSecondsPath', () => {
  // The raw input says 60 s; after InputPath the processed input says 1 s. AWS reads the raw
  // input, so the task must still be running after 30 s and time out at 60 s.
  const definition = {
    StartAt: 'AwaitStart',
    States: {
      AwaitStart: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        InputPath: '$.inner',
        Parameters: { FunctionName: 'AwaitPhase', Payload: { 'token.$': '$$.Task.Token' } },
        TimeoutSecondsPath: '$.secondsUntilStart',
        ResultPath: null,
        Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.timeout', Next: 'OpenCheckIn' }],
        End: true,
      },
      OpenCheckIn: { Type: 'Pass', End: true },
    },
  };

  it('evaluates the path on the raw input and raises States.Timeout that Catch routes', async () => {
    const clock = new ManualClock();
    const h = await startHarness({ Activity: definition }, { clock });
    h.lambdas.on('AwaitPhase', () => ({}));
    const input = { secondsUntilStart: 60, inner: { secondsUntilStart: 1 } };
    const executionArn = await start(h, 'Activity', input);
    expect((await settle(h, executionArn)).status).toBe('RUNNING');

    clock.advance(30_000);
    expect((await settle(h, executionArn)).status).toBe('RUNNING');

    clock.advance(30_000);
    const done = await settle(h, executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({
      ...input,
      timeout: { Error: 'States.Timeout', Cause: expect.any(String) },
    });

    const events = await history(h, executionArn);
    const scheduled = events.find((e) => e.type === 'TaskScheduled');
    expect(scheduled?.taskScheduledEventDetails?.timeoutInSeconds).toBe(60);
    const types = events.map((e) => e.type);
    expect(types).toContain('TaskTimedOut');
    expect(types.indexOf('TaskTimedOut')).toBeLessThan(types.indexOf('PassStateEntered'));
    const timedOut = events.find((e) => e.type === 'TaskTimedOut');
    expect(timedOut?.taskTimedOutEventDetails).toMatchObject({
      resourceType: 'lambda',
      resource: 'invoke.waitForTaskToken',
      error: 'States.Timeout',
    });
  });

  it('does not give a task without TimeoutSeconds the library default of 60 s', async () => {
    const clock = new ManualClock();
    const h = await startHarness(
      {
        Activity: {
          ...definition,
          States: {
            ...definition.States,
            AwaitStart: { ...definition.States.AwaitStart, TimeoutSecondsPath: undefined },
          },
        },
      },
      { clock },
    );
    h.lambdas.on('AwaitPhase', () => ({}));
    const executionArn = await start(h, 'Activity', { inner: {} });
    clock.advance(3_600_000);
    expect((await settle(h, executionArn)).status).toBe('RUNNING');
  });

  it('retries States.Timeout with a Retry on it, then lets Catch route the last one', async () => {
    const clock = new ManualClock();
    const h = await startMachine(
      'Slow',
      {
        Work: {
          Type: 'Task',
          Resource: functionArn('Hang'),
          TimeoutSeconds: 5,
          Retry: [{ ErrorEquals: ['States.Timeout'], MaxAttempts: 1, IntervalSeconds: 1 }],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'GaveUp' }],
          End: true,
        },
        GaveUp: { Type: 'Pass', Result: 'gave up', End: true },
      },
      { clock },
    );
    h.lambdas.on('Hang', () => new Promise(() => undefined));
    const executionArn = await start(h, 'Slow');
    const count = (type: string) => (events: HistoryEvent[]) =>
      events.filter((e) => e.type === type).length;
    await historyUntil(h, executionArn, (e) => count('LambdaFunctionStarted')(e) === 1);
    clock.advance(5_000);
    await historyUntil(h, executionArn, (e) => count('LambdaFunctionTimedOut')(e) === 1);
    clock.advance(1_000);
    await historyUntil(h, executionArn, (e) => count('LambdaFunctionStarted')(e) === 2);
    expect(h.lambdas.callsOf('Hang')).toHaveLength(2);
    clock.advance(5_000);
    await historyUntil(h, executionArn, (e) => e.some((x) => x.type === 'ExecutionSucceeded'));
    const done = await describe_(h, executionArn);
    expect(done).toMatchObject({ status: 'SUCCEEDED', output: '"gave up"' });
    const types = (await history(h, executionArn)).map((e) => e.type);
    expect(types.filter((t) => t === 'LambdaFunctionTimedOut')).toHaveLength(2);
  });
});

describe('execution TimeoutSeconds', () => {
  it('ends a run that outlives the definition TimeoutSeconds as TIMED_OUT', async () => {
    const clock = new ManualClock();
    const h = await startHarness(
      {
        Bounded: {
          TimeoutSeconds: 10,
          StartAt: 'Long',
          States: { Long: { Type: 'Wait', Seconds: 60, End: true } },
        },
      },
      { clock },
    );
    const executionArn = await start(h, 'Bounded');
    clock.advance(9_999);
    expect((await settle(h, executionArn)).status).toBe('RUNNING');
    clock.advance(1);
    expect(await settle(h, executionArn)).toMatchObject({ status: 'TIMED_OUT' });
    const last = (await history(h, executionArn)).at(-1);
    expect(last).toMatchObject({
      type: 'ExecutionTimedOut',
      executionTimedOutEventDetails: { error: 'States.Timeout' },
    });
  });
});

describe('context object', () => {
  it('resolves $$.State, $$.Execution and $$.StateMachine as AWS does', async () => {
    const clock = new ManualClock();
    const h = await startMachine(
      'Ctx',
      {
        First: { Type: 'Wait', Seconds: 90, Next: 'Second' },
        Second: {
          Type: 'Pass',
          Parameters: {
            'stateName.$': '$$.State.Name',
            'entered.$': '$$.State.EnteredTime',
            'executionId.$': '$$.Execution.Id',
            'executionName.$': '$$.Execution.Name',
            'executionInput.$': '$$.Execution.Input',
            'executionStart.$': '$$.Execution.StartTime',
            'machineId.$': '$$.StateMachine.Id',
            'machineName.$': '$$.StateMachine.Name',
            'formatted.$': "States.Format('{} in {}', $$.State.Name, $$.Execution.Name)",
          },
          End: true,
        },
      },
      { clock },
    );
    const startedAt = clock.now();
    const executionArn = await start(h, 'Ctx', { hello: 'world' }, 'ctx-run');
    await settle(h, executionArn);
    clock.advance(90_000);
    const done = await settle(h, executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({
      stateName: 'Second',
      entered: new Date(startedAt + 90_000).toISOString(),
      executionId: executionArn,
      executionName: 'ctx-run',
      executionInput: { hello: 'world' },
      executionStart: new Date(startedAt).toISOString(),
      machineId: machineArn('Ctx'),
      machineName: 'Ctx',
      formatted: 'Second in ctx-run',
    });
  });
});
