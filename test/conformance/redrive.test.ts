/**
 * Conformance test of the local Step Functions service: RedriveExecution as AWS documents it
 * (an unsuccessful Standard execution continues from the state that failed, with that state's
 * input; states that succeeded are not run again; same ARN, history kept, `redriveCount` and
 * `$$.Execution.RedriveCount` counted; a Fail state fails again; RUNNING and SUCCEEDED are not
 * redrivable), the execution status changes it reports for EventBridge, and a redrive after a
 * restart. No mocks: a real HTTP server and `@aws-sdk/client-sfn`.
 */
import { RedriveExecutionCommand } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import type { ExecutionStatusChange } from '../../infra/local/stepfunctions/index';
import {
  FakeLambdas,
  NamedError,
  describe_,
  functionArn,
  history,
  settle,
  start,
  startHarness,
  startMachine,
  tempDataDir,
} from './harness';

const task = (name: string, next?: string) => ({
  Type: 'Task',
  Resource: functionArn(name),
  Parameters: { 'value.$': '$.value', 'redriveCount.$': '$$.Execution.RedriveCount' },
  ResultPath: `$.${name}`,
  ...(next ? { Next: next } : { End: true }),
});

const twoSteps = {
  Steps: { StartAt: 'First', States: { First: task('First', 'Second'), Second: task('Second') } },
};

describe('RedriveExecution', () => {
  it('runs the failed state again with its input; the states before it are not rerun', async () => {
    const changes: ExecutionStatusChange[] = [];
    const h = await startHarness(twoSteps, { onExecutionStatusChange: (c) => changes.push(c) });
    let broken = true;
    h.lambdas.on('First', () => 'one');
    h.lambdas.on('Second', (p) => {
      if (broken) throw new NamedError('DepartmentHasNoAddress', 'no address');
      return p;
    });
    const arn = await start(h, 'Steps', { value: 7 });
    const failed = await settle(h, arn);
    expect(failed).toMatchObject({
      status: 'FAILED',
      error: 'DepartmentHasNoAddress',
      redriveCount: 0,
      redriveStatus: 'REDRIVABLE',
    });

    broken = false;
    const redriven = await h.client.send(new RedriveExecutionCommand({ executionArn: arn }));
    expect(redriven.redriveDate).toBeInstanceOf(Date);
    const done = await settle(h, arn);
    expect(done).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1, executionArn: arn });
    expect(done.redriveStatus).toBe('NOT_REDRIVABLE');
    expect(h.lambdas.callsOf('First')).toHaveLength(1);
    expect(h.lambdas.callsOf('Second')).toEqual([
      { value: 7, redriveCount: 0 },
      { value: 7, redriveCount: 1 },
    ]);
    expect(JSON.parse(done.output!)).toEqual({
      value: 7,
      First: 'one',
      Second: { value: 7, redriveCount: 1 },
    });
    const types = (await history(h, arn)).map((e) => e.type);
    expect(types.filter((t) => t === 'ExecutionFailed' || t === 'ExecutionRedriven')).toEqual([
      'ExecutionFailed',
      'ExecutionRedriven',
    ]);
    expect(types.at(-1)).toBe('ExecutionSucceeded');
    // What EventBridge is told: started, failed, running again, succeeded.
    expect(changes.map((c) => [c.status, c.redriveCount])).toEqual([
      ['RUNNING', 0],
      ['FAILED', 0],
      ['RUNNING', 1],
      ['SUCCEEDED', 1],
    ]);
    expect(changes[1]).toMatchObject({
      executionArn: arn,
      name: arn.split(':').pop(),
      error: 'DepartmentHasNoAddress',
      redriveStatus: 'REDRIVABLE',
    });
  });

  it('refuses a running or succeeded execution with ExecutionNotRedrivable', async () => {
    const h = await startHarness({
      ...twoSteps,
      Holding: { StartAt: 'Hold', States: { Hold: { Type: 'Wait', Seconds: 3600, End: true } } },
    });
    const running = await start(h, 'Holding');
    expect((await settle(h, running)).status).toBe('RUNNING');
    await expect(
      h.client.send(new RedriveExecutionCommand({ executionArn: running })),
    ).rejects.toMatchObject({ name: 'ExecutionNotRedrivable' });

    h.lambdas.on('First', () => 'one').on('Second', () => 'two');
    const arn = await start(h, 'Steps', { value: 1 });
    expect((await settle(h, arn)).status).toBe('SUCCEEDED');
    await expect(
      h.client.send(new RedriveExecutionCommand({ executionArn: arn })),
    ).rejects.toMatchObject({ name: 'ExecutionNotRedrivable' });
    expect((await describe_(h, arn)).redriveCount).toBe(0);
  });

  it('fails again at a Fail state, as AWS does', async () => {
    const h = await startMachine('Failing', {
      Work: { Type: 'Pass', Next: 'Stop' },
      Stop: { Type: 'Fail', Error: 'Defect', Cause: 'always' },
    });
    const arn = await start(h, 'Failing');
    expect((await settle(h, arn)).status).toBe('FAILED');
    await h.client.send(new RedriveExecutionCommand({ executionArn: arn }));
    expect(await settle(h, arn)).toMatchObject({
      status: 'FAILED',
      error: 'Defect',
      redriveCount: 1,
    });
  });

  it('redrives an execution that failed before the service restarted', async () => {
    const dataDir = tempDataDir();
    const lambdas = new FakeLambdas();
    let broken = true;
    lambdas
      .on('First', () => 'one')
      .on('Second', () => {
        if (broken) throw new NamedError('Unavailable', 'down');
        return 'two';
      });
    const first = await startHarness(twoSteps, { dataDir, lambdas });
    const arn = await start(first, 'Steps', { value: 3 });
    expect((await settle(first, arn)).status).toBe('FAILED');
    await first.sfn.stop();

    broken = false;
    const second = await startHarness(twoSteps, { dataDir, lambdas });
    await second.client.send(new RedriveExecutionCommand({ executionArn: arn }));
    expect(await settle(second, arn)).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
    expect(lambdas.callsOf('First')).toHaveLength(1);
  });
});
