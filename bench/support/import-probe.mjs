/* global process, performance */
// One cold import, in the fresh Node process this file is started in: the time from just before
// the dynamic import of a bundle to its module (and everything it imports) being evaluated,
// which is what a Lambda cold start spends in the handler's code before the first invocation.
// Plain JavaScript on purpose: no TypeScript loader may run in the measured process.
import { pathToFileURL } from 'node:url';

const target = process.argv[2];
const report = (result) => process.stdout.write(`\n@@probe ${JSON.stringify(result)}\n`);
// CPU time as well: on a shared machine wall time also counts waiting for a core.
const cpuBefore = process.cpuUsage();
const started = performance.now();
try {
  const mod = await import(pathToFileURL(target).href);
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  if (typeof mod.handler !== 'function') throw new Error(`${target} exports no handler`);
  report({ ms, cpuMs: (cpu.user + cpu.system) / 1000 });
} catch (error) {
  report({ error: String(error?.stack ?? error).slice(0, 2000) });
  process.exitCode = 1;
}
