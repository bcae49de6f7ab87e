// Every CDK App a test makes without an `outdir` synthesizes into a new `cdk.out*` folder under
// the system's temporary directory and leaves it there (about 23 MB each for the whole stack, a
// few hundred MB per run of this project). The infra tests' apps get a temporary directory of
// their own instead, which is removed when the run ends.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'liandong-infra-'));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(dir, { recursive: true, force: true });
  };
}
