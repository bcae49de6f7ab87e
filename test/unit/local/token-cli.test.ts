// `npm run token`: --help prints the usage (it answered "Unknown option" before); a wrong
// option names itself and shows the usage; a request carries what was asked.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseTokenCli, TOKEN_USAGE } from '../../../infra/local/token';

describe('token CLI', () => {
  it('--help and -h give the usage', () => {
    expect(parseTokenCli(['--help'])).toEqual({ kind: 'help' });
    expect(parseTokenCli(['-h'])).toEqual({ kind: 'help' });
    expect(TOKEN_USAGE).toMatch(/--role <organiser\|deputy\|auditor>/);
  });

  it('an unknown option names itself and shows the usage', () => {
    expect(() => parseTokenCli(['--bogus'])).toThrow(/Unknown option '--bogus'[\s\S]*Usage:/);
    expect(() => parseTokenCli([])).toThrow(/give --role[\s\S]*Usage:/);
    expect(() => parseTokenCli(['--role', 'deputy', '--ttl', 'soon'])).toThrow(/--ttl/);
  });

  it('a request carries the role, subject, groups and lifetime', () => {
    expect(
      parseTokenCli(['--role', 'deputy', '--sub', 'dep-0020', '--group', 'a', '--ttl', '60']),
    ).toEqual({
      kind: 'request',
      request: expect.objectContaining({
        role: 'deputy',
        sub: 'dep-0020',
        groups: ['a'],
        ttlSeconds: 60,
      }),
    });
  });

  it('the script prints the usage on stdout and exits 0 (no local cloud needed)', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'infra/local/token.ts', '--help'],
      { cwd: process.cwd() },
    );
    expect(stdout).toBe(TOKEN_USAGE);
  }, 30_000);
});
