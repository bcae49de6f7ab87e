/**
 * Execution records, kept in memory and, with a data folder, one JSON file per execution written
 * atomically (temp file + rename) on every change, so a restart finds each execution as it was.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Json } from './asl';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface HistoryEvent {
  id: number;
  previousEventId: number;
  /** epoch milliseconds; the API answers epoch seconds */
  timestamp: number;
  type: string;
  [detailsKey: string]: unknown;
}

/** Where a RUNNING execution stands: enough to resume it at its current top-level state. */
export interface Checkpoint {
  stateName: string;
  /** the state's raw input, as it entered the state */
  input: Json;
  enteredTime: string;
  retryCounts?: number[];
  /** a Wait state's wake time, or the end of a retry delay of a Task/Map/Parallel state */
  wakeAt?: number;
  /** the task token a `.waitForTaskToken` state waits on, once its worker has been called */
  pendingTask?: { token: string; deadline?: number };
}

export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  input: string;
  startDate: number;
  stopDate?: number;
  output?: string;
  error?: string;
  cause?: string;
  events: HistoryEvent[];
  checkpoint?: Checkpoint;
  /** Where an unsuccessful execution stopped: the state a redrive runs again, with its input. */
  redrivePoint?: { stateName: string; input: Json };
  redriveCount?: number;
  /** epoch milliseconds of the last redrive */
  redriveDate?: number;
}

export class ExecutionStore {
  private readonly records = new Map<string, ExecutionRecord>();
  private closed = false;

  constructor(private readonly dataDir?: string) {
    if (dataDir) mkdirSync(dataDir, { recursive: true });
  }

  /** Reads the records a previous run of the service left in the data folder. */
  load(): ExecutionRecord[] {
    if (!this.dataDir) return [];
    for (const file of readdirSync(this.dataDir)) {
      if (!file.endsWith('.json')) continue;
      const record = JSON.parse(readFileSync(join(this.dataDir, file), 'utf8')) as ExecutionRecord;
      this.records.set(record.executionArn, record);
    }
    return [...this.records.values()];
  }

  get(executionArn: string): ExecutionRecord | undefined {
    return this.records.get(executionArn);
  }

  add(record: ExecutionRecord): void {
    this.records.set(record.executionArn, record);
    this.save(record);
  }

  /** Newest first, as ListExecutions answers. */
  list(stateMachineArn: string): ExecutionRecord[] {
    return [...this.records.values()]
      .filter((r) => r.stateMachineArn === stateMachineArn)
      .sort((a, b) => b.startDate - a.startDate || b.executionArn.localeCompare(a.executionArn));
  }

  save(record: ExecutionRecord): void {
    // After stop(), work still in flight (a handler finishing) must not overwrite what the next
    // instance of the service will resume from.
    if (this.closed || !this.dataDir) return;
    const file = join(
      this.dataDir,
      `${createHash('sha256').update(record.executionArn).digest('hex').slice(0, 40)}.json`,
    );
    const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    writeFileSync(temp, JSON.stringify(record));
    renameSync(temp, file);
  }

  close(): void {
    this.closed = true;
  }
}
