// The one `cdk synth` of the local cloud, shared by `npm start`, the integration and chaos test
// setups and the benchmarks. A synth costs about 11 s, almost all of a restart, and its template
// depends only on the files below and the synth arguments: when their hash matches the one
// recorded beside the last template, that template is reused.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { localCode, synthArgs } from './code';
import type { LocalCode } from './lambda-runtime';
import { templatePath } from './template';

/** What the synthesized template is made from (the CDK app reads nothing else of the project). */
export const SYNTH_INPUTS = [
  'infra',
  'functions',
  'workflows',
  'console',
  'cdk.json',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
];

/** Environment variables the CDK app reads. */
const SYNTH_ENV = ['CDK_DEFAULT_ACCOUNT', 'CDK_DEFAULT_REGION'];

const CDK_OUT = 'cdk.out';
const hashFile = (outDir: string) => join(outDir, '.liandong-inputs.sha256');

/** The input's files, sorted: the file itself, or every file under a folder. */
function filesOf(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** SHA-256 over every input file's path and bytes, the synth arguments and the CDK variables. */
export function synthInputsHash(args: string[], root = process.cwd()): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ args, env: SYNTH_ENV.map((name) => process.env[name] ?? '') }));
  for (const input of SYNTH_INPUTS) {
    for (const file of filesOf(join(root, input))) {
      hash.update(`\0${relative(root, file)}\0`);
      hash.update(readFileSync(file));
    }
  }
  return hash.digest('hex');
}

export interface SynthOutcome {
  /** Seconds spent (hashing only, when reused). */
  seconds: number;
  /** The template of an earlier synth was reused: nothing it is made from has changed. */
  reused: boolean;
}

export interface SynthOptions {
  code?: LocalCode;
  /** Show the CDK CLI's output (`npm start`); otherwise it is kept for the error. */
  verbose?: boolean;
}

export interface GroupRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

/**
 * Runs a command in a process group of its own, which ends with this process or on its Ctrl-C,
 * its output kept (and shown as it comes when `verbose`: even then it is read). `npx` and the
 * CDK CLI pass no signal on to the app they run: a `cdk synth` started as a plain child went on
 * writing cdk.out after `npm start` had stopped.
 */
export function runInOwnGroup(
  command: string,
  args: string[],
  verbose: boolean,
): Promise<GroupRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    // SIGTERM whatever this process got: a background job of a shell ignores SIGINT.
    const endGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
    };
    process.once('exit', endGroup);
    process.on('SIGINT', endGroup);
    process.on('SIGTERM', endGroup);
    const settled = () => {
      process.off('exit', endGroup);
      process.off('SIGINT', endGroup);
      process.off('SIGTERM', endGroup);
    };
    let output = '';
    const collect = (echo: NodeJS.WriteStream) => (chunk: Buffer) => {
      output += chunk.toString();
      if (verbose) echo.write(chunk);
    };
    child.stdout.on('data', collect(process.stdout));
    child.stderr.on('data', collect(process.stderr));
    child.once('error', (error) => {
      settled();
      reject(error);
    });
    child.once('close', (code, signal) => {
      settled();
      resolve({ code, signal, output });
    });
  });
}

/**
 * Synthesizes cdk.out for the local cloud, or reuses it when its inputs' hash is unchanged.
 * `LIANDONG_SKIP_SYNTH=1` reuses any cdk.out there is (a template synthesized moments ago).
 */
export async function synthLocal(options: SynthOptions = {}): Promise<SynthOutcome> {
  const began = Date.now();
  const seconds = () => (Date.now() - began) / 1000;
  const args = synthArgs(options.code ?? localCode());
  const template = templatePath(CDK_OUT);
  if (process.env.LIANDONG_SKIP_SYNTH === '1' && existsSync(template)) {
    return { seconds: seconds(), reused: true };
  }
  const inputs = synthInputsHash(args);
  const recorded = existsSync(hashFile(CDK_OUT)) ? readFileSync(hashFile(CDK_OUT), 'utf8') : '';
  if (recorded.trim() === inputs && existsSync(template)) {
    return { seconds: seconds(), reused: true };
  }
  for (let attempt = 1; ; attempt++) {
    // Read even when shown, so a synth another process is running is recognised and waited out.
    const { code, signal, output } = await runInOwnGroup(
      'npx',
      ['cdk', 'synth', '--quiet', ...args],
      options.verbose ?? false,
    );
    if (code === 0) break;
    if (signal) throw new SynthError(`cdk synth stopped (${signal})`);
    // The CDK CLI refuses to synth while another synth writes cdk.out; wait that one out.
    const busy = /Another CLI .* is currently synthing/.test(output);
    if (!busy || attempt >= 10) {
      throw new SynthError(
        `cdk synth failed (${code}): the local cloud runs the synthesized template\n${output}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 3_000));
  }
  // Recorded only after a synth that succeeded, and for the inputs it read when it began: a file
  // edited during the synth changes the hash, so the next start synthesizes again.
  writeFileSync(hashFile(CDK_OUT), `${inputs}\n`);
  return { seconds: seconds(), reused: false };
}

export class SynthError extends Error {
  override name = 'SynthError';
}
