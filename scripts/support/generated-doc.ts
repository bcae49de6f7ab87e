// What the scripts that generate a document under docs/ share: writing it, or with `--check`
// comparing it with the file on disk (exit 1 when it is out of date).
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';

/**
 * Writes `text` to `file`, or with `--check` only compares: out of date (or missing), it says
 * which command regenerates it and exits 1. `wrote` is the line printed after writing.
 */
export function writeOrCheck(file: string, text: string, command: string, wrote?: string): void {
  const name = relative(process.cwd(), file);
  if (!process.argv.includes('--check')) {
    writeFileSync(file, text);
    console.log(wrote ?? `wrote ${name}`);
    return;
  }
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    // missing: out of date
  }
  if (current !== text) {
    console.error(`${name} is out of date: run ${command}`);
    process.exit(1);
  }
  console.log(`${name} is up to date`);
}
