/**
 * Conformance test of the local Step Functions service: with a data folder, executions survive a
 * restart of the service and resume where they stood. No mocks: real HTTP servers and
 * `@aws-sdk/client-sfn`; the clock is injected so a restart can happen "an hour later".
 */
import { readdirSync } from 'node:fs';
import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import {
  FakeLambdas,
  ManualClock,
  describe_,
  history,
  settle,
  start,
  startHarness,
  tempDataDir,
} from './harness';

const approval = {
  StartAt: 'Prepare',
  States: {
    Prepare: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'Prepare', 'Payload.$': '$' },
      ResultSelector: { 'Payload.$': '$.Payload' },
      OutputPath: '$.Payload',
      Next: 'AwaitApproval',
    },
    AwaitApproval: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: {
        FunctionName: 'Notify',
        Payload: { 'id.$': '$.id', 'token.$': '$$.Task.Token' },
      },
      TimeoutSeconds: 3600,
      ResultPath: '$.approval',
      Next: 'Done',
    },
    Done: { Type: 'Pass', End: true },
  },
};

describe('persistence across restarts', () => {
  it('a task token issued before a restart completes the execution after it, without calling its worker again', async () => {
    const dataDir = tempDataDir();
    const lambdas = new FakeLambdas()
      .on('Prepare', (p) => ({ ...(p as object), prepared: true }))
      .on('Notify', () => ({ sent: true }));
    const first = await startHarness({ Approval: approval }, { dataDir, lambdas });
    const executionArn = await start(first, 'Approval', { id: 'a-1' }, 'a-1');
    expect((await settle(first, executionArn)).status).toBe('RUNNING');
    const token = (lambdas.callsOf('Notify')[0] as { token: string }).token;
    await first.sfn.stop();
    expect(readdirSync(dataDir).filter((f) => f.endsWith('.json'))).toHaveLength(1);

    const second = await startHarness({ Approval: approval }, { dataDir, lambdas });
    expect((await settle(second, executionArn)).status).toBe('RUNNING');
    await second.client.send(
      new SendTaskSuccessCommand({ taskToken: token, output: '{"ok":true}' }),
    );
    const done = await settle(second, executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ id: 'a-1', prepared: true, approval: { ok: true } });
    expect(lambdas.callsOf('Prepare')).toHaveLength(1);
    expect(lambdas.callsOf('Notify')).toHaveLength(1);

    const types = (await history(second, executionArn)).map((e) => e.type);
    expect(types.filter((t) => t === 'TaskStateEntered')).toHaveLength(2);
    expect(types.at(-1)).toBe('ExecutionSucceeded');
  });

  it('a task token keeps its deadline across a restart', async () => {
    const dataDir = tempDataDir();
    const lambdas = new FakeLambdas().on('Prepare', (p) => p).on('Notify', () => ({}));
    const clock = new ManualClock();
    const first = await startHarness({ Approval: approval }, { dataDir, lambdas, clock });
    const executionArn = await start(first, 'Approval', { id: 'a-2' });
    await settle(first, executionArn);
    await first.sfn.stop();

    const later = new ManualClock(clock.now() + 3_000_000);
    const second = await startHarness({ Approval: approval }, { dataDir, lambdas, clock: later });
    expect((await settle(second, executionArn)).status).toBe('RUNNING');
    later.advance(600_000);
    expect(await settle(second, executionArn)).toMatchObject({
      status: 'FAILED',
      error: 'States.Timeout',
    });
  });

  it('a Wait resumes after a restart and fires at its original wake time', async () => {
    const dataDir = tempDataDir();
    const waiting = {
      StartAt: 'Before',
      States: {
        Before: { Type: 'Pass', Result: { step: 'waited' }, Next: 'Hour' },
        Hour: { Type: 'Wait', Seconds: 3600, Next: 'After' },
        After: {
          Type: 'Pass',
          Parameters: { 'step.$': '$.step', 'state.$': '$$.State.Name' },
          End: true,
        },
      },
    };
    const clock = new ManualClock();
    const first = await startHarness({ Waiting: waiting }, { dataDir, clock });
    const executionArn = await start(first, 'Waiting');
    clock.advance(600_000);
    expect((await settle(first, executionArn)).status).toBe('RUNNING');
    await first.sfn.stop();

    const later = new ManualClock(clock.now() + 600_000); // down for ten minutes
    const second = await startHarness({ Waiting: waiting }, { dataDir, clock: later });
    later.advance(2_399_999);
    expect((await settle(second, executionArn)).status).toBe('RUNNING');
    later.advance(1);
    const done = await settle(second, executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ step: 'waited', state: 'After' });
    const described = await describe_(second, executionArn);
    expect(described.startDate?.getTime()).toBe(clock.now() - 600_000);
  });

  it('finished executions are still described after a restart, and their names stay taken', async () => {
    const dataDir = tempDataDir();
    const quick = { StartAt: 'Only', States: { Only: { Type: 'Pass', Result: 1, End: true } } };
    const first = await startHarness({ Quick: quick }, { dataDir });
    const executionArn = await start(first, 'Quick', {}, 'once');
    await settle(first, executionArn);
    await first.sfn.stop();
    const second = await startHarness({ Quick: quick }, { dataDir });
    expect(await describe_(second, executionArn)).toMatchObject({
      status: 'SUCCEEDED',
      output: '1',
    });
    await expect(start(second, 'Quick', {}, 'once')).rejects.toMatchObject({
      name: 'ExecutionAlreadyExists',
    });
  });
});
