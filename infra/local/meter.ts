// What the local cloud counts when it is started with `meter: true` (benchmarks): Lambda
// invocations and their durations per function, and DynamoDB capacity units through the
// metering proxy (dynamodb-meter.ts). State transitions are read from the executions' histories
// and emails from the local SES store, which keep them anyway.
import type { DynamoDbMeter, DynamoDbMeterSnapshot } from './dynamodb-meter';
import type { InvocationRecord } from './lambda-runtime';

export interface FunctionTally {
  invocations: number;
  errors: number;
  memoryMb: number;
  /** Sum of wall times in this process, milliseconds. */
  durationMs: number;
  /** Sum of durations rounded up to the millisecond per invocation, as Lambda bills them. */
  billedMs: number;
}

export class LambdaTally {
  private byFunction = new Map<string, FunctionTally>();

  readonly observe = (invocation: InvocationRecord): void => {
    let tally = this.byFunction.get(invocation.logicalId);
    if (!tally) {
      tally = {
        invocations: 0,
        errors: 0,
        memoryMb: invocation.memoryMb,
        durationMs: 0,
        billedMs: 0,
      };
      this.byFunction.set(invocation.logicalId, tally);
    }
    tally.invocations++;
    if (invocation.error !== undefined) tally.errors++;
    tally.durationMs += invocation.durationMs;
    tally.billedMs += Math.max(1, Math.ceil(invocation.durationMs));
  };

  /** Function logical id → tally. */
  snapshot(): Record<string, FunctionTally> {
    return Object.fromEntries([...this.byFunction].map(([id, tally]) => [id, { ...tally }]));
  }

  reset(): void {
    this.byFunction = new Map();
  }
}

export interface MeterSnapshot {
  lambda: Record<string, FunctionTally>;
  dynamodb: DynamoDbMeterSnapshot;
}

export interface LocalMeter {
  snapshot(): MeterSnapshot;
  /** Starts counting from zero (e.g. between two benchmark runs). */
  reset(): void;
}

export function localMeter(lambda: LambdaTally, dynamodb: DynamoDbMeter): LocalMeter {
  return {
    snapshot: () => ({ lambda: lambda.snapshot(), dynamodb: dynamodb.snapshot() }),
    reset: () => {
      lambda.reset();
      dynamodb.reset();
    },
  };
}
