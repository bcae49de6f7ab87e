/**
 * Conformance test of the local Step Functions service: waits longer than Node's largest timer
 * (2^31-1 ms, ~24.8 days) must not fire early. No mocks of the service: a real HTTP server and
 * `@aws-sdk/client-sfn`; time is an injected clock, and the system clock's chunking is checked
 * on vitest fake timers.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSystemClock, MAX_TIMER_MS } from '../../infra/local/stepfunctions';
import { DAY_MS, ManualClock, settle, start, startMachine } from './harness';

describe('long waits', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each([
    ['Seconds', { Seconds: 30 * 86_400 }, {}],
    ['SecondsPath', { SecondsPath: '$.wait' }, { wait: 30 * 86_400 }],
    ['TimestampPath', { TimestampPath: '$.until' }, { until: '2030-01-31T00:00:00Z' }],
  ])(
    'a 30-day Wait (%s) is still waiting after 25 days and done after 30',
    async (_, fields, input) => {
      const clock = new ManualClock(Date.parse('2030-01-01T00:00:00Z'));
      const h = await startMachine(
        'Long',
        { Sleep: { Type: 'Wait', ...fields, End: true } },
        { clock },
      );
      const executionArn = await start(h, 'Long', input);
      clock.advance(25 * DAY_MS);
      expect((await settle(h, executionArn)).status).toBe('RUNNING');
      clock.advance(5 * DAY_MS - 1);
      expect((await settle(h, executionArn)).status).toBe('RUNNING');
      clock.advance(1);
      expect((await settle(h, executionArn)).status).toBe('SUCCEEDED');
    },
  );

  it('a 30-day task timeout does not fire after 25 days', async () => {
    const clock = new ManualClock();
    const h = await startMachine(
      'Token',
      {
        Await: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: { FunctionName: 'Store', Payload: { 't.$': '$$.Task.Token' } },
          TimeoutSeconds: 30 * 86_400,
          End: true,
        },
      },
      { clock },
    );
    h.lambdas.on('Store', () => ({}));
    const executionArn = await start(h, 'Token');
    clock.advance(25 * DAY_MS);
    expect((await settle(h, executionArn)).status).toBe('RUNNING');
    clock.advance(5 * DAY_MS);
    expect(await settle(h, executionArn)).toMatchObject({
      status: 'FAILED',
      error: 'States.Timeout',
    });
  });

  it('the system clock sleeps past 2^31-1 ms in chunks instead of firing at once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const clock = createSystemClock(() => Date.now());
    let woke = false;
    void clock.sleepUntil(Date.now() + 30 * DAY_MS).then(() => (woke = true));
    await vi.advanceTimersByTimeAsync(1);
    expect(woke).toBe(false);
    await vi.advanceTimersByTimeAsync(MAX_TIMER_MS);
    expect(woke).toBe(false);
    await vi.advanceTimersByTimeAsync(25 * DAY_MS - MAX_TIMER_MS - 1);
    expect(woke).toBe(false);
    await vi.advanceTimersByTimeAsync(5 * DAY_MS);
    expect(woke).toBe(true);
  });
});
