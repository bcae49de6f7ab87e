// unit test: `cdk synth` runs in a process group that ends with the process that started it.
// `npx` and the CDK CLI pass no signal on to the app they run, so a synth started as a plain
// child went on writing cdk.out after a failed `npm start` had exited.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventually } from '../../support/poll';

const fixture = join(__dirname, 'fixtures', 'group-then-exit.ts');
const tsx = join(__dirname, '..', '..', '..', 'node_modules', '.bin', 'tsx');

/** Running, that is: neither gone nor a zombie waiting to be reaped (state Z in /proc). */
const alive = (pid: number): boolean => {
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return false;
  const state = readFileSync(stat, 'utf8').split(') ')[1]?.[0];
  return state !== 'Z' && state !== 'X';
};

/** Runs the fixture; the pid of the grandchild it printed, once the fixture has ended. */
const grandchildAfter = (how: 'exit' | 'signal'): Promise<number> =>
  new Promise((resolve, reject) => {
    const child = spawn(tsx, [fixture, how], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', () => {
      const pid = /grandchild (\d+)/.exec(output)?.[1];
      if (pid) resolve(Number(pid));
      else reject(new Error(`the fixture printed no grandchild: ${output}`));
    });
  });

describe('runInOwnGroup', () => {
  it.each(['exit', 'signal'] as const)(
    'ends the command and what it started when this process ends (%s)',
    { timeout: 20_000 },
    async (how) => {
      const pid = await grandchildAfter(how);
      await eventually(
        async () => alive(pid),
        (isAlive) => !isAlive,
        {
          timeoutMs: 5_000,
          what: `grandchild ${pid} gone`,
        },
      );
      expect(alive(pid)).toBe(false);
    },
  );
});
