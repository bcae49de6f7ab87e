// Unit: the in-process Lambda runtime (bundles written to a temp folder, no engines).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EnvironmentConflictError,
  FunctionNotFoundError,
  checkEnvironmentConflicts,
  startLambdaRuntime,
  type LambdaRuntime,
} from '../../../infra/local/lambda-runtime';
import { bundledFunction } from './fixtures/bundle';

const dir = mkdtempSync(join(tmpdir(), 'liandong-runtime-'));
const savedEnv = { ...process.env };

const fn = (id: string, code: string, environment: Record<string, string>, timeoutSeconds = 3) =>
  bundledFunction(dir, id, code, { environment, timeoutSeconds });

const echo = fn(
  'Echo',
  `// reads its variables at import, as the project's handlers do
const atImport = { table: process.env.TABLE_NAME, other: process.env.ONLY_OTHER ?? null };
export const handler = async (event, context) => ({
  event, atImport,
  name: context.functionName, arn: context.invokedFunctionArn, memory: context.memoryLimitInMB,
  remaining: context.getRemainingTimeInMillis(), requestId: context.awsRequestId,
  endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB, fnName: process.env.AWS_LAMBDA_FUNCTION_NAME,
});`,
  { TABLE_NAME: 'Table' },
);
const failing = fn(
  'Failing',
  `class TransientError extends Error { name = 'TransientError'; }
export const handler = async () => { throw new TransientError('try again'); };`,
  { TABLE_NAME: 'Table', ONLY_OTHER: 'x' },
);
const slow = fn('Slow', `export const handler = () => new Promise(() => {});`, {}, 0.2);
const broken = fn('Broken', `throw new Error('env invalid: TABLE_NAME');`, {});

let runtime: LambdaRuntime;
beforeAll(async () => {
  runtime = await startLambdaRuntime({
    code: 'bundles',
    functions: [echo, failing, slow, broken],
    region: 'ap-east-1',
    quiet: true,
    baseEnv: { AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:1' },
  });
});
afterAll(() => {
  process.env = savedEnv;
  rmSync(dir, { recursive: true, force: true });
});

describe('lambda runtime', () => {
  it('imports each bundle with only its own environment plus the base environment', async () => {
    const out = (await runtime.invoke(echo.arn, { a: 1 })) as Record<string, unknown>;
    // ONLY_OTHER belongs to another function, so Echo must not see it at import.
    expect(out.atImport).toEqual({ table: 'Table', other: null });
    expect(out.endpoint).toBe('http://127.0.0.1:1');
    expect(out.fnName).toBe('Echo');
  });

  it('passes a Lambda-like context and a JSON copy of the event', async () => {
    const event = { a: 1, at: new Date(0), gone: undefined };
    const out = (await runtime.invoke('Echo', event)) as Record<string, unknown>;
    expect(out.event).toEqual({ a: 1, at: '1970-01-01T00:00:00.000Z' });
    expect(out.name).toBe('Echo');
    expect(out.arn).toBe(echo.arn);
    expect(out.memory).toBe('256');
    expect(out.remaining).toBeGreaterThan(2000);
    expect(out.remaining).toBeLessThanOrEqual(3000);
    expect(out.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('finds functions by ARN, qualified ARN, partial ARN and name', async () => {
    for (const ref of [echo.arn, `${echo.arn}:$LATEST`, '000000000000:function:Echo', 'Echo']) {
      await expect(runtime.invoke(ref, {})).resolves.toBeDefined();
    }
    await expect(runtime.invoke('Nope', {})).rejects.toThrow(FunctionNotFoundError);
    await expect(runtime.invokeFunction('Echo', {})).resolves.toBeDefined();
  });

  it("rethrows the handler's error with its name (for Retry/Catch)", async () => {
    await expect(runtime.invoke('Failing', {})).rejects.toMatchObject({
      name: 'TransientError',
      message: 'try again',
    });
  });

  it('fails a function that runs past its timeout as Lambda does', async () => {
    await expect(runtime.invoke('Slow', {})).rejects.toMatchObject({ name: 'Sandbox.Timedout' });
  });

  it('starts although a bundle fails to load, and reports that error on invoke', async () => {
    await expect(runtime.invoke('Broken', {})).rejects.toThrow(/env invalid: TABLE_NAME/);
  });
});

describe('checkEnvironmentConflicts', () => {
  it('names both functions and the variable when values differ', () => {
    const a = { ...echo, logicalId: 'A', environment: { TABLE_NAME: 'T1', X: '1' } };
    const b = { ...echo, logicalId: 'B', environment: { TABLE_NAME: 'T2', X: '1' } };
    expect(() => checkEnvironmentConflicts([a, b])).toThrow(EnvironmentConflictError);
    expect(() => checkEnvironmentConflicts([a, b])).toThrow(/A and B set TABLE_NAME/);
    expect(() =>
      checkEnvironmentConflicts([a, { ...b, environment: { TABLE_NAME: 'T1' } }]),
    ).not.toThrow();
  });
});
