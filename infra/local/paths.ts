// Where `npm start` keeps its data, and what `npm run token` reads from there.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const LOCAL_DATA_DIR = '.local/data';

export function endpointsFile(dataDir: string): string {
  return join(dataDir, 'endpoints.json');
}

/**
 * What a local service keeps between runs (generated secret values, key pairs): a JSON record in
 * `dataFile`, empty when there is no file yet or no file at all (in memory only).
 */
export function readKeptRecord<Value>(dataFile?: string): Record<string, Value> {
  return dataFile && existsSync(dataFile)
    ? (JSON.parse(readFileSync(dataFile, 'utf8')) as Record<string, Value>)
    : {};
}

/** Writes a kept record back, readable by its owner only: it holds private keys and secrets. */
export function writeKeptRecord(dataFile: string, record: Record<string, unknown>): void {
  mkdirSync(dirname(dataFile), { recursive: true });
  writeFileSync(dataFile, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  // `mode` applies only when the file is created; a file kept from before is tightened too.
  chmodSync(dataFile, 0o600);
}
