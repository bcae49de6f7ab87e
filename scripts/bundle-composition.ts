// What a function's bundle is made of: bytes in the output per package (or project folder), from
// esbuild's metafile, with ProjectFunction's bundling options (infra/constructs/project-function.ts).
// Used for docs/performance.md, "Cold start: what each bundle paid for".
//
//   npx tsx scripts/bundle-composition.ts functions/activity-workflow/await-phase.ts [--top 18]
//     [--sdk-tracing]   (as `cdk deploy -c liandong:sdkTracing=true` bundles it)
import * as esbuild from 'esbuild';
import { bundleDefines } from '../infra/constructs/project-function';

const [entry, ...rest] = process.argv.slice(2);
if (!entry) {
  console.error(
    'usage: npx tsx scripts/bundle-composition.ts <entry.ts> [--top N] [--sdk-tracing]',
  );
  process.exit(2);
}
const topAt = rest.indexOf('--top');
const top = topAt >= 0 ? Number(rest[topAt + 1]) : 18;

const result = await esbuild.build({
  entryPoints: [entry],
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  minify: true,
  mainFields: ['module', 'main'],
  write: false,
  metafile: true,
  outfile: 'index.mjs',
  logLevel: 'error',
  define: bundleDefines(rest.includes('--sdk-tracing')),
});
const output = Object.values(result.metafile.outputs)[0];
if (!output) throw new Error('esbuild wrote no output');
const bytesBy = new Map<string, number>();
for (const [path, input] of Object.entries(output.inputs)) {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1];
  const key = pkg ?? path.split('/').slice(0, 2).join('/');
  bytesBy.set(key, (bytesBy.get(key) ?? 0) + input.bytesInOutput);
}
console.log(`${entry}: ${(output.bytes / 1024).toFixed(0)} KB`);
for (const [key, bytes] of [...bytesBy].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`${(bytes / 1024).toFixed(1).padStart(8)} KB  ${key}`);
}
