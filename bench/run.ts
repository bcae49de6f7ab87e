// `npm run bench [-- name ...]`: runs every bench/*.bench.ts (or only those named), one after
// another, each in a fresh Node 22 process so no benchmark inherits another's warm module cache,
// open handles or heap. Benchmarks print their own side-by-side tables and write their section
// of docs/performance.md; this runner only picks, runs and reports which ones failed to run.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { node22 } from './support/node';
import { projectRoot } from './support/paths';

const SUFFIX = '.bench.ts';
const benchFolder = join(projectRoot, 'bench');

const available = readdirSync(benchFolder)
  .filter((file) => file.endsWith(SUFFIX))
  .map((file) => file.slice(0, -SUFFIX.length))
  .sort();

const asked = process.argv.slice(2).map((arg) => arg.replace(/^bench\//, '').replace(SUFFIX, ''));
const unknown = asked.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; available: ${available.join(', ')}`);
  process.exit(2);
}
const selected = asked.length > 0 ? asked : available;

const results: { name: string; status: number | null; seconds: number }[] = [];
for (const name of selected) {
  console.log(`\n=== bench ${name} ===`);
  const started = performance.now();
  const run = spawnSync(node22(), ['--import', 'tsx', join(benchFolder, `${name}${SUFFIX}`)], {
    cwd: projectRoot,
    stdio: 'inherit',
    env: process.env,
  });
  if (run.error) console.error(`bench ${name}: ${run.error.message}`);
  results.push({ name, status: run.status, seconds: (performance.now() - started) / 1000 });
}

console.log('\n=== benchmarks ===');
for (const r of results) {
  console.log(`${r.status === 0 ? 'ran   ' : 'FAILED'}  ${r.name} (${r.seconds.toFixed(0)} s)`);
}
process.exit(results.every((r) => r.status === 0) ? 0 : 1);
