// Unit: the Lambda runtime's observer and the invocation tally of the local cloud's meter
// (bundles written to a temp folder, no engines).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startLambdaRuntime } from '../../../infra/local/lambda-runtime';
import { LambdaTally } from '../../../infra/local/meter';
import { bundledFunction } from './fixtures/bundle';

const dir = mkdtempSync(join(tmpdir(), 'liandong-meter-'));
const savedEnv = { ...process.env };
afterAll(() => {
  process.env = savedEnv;
  rmSync(dir, { recursive: true, force: true });
});

const fn = (id: string, code: string, memoryMb: number) =>
  bundledFunction(dir, id, code, { memoryMb });

describe('invocation metering', () => {
  it('counts invocations, errors and durations per function without changing results', async () => {
    const tally = new LambdaTally();
    const runtime = await startLambdaRuntime({
      code: 'bundles',
      functions: [
        fn(
          'Sleeper',
          `export const handler = async (e) => { await new Promise((r) => setTimeout(r, 20)); return e; };`,
          512,
        ),
        fn(
          'Thrower',
          `export const handler = async () => { const e = new Error('x'); e.name = 'TransientError'; throw e; };`,
          256,
        ),
      ],
      region: 'ap-east-1',
      quiet: true,
      baseEnv: {},
      observe: tally.observe,
    });
    expect(await runtime.invoke('Sleeper', { a: 1 })).toEqual({ a: 1 });
    expect(await runtime.invoke('Sleeper', { a: 2 })).toEqual({ a: 2 });
    await expect(runtime.invoke('Thrower', {})).rejects.toMatchObject({ name: 'TransientError' });
    await expect(runtime.invoke('Nope', {})).rejects.toThrow(/Function not found/);

    const snap = tally.snapshot();
    expect(Object.keys(snap).sort()).toEqual(['Sleeper', 'Thrower']);
    expect(snap.Sleeper).toMatchObject({ invocations: 2, errors: 0, memoryMb: 512 });
    expect(snap.Sleeper!.durationMs).toBeGreaterThanOrEqual(38);
    expect(snap.Sleeper!.billedMs).toBeGreaterThanOrEqual(Math.ceil(snap.Sleeper!.durationMs));
    expect(snap.Thrower).toMatchObject({ invocations: 1, errors: 1, memoryMb: 256 });
    tally.reset();
    expect(tally.snapshot()).toEqual({});
  });

  it('an observer that throws changes nothing for the caller', async () => {
    const runtime = await startLambdaRuntime({
      code: 'bundles',
      functions: [fn('Echo2', `export const handler = async (e) => e;`, 128)],
      region: 'ap-east-1',
      quiet: true,
      baseEnv: {},
      observe: () => {
        throw new Error('meter broke');
      },
    });
    expect(await runtime.invoke('Echo2', { ok: true })).toEqual({ ok: true });
  });
});
