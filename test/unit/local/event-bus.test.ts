// Unit: the local EventBridge bus (infra/local/events.ts): pattern matching as EventBridge
// documents it for the operators the rules use, delivery to Lambda targets with Lambda's
// asynchronous retries, and patterns it cannot run refused at start. No engines.
import { describe, expect, it } from 'vitest';
import {
  LocalEventBus,
  assertSupportedPattern,
  matchesEventPattern,
  type LocalEventRule,
} from '../../../infra/local/events';

const failedExecution = {
  source: 'aws.states',
  'detail-type': 'Step Functions Execution Status Change',
  detail: { status: 'FAILED', stateMachineArn: 'arn:sm:Activity', error: 'Defect' },
};

const pattern = {
  source: ['aws.states'],
  'detail-type': ['Step Functions Execution Status Change'],
  detail: { status: ['FAILED', 'TIMED_OUT'], stateMachineArn: ['arn:sm:Activity'] },
};

describe('matchesEventPattern', () => {
  it('matches when every field matches one of its values, nested objects included', () => {
    expect(matchesEventPattern(pattern, failedExecution)).toBe(true);
    const timedOut = {
      ...failedExecution,
      detail: { ...failedExecution.detail, status: 'TIMED_OUT' },
    };
    expect(matchesEventPattern(pattern, timedOut)).toBe(true);
  });

  it('does not match another status, another machine, another source, or a missing field', () => {
    const variant = (detail: object, top: object = {}) => ({
      ...failedExecution,
      ...top,
      detail: { ...failedExecution.detail, ...detail },
    });
    expect(matchesEventPattern(pattern, variant({ status: 'SUCCEEDED' }))).toBe(false);
    expect(matchesEventPattern(pattern, variant({ status: 'ABORTED' }))).toBe(false);
    expect(matchesEventPattern(pattern, variant({ stateMachineArn: 'arn:sm:Referral' }))).toBe(
      false,
    );
    expect(matchesEventPattern(pattern, variant({}, { source: 'aws.ec2' }))).toBe(false);
    expect(matchesEventPattern(pattern, { ...failedExecution, detail: {} })).toBe(false);
    expect(matchesEventPattern(pattern, { source: 'aws.states' })).toBe(false);
  });

  it('supports prefix, anything-but and exists', () => {
    expect(matchesEventPattern({ detail: { error: [{ prefix: 'Def' }] } }, failedExecution)).toBe(
      true,
    );
    expect(matchesEventPattern({ detail: { error: [{ prefix: 'X' }] } }, failedExecution)).toBe(
      false,
    );
    expect(
      matchesEventPattern(
        { detail: { status: [{ 'anything-but': ['SUCCEEDED'] }] } },
        failedExecution,
      ),
    ).toBe(true);
    expect(matchesEventPattern({ detail: { cause: [{ exists: false }] } }, failedExecution)).toBe(
      true,
    );
    expect(matchesEventPattern({ detail: { error: [{ exists: false }] } }, failedExecution)).toBe(
      false,
    );
  });

  it('refuses at start what it does not implement (numeric, wildcard, a bare value)', () => {
    expect(() => assertSupportedPattern({ n: [{ numeric: ['>', 1] }] }, 'Rule')).toThrow(/numeric/);
    expect(() => assertSupportedPattern({ n: [{ wildcard: 'a*' }] }, 'Rule')).toThrow(/wildcard/);
    expect(() => assertSupportedPattern({ source: 'aws.states' }, 'Rule')).toThrow(/array/);
    expect(() => assertSupportedPattern(pattern, 'Rule')).not.toThrow();
  });
});

describe('LocalEventBus', () => {
  const rule = (overrides: Partial<LocalEventRule> = {}): LocalEventRule => ({
    logicalId: 'FailureRule',
    pattern,
    targets: ['arn:aws:lambda:ap-east-1:000000000000:function:RecordFailure'],
    enabled: true,
    ...overrides,
  });
  const put = (bus: LocalEventBus, status = 'FAILED') =>
    bus.put({
      source: 'aws.states',
      detailType: 'Step Functions Execution Status Change',
      detail: { ...failedExecution.detail, status },
      resources: ['arn:execution'],
    });

  it('delivers a matching event, in EventBridge’s envelope, to each target once', async () => {
    const delivered: { arn: string; event: Record<string, unknown> }[] = [];
    const bus = new LocalEventBus(
      [rule()],
      async (arn, event) => {
        delivered.push({ arn, event: event as Record<string, unknown> });
      },
      { region: 'ap-east-1', account: '000000000000' },
    );
    put(bus);
    put(bus, 'SUCCEEDED');
    await bus.idle();
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.event).toMatchObject({
      version: '0',
      source: 'aws.states',
      'detail-type': 'Step Functions Execution Status Change',
      account: '000000000000',
      region: 'ap-east-1',
      resources: ['arn:execution'],
      detail: { status: 'FAILED' },
    });
  });

  it('retries a failing target twice (Lambda’s asynchronous retries), then gives up', async () => {
    let calls = 0;
    const bus = new LocalEventBus(
      [rule()],
      async () => {
        calls++;
        throw new Error('down');
      },
      { region: 'ap-east-1', account: '000000000000', retryDelayMs: 1 },
    );
    put(bus);
    await bus.idle();
    expect(calls).toBe(3);

    let attempts = 0;
    const recovering = new LocalEventBus(
      [rule()],
      async () => {
        if (++attempts < 2) throw new Error('once');
      },
      { region: 'ap-east-1', account: '000000000000', retryDelayMs: 1 },
    );
    put(recovering);
    await recovering.idle();
    expect(attempts).toBe(2);
  });

  it('ignores a disabled rule', async () => {
    let calls = 0;
    const bus = new LocalEventBus(
      [rule({ enabled: false })],
      async () => {
        calls++;
      },
      { region: 'ap-east-1', account: '000000000000' },
    );
    put(bus);
    await bus.idle();
    expect(calls).toBe(0);
  });
});

describe('scheduled rules', () => {
  it('deliver a Scheduled Event every period once started, never on put, and stop', async () => {
    const rules: LocalEventRule[] = [
      { logicalId: 'Hourly', everySeconds: 0.05, targets: ['arn:fn:Job'], enabled: true },
      { logicalId: 'Off', everySeconds: 0.05, targets: ['arn:fn:Other'], enabled: false },
    ];
    const calls: { target: string; event: Record<string, unknown> }[] = [];
    const bus = new LocalEventBus(
      rules,
      async (target, event) => {
        calls.push({ target, event: event as Record<string, unknown> });
      },
      { region: 'ap-east-1', account: '000000000000' },
    );
    bus.put({ source: 'aws.states', detailType: 'x', detail: {} });
    await bus.idle();
    expect(calls).toEqual([]);
    const stop = bus.startSchedules();
    for (const until = Date.now() + 5000; calls.length < 2 && Date.now() < until;) {
      await new Promise((r) => setTimeout(r, 20));
    }
    stop();
    await bus.idle();
    const seen = calls.length;
    expect(seen).toBeGreaterThanOrEqual(2);
    expect(new Set(calls.map((c) => c.target))).toEqual(new Set(['arn:fn:Job']));
    expect(calls[0]!.event).toMatchObject({
      source: 'aws.events',
      'detail-type': 'Scheduled Event',
      resources: ['arn:aws:events:ap-east-1:000000000000:rule/Hourly'],
    });
    await new Promise((r) => setTimeout(r, 120));
    expect(calls).toHaveLength(seen);
  });
});
