/**
 * Conformance test of the local Step Functions service: task tokens (`.waitForTaskToken`,
 * `$$.Task.Token`, SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat) against AWS behaviour.
 * No mocks: a real HTTP server and `@aws-sdk/client-sfn`.
 */
import {
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import {
  ManualClock,
  functionArn,
  history,
  settle,
  start,
  startHarness,
  type Harness,
} from './harness';

const awaitApproval = (extra: object = {}) => ({
  StartAt: 'AwaitApproval',
  States: {
    AwaitApproval: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: {
        FunctionName: functionArn('Notify'),
        Payload: { 'requestId.$': '$.requestId', 'taskToken.$': '$$.Task.Token' },
      },
      ResultPath: '$.approval',
      Catch: [{ ErrorEquals: ['Rejected'], ResultPath: '$.rejection', Next: 'WasRejected' }],
      Next: 'Approved',
      ...extra,
    },
    Approved: { Type: 'Succeed' },
    WasRejected: { Type: 'Pass', Parameters: { 'rejection.$': '$.rejection' }, End: true },
  },
});

async function startWaiting(h: Harness, input: object = { requestId: 'r-1' }) {
  const tokens: string[] = [];
  h.lambdas.on('Notify', (payload) => {
    tokens.push((payload as { taskToken: string }).taskToken);
    return { notified: true };
  });
  const executionArn = await start(h, 'Approval', input);
  const running = await settle(h, executionArn);
  return { executionArn, tokens, running };
}

describe('task tokens', () => {
  it('resolves $$.Task.Token to a fresh, long, URL-safe token and waits for SendTaskSuccess', async () => {
    const h = await startHarness({ Approval: awaitApproval() });
    const { executionArn, tokens, running } = await startWaiting(h);
    expect(running.status).toBe('RUNNING');
    expect(tokens).toHaveLength(1);
    expect(tokens[0]).toMatch(/^[A-Za-z0-9_-]{100,}$/);
    expect(h.lambdas.callsOf('Notify')).toEqual([{ requestId: 'r-1', taskToken: tokens[0] }]);

    await h.client.send(
      new SendTaskSuccessCommand({ taskToken: tokens[0], output: '{"by":"alice"}' }),
    );
    const done = await settle(h, executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ requestId: 'r-1', approval: { by: 'alice' } });

    const types = (await history(h, executionArn)).map((e) => e.type);
    expect(types).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'SucceedStateEntered',
      'SucceedStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('mints a different token for every execution', async () => {
    const h = await startHarness({ Approval: awaitApproval() });
    const first = await startWaiting(h, { requestId: 'a' });
    const second = await startWaiting(h, { requestId: 'b' });
    expect(first.tokens[0]).not.toBe(second.tokens[0]);
  });

  it('turns SendTaskFailure into a task failure that Catch routes by error name', async () => {
    const h = await startHarness({ Approval: awaitApproval() });
    const { executionArn, tokens } = await startWaiting(h);
    await h.client.send(
      new SendTaskFailureCommand({
        taskToken: tokens[0],
        error: 'Rejected',
        cause: 'too expensive',
      }),
    );
    const done = await settle(h, executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({
      rejection: { Error: 'Rejected', Cause: 'too expensive' },
    });
    const failed = (await history(h, executionArn)).find((e) => e.type === 'TaskFailed');
    expect(failed?.taskFailedEventDetails).toMatchObject({
      error: 'Rejected',
      cause: 'too expensive',
    });
  });

  it('fails the execution when SendTaskFailure names an error nothing catches', async () => {
    const h = await startHarness({ Approval: awaitApproval() });
    const { executionArn, tokens } = await startWaiting(h);
    await h.client.send(
      new SendTaskFailureCommand({ taskToken: tokens[0], error: 'Boom', cause: 'why' }),
    );
    const done = await settle(h, executionArn);
    expect(done).toMatchObject({ status: 'FAILED', error: 'Boom', cause: 'why' });
  });

  it('answers TaskTimedOut for a token already answered, TaskDoesNotExist for an unknown one, InvalidToken for garbage', async () => {
    const h = await startHarness({ Approval: awaitApproval() });
    const { executionArn, tokens } = await startWaiting(h);
    const token = tokens[0]!;
    await h.client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }));
    await settle(h, executionArn);

    // AWS documents TaskTimedOut for "the task associated with the token has already been closed".
    await expect(
      h.client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })),
    ).rejects.toBeInstanceOf(TaskTimedOut);
    await expect(
      h.client.send(new SendTaskHeartbeatCommand({ taskToken: token })),
    ).rejects.toBeInstanceOf(TaskTimedOut);

    const forged = Buffer.from(
      JSON.stringify({ e: executionArn.replace(/:[^:]+$/, ':never-ran'), n: 'x'.repeat(64) }),
    ).toString('base64url');
    await expect(
      h.client.send(new SendTaskSuccessCommand({ taskToken: forged, output: '{}' })),
    ).rejects.toBeInstanceOf(TaskDoesNotExist);

    await expect(
      h.client.send(new SendTaskFailureCommand({ taskToken: 'not-a-token', error: 'E' })),
    ).rejects.toBeInstanceOf(InvalidToken);
  });

  it('keeps the task alive while heartbeats arrive within HeartbeatSeconds, then fails it with States.HeartbeatTimeout', async () => {
    const clock = new ManualClock();
    const h = await startHarness(
      { Approval: awaitApproval({ HeartbeatSeconds: 60, TimeoutSeconds: 3600 }) },
      { clock },
    );
    const { executionArn, tokens } = await startWaiting(h);
    for (let i = 0; i < 3; i++) {
      clock.advance(50_000);
      await h.client.send(new SendTaskHeartbeatCommand({ taskToken: tokens[0] }));
      expect((await settle(h, executionArn)).status).toBe('RUNNING');
    }
    clock.advance(61_000);
    const done = await settle(h, executionArn);
    expect(done).toMatchObject({ status: 'FAILED', error: 'States.HeartbeatTimeout' });
    const timedOut = (await history(h, executionArn)).find((e) => e.type === 'TaskTimedOut');
    expect(timedOut?.taskTimedOutEventDetails?.error).toBe('States.HeartbeatTimeout');
  });

  it('fails the task with the Lambda error when the notifying handler throws', async () => {
    const h = await startHarness({ Approval: awaitApproval() });
    h.lambdas.on('Notify', () => {
      throw new Error('mail server down');
    });
    const executionArn = await start(h, 'Approval', { requestId: 'r' });
    const done = await settle(h, executionArn);
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('Error');
    expect(JSON.parse(done.cause!)).toMatchObject({
      errorType: 'Error',
      errorMessage: 'mail server down',
    });
  });
});
