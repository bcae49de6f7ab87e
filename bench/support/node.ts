// The project's Node 22 (the Lambda runtime's major), pinned as the `node` dev dependency: the
// system's node may be older, and import cost differs between majors.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './paths';

export function node22(): string {
  const bin = join(projectRoot, 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(bin)) throw new Error(`no Node 22 at ${bin}: run npm install`);
  return bin;
}

export function node22Version(): string {
  return execFileSync(node22(), ['-v'], { encoding: 'utf8' }).trim();
}
