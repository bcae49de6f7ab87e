/**
 * Conformance test of the local Step Functions service: the execution API (StartExecution
 * idempotency and names, DescribeExecution, ListExecutions, GetExecutionHistory, StopExecution)
 * as AWS answers it. No mocks: a real HTTP server, `@aws-sdk/client-sfn` and the AWS CLI.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  InvalidName,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import {
  REGION,
  describe_,
  functionArn,
  history,
  machineArn,
  settle,
  start,
  startHarness,
  startMachine,
} from './harness';

const waitForever = {
  StartAt: 'Park',
  States: {
    Park: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: 'Park', Payload: { 't.$': '$$.Task.Token' } },
      End: true,
    },
  },
};
const quick = { StartAt: 'Only', States: { Only: { Type: 'Pass', End: true } } };
const failing = {
  StartAt: 'Check',
  States: {
    Check: {
      Type: 'Choice',
      Choices: [{ Variable: '$.ok', BooleanEquals: true, Next: 'Fine' }],
      Default: 'Broken',
    },
    Fine: { Type: 'Succeed' },
    Broken: { Type: 'Fail', Error: 'InputRejected', Cause: 'ok was not true' },
  },
};

async function harness() {
  const h = await startHarness({ Parked: waitForever, Quick: quick, Failing: failing });
  h.lambdas.on('Park', () => ({}));
  return h;
}

describe('StartExecution', () => {
  it('returns the same execution for the same name and input while it runs, ExecutionAlreadyExists otherwise', async () => {
    const h = await harness();
    const send = (name: string, input: string, machine = 'Parked') =>
      h.client.send(
        new StartExecutionCommand({ stateMachineArn: machineArn(machine), name, input }),
      );
    const first = await send('order-1', '{"n":1}');
    expect(first.executionArn).toBe(
      `arn:aws:states:${REGION}:000000000000:execution:Parked:order-1`,
    );
    const again = await send('order-1', '{"n":1}');
    expect(again.executionArn).toBe(first.executionArn);
    expect(again.startDate).toEqual(first.startDate);

    await expect(send('order-1', '{"n":2}')).rejects.toBeInstanceOf(ExecutionAlreadyExists);

    const done = await send('q-1', '{}', 'Quick');
    await settle(h, done.executionArn!);
    await expect(send('q-1', '{}', 'Quick')).rejects.toBeInstanceOf(ExecutionAlreadyExists);
  });

  it('validates names (1-80 characters, no whitespace, brackets, wildcards or separators)', async () => {
    const h = await harness();
    for (const bad of ['', 'a'.repeat(81), 'has space', 'a:b', 'a/b', 'x*', '<x>', 'tab\there']) {
      await expect(start(h, 'Quick', {}, bad), JSON.stringify(bad)).rejects.toBeInstanceOf(
        InvalidName,
      );
    }
    const ok = await start(h, 'Quick', {}, `${'a'.repeat(70)}-_.中文`);
    expect(ok).toMatch(/:Quick:a+-_\.中文$/);
  });

  it('rejects unknown state machines and executions with the API errors', async () => {
    const h = await harness();
    await expect(start(h, 'Nope')).rejects.toBeInstanceOf(StateMachineDoesNotExist);
    await expect(
      describe_(h, `arn:aws:states:${REGION}:000000000000:execution:Quick:missing`),
    ).rejects.toBeInstanceOf(ExecutionDoesNotExist);
  });
});

describe('execution outcomes', () => {
  it('shows output for SUCCEEDED and error/cause for FAILED', async () => {
    const h = await harness();
    const ok = await start(h, 'Failing', { ok: true });
    const bad = await start(h, 'Failing', { ok: false });
    expect(await settle(h, ok)).toMatchObject({ status: 'SUCCEEDED', output: '{"ok":true}' });
    const failed = await settle(h, bad);
    expect(failed).toMatchObject({
      status: 'FAILED',
      error: 'InputRejected',
      cause: 'ok was not true',
    });
    expect(failed.output).toBeUndefined();
    expect(failed.stopDate!.getTime()).toBeGreaterThanOrEqual(failed.startDate!.getTime());
    const types = (await history(h, bad)).map((e) => e.type);
    expect(types).toEqual([
      'ExecutionStarted',
      'ChoiceStateEntered',
      'ChoiceStateExited',
      'FailStateEntered',
      'ExecutionFailed',
    ]);
  });

  it('StopExecution aborts a running execution and closes its task token', async () => {
    const h = await harness();
    const arn = await start(h, 'Parked');
    await settle(h, arn);
    const stopped = await h.client.send(
      new StopExecutionCommand({
        executionArn: arn,
        error: 'Cancelled',
        cause: 'by the organiser',
      }),
    );
    expect(stopped.stopDate).toBeInstanceOf(Date);
    const described = await settle(h, arn);
    expect(described.status).toBe('ABORTED');
    const events = await history(h, arn);
    expect(events.at(-1)).toMatchObject({
      type: 'ExecutionAborted',
      executionAbortedEventDetails: { error: 'Cancelled', cause: 'by the organiser' },
    });
    expect(events.filter((e) => e.type === 'ExecutionAborted')).toHaveLength(1);
  });
});

describe('listing and history', () => {
  it('ListExecutions filters by status and pages with nextToken, newest first', async () => {
    const h = await harness();
    const parked = [
      await start(h, 'Parked', {}, 'p1'),
      await start(h, 'Parked', {}, 'p2'),
      await start(h, 'Parked', {}, 'p3'),
    ];
    await settle(h, parked[2]!);
    await h.client.send(new StopExecutionCommand({ executionArn: parked[0] }));
    const list = (statusFilter?: 'RUNNING' | 'ABORTED', nextToken?: string) =>
      h.client.send(
        new ListExecutionsCommand({
          stateMachineArn: machineArn('Parked'),
          statusFilter,
          maxResults: 1,
          nextToken,
        }),
      );
    const running: string[] = [];
    let page = await list('RUNNING');
    running.push(...page.executions!.map((e) => e.name!));
    expect(page.nextToken).toBeDefined();
    page = await list('RUNNING', page.nextToken);
    running.push(...page.executions!.map((e) => e.name!));
    expect(page.nextToken).toBeUndefined();
    expect(running).toEqual(['p3', 'p2']);
    const aborted = await list('ABORTED');
    expect(aborted.executions!.map((e) => [e.name, e.status])).toEqual([['p1', 'ABORTED']]);
  });

  it('GetExecutionHistory numbers events, links them, pages and reverses', async () => {
    const h = await startMachine('Steps', {
      Call: { Type: 'Task', Resource: functionArn('Echo'), Next: 'Pause' },
      Pause: { Type: 'Wait', Seconds: 0, Next: 'Route' },
      Route: { Type: 'Choice', Choices: [{ Variable: '$.x', NumericEquals: 1, Next: 'End' }] },
      End: { Type: 'Pass', End: true },
    });
    h.lambdas.on('Echo', (p) => p);
    const arn = await start(h, 'Steps', { x: 1 });
    await settle(h, arn);
    const events = await history(h, arn);
    expect(events.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      'TaskStateExited',
      'WaitStateEntered',
      'WaitStateExited',
      'ChoiceStateEntered',
      'ChoiceStateExited',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
    expect(events.map((e) => e.previousEventId)).toEqual(events.map((_, i) => i));
    expect(events[0]!.timestamp).toBeInstanceOf(Date);
    expect(events[0]!.executionStartedEventDetails).toMatchObject({ input: '{"x":1}' });
    expect(events[1]!.stateEnteredEventDetails).toMatchObject({ name: 'Call', input: '{"x":1}' });
    expect(events[5]!.stateExitedEventDetails).toMatchObject({ name: 'Call', output: '{"x":1}' });
    expect(events.at(-1)!.executionSucceededEventDetails).toMatchObject({ output: '{"x":1}' });

    const first = await h.client.send(
      new GetExecutionHistoryCommand({ executionArn: arn, maxResults: 5, reverseOrder: true }),
    );
    expect(first.events!.map((e) => e.id)).toEqual([13, 12, 11, 10, 9]);
    const second = await h.client.send(
      new GetExecutionHistoryCommand({
        executionArn: arn,
        maxResults: 5,
        reverseOrder: true,
        nextToken: first.nextToken,
      }),
    );
    expect(second.events!.map((e) => e.id)).toEqual([8, 7, 6, 5, 4]);
  });
});

describe('clients', () => {
  it('serves DescribeStateMachine and ListStateMachines to the SDK', async () => {
    const h = await harness();
    const listed = await h.client.send(new ListStateMachinesCommand({}));
    expect(listed.stateMachines!.map((m) => m.name).sort()).toEqual(['Failing', 'Parked', 'Quick']);
    const described = await h.client.send(
      new DescribeStateMachineCommand({ stateMachineArn: machineArn('Quick') }),
    );
    expect(JSON.parse(described.definition!)).toEqual(quick);
    expect(described).toMatchObject({ status: 'ACTIVE', type: 'STANDARD' });
  });

  it('works with the AWS CLI (describe-execution, error codes)', async () => {
    const h = await harness();
    const arn = await start(h, 'Quick', { via: 'sdk' }, 'cli-check');
    await settle(h, arn);
    const aws = (...args: string[]) =>
      promisify(execFile)(
        'aws',
        ['stepfunctions', ...args, '--endpoint-url', h.sfn.url, '--output', 'json'],
        {
          env: {
            ...process.env,
            AWS_ACCESS_KEY_ID: 'local',
            AWS_SECRET_ACCESS_KEY: 'local',
            AWS_DEFAULT_REGION: REGION,
          },
        },
      );
    const described = JSON.parse(
      (await aws('describe-execution', '--execution-arn', arn)).stdout,
    ) as {
      status: string;
      output: string;
    };
    expect(described).toMatchObject({ status: 'SUCCEEDED', output: '{"via":"sdk"}' });
    const duplicate = aws(
      'start-execution',
      '--state-machine-arn',
      machineArn('Quick'),
      '--name',
      'cli-check',
    );
    await expect(duplicate).rejects.toMatchObject({
      stderr: expect.stringContaining('ExecutionAlreadyExists'),
    });
  });
});
