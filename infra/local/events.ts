/**
 * The local EventBridge default bus, for the events the project's rules listen to: each event is
 * matched against the template's `AWS::Events::Rule` patterns and delivered to their Lambda
 * targets, asynchronously, with Lambda's asynchronous retries (two more attempts on an error;
 * seconds apart here, not minutes). Pattern matching covers what the rules use — exact values,
 * `prefix`, `anything-but` and `exists` — and a rule using anything else fails at start.
 */
import { randomUUID } from 'node:crypto';
import { TemplateError } from './intrinsics';

export interface LocalEventRule {
  logicalId: string;
  /** Absent for a scheduled rule. */
  pattern?: Record<string, unknown>;
  /** A `rate()` schedule, in seconds: the cloud runs it only when asked (`schedules: true`). */
  everySeconds?: number;
  /** Lambda function ARNs */
  targets: string[];
  enabled: boolean;
}

export interface LocalEvent {
  source: string;
  detailType: string;
  detail: object;
  resources?: string[];
}

const OPERATORS = new Set(['prefix', 'anything-but', 'exists']);

/** Throws a TemplateError when a pattern uses matching this bus does not implement. */
export function assertSupportedPattern(pattern: unknown, where: string): void {
  if (Array.isArray(pattern)) {
    for (const value of pattern) {
      if (value !== null && typeof value === 'object') {
        const ops = Object.keys(value);
        if (ops.length !== 1 || !OPERATORS.has(ops[0]!)) {
          throw new TemplateError(
            `${where}: event pattern operator ${ops.join(',')} not supported locally`,
          );
        }
      }
    }
    return;
  }
  if (pattern === null || typeof pattern !== 'object') {
    throw new TemplateError(`${where}: an event pattern field must be an array or an object`);
  }
  for (const [key, value] of Object.entries(pattern))
    assertSupportedPattern(value, `${where}.${key}`);
}

const matchesValue = (rule: unknown, value: unknown): boolean => {
  if (rule === null || typeof rule !== 'object') return rule === value;
  const [op, arg] = Object.entries(rule)[0] ?? [];
  switch (op) {
    case 'prefix':
      return typeof value === 'string' && value.startsWith(String(arg));
    case 'anything-but':
      return Array.isArray(arg) ? !arg.includes(value) : arg !== value;
    case 'exists':
      return (value !== undefined) === arg;
    default:
      return false;
  }
};

/** EventBridge matching: every field of the pattern matches; a list matches any of its values. */
export function matchesEventPattern(pattern: Record<string, unknown>, event: unknown): boolean {
  const fields = (event ?? {}) as Record<string, unknown>;
  return Object.entries(pattern).every(([key, rule]) => {
    const value = fields[key];
    if (Array.isArray(rule)) {
      const values = Array.isArray(value) ? value : [value];
      return rule.some((r) =>
        r !== null && typeof r === 'object' && 'exists' in r
          ? matchesValue(r, value)
          : values.some((v) => v !== undefined && matchesValue(r, v)),
      );
    }
    return (
      value !== null &&
      typeof value === 'object' &&
      matchesEventPattern(rule as Record<string, unknown>, value)
    );
  });
}

export class LocalEventBus {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly rules: LocalEventRule[],
    private readonly invoke: (functionArn: string, event: unknown) => Promise<unknown>,
    private readonly options: { region: string; account: string; retryDelayMs?: number },
  ) {}

  /** Puts an event on the bus; matching targets are invoked in the background. */
  put(event: LocalEvent): void {
    const envelope = {
      version: '0',
      id: randomUUID(),
      'detail-type': event.detailType,
      source: event.source,
      account: this.options.account,
      time: new Date().toISOString(),
      region: this.options.region,
      resources: event.resources ?? [],
      detail: event.detail,
    };
    for (const rule of this.rules) {
      if (!rule.enabled || !rule.pattern || !matchesEventPattern(rule.pattern, envelope)) continue;
      for (const target of rule.targets) {
        const delivery = this.deliver(rule, target, envelope);
        this.pending.add(delivery);
        void delivery.finally(() => this.pending.delete(delivery));
      }
    }
  }

  /**
   * Runs the scheduled rules (`rate()`): each delivers EventBridge's "Scheduled Event" to its
   * targets every period, the first one period after the start, as a new rule does on AWS.
   * Returns what stops them.
   */
  startSchedules(): () => void {
    const timers = this.rules
      .filter((rule) => rule.enabled && rule.everySeconds !== undefined)
      .map((rule) => {
        const timer = setInterval(() => {
          const envelope = {
            version: '0',
            id: randomUUID(),
            'detail-type': 'Scheduled Event',
            source: 'aws.events',
            account: this.options.account,
            time: new Date().toISOString(),
            region: this.options.region,
            resources: [
              `arn:aws:events:${this.options.region}:${this.options.account}:rule/${rule.logicalId}`,
            ],
            detail: {},
          };
          for (const target of rule.targets) {
            const delivery = this.deliver(rule, target, envelope);
            this.pending.add(delivery);
            void delivery.finally(() => this.pending.delete(delivery));
          }
        }, rule.everySeconds! * 1000);
        timer.unref();
        return timer;
      });
    return () => timers.forEach((timer) => clearInterval(timer));
  }

  /** Resolves when every delivery under way has ended. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private async deliver(rule: LocalEventRule, target: string, event: object): Promise<void> {
    const delay = this.options.retryDelayMs ?? 1000;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.invoke(target, event);
        return;
      } catch (error) {
        if (attempt >= 3) {
          console.error(`[local events] ${rule.logicalId} → ${target} failed 3 times:`, error);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, delay * attempt));
      }
    }
  }
}
