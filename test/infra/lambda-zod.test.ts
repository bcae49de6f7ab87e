// Infra test (no AWS, no mocks): the zod that ProjectFunction bundles into the Lambdas
// (infra/constructs/lambda-zod/) is zod's own namespace minus a known list of members, and the
// members left out fail loudly. A zod upgrade that adds or renames a member fails here.
import { describe, expect, it } from 'vitest';
import * as zod from 'zod';
import * as lambdaZod from '../../infra/constructs/lambda-zod/index';

const LEFT_OUT = [
  'ZodCompileAsyncError',
  'ZodCompileUnsupportedError',
  'compile',
  'core',
  'fromJSONSchema',
  'locales',
  'toJSONSchema',
  'toZod',
  'withParser',
];

describe('the zod of the Lambda bundles', () => {
  it('exports every member of zod', () => {
    expect(Object.keys(lambdaZod.z).sort()).toEqual(Object.keys(zod.z).sort());
    expect(Object.keys(lambdaZod).sort()).toEqual(Object.keys(zod).sort());
  });

  it('is zod itself for every member but the ones left out', () => {
    const differing = Object.keys(zod.z).filter(
      (name) =>
        (lambdaZod.z as Record<string, unknown>)[name] !== (zod.z as Record<string, unknown>)[name],
    );
    expect(differing.sort()).toEqual(LEFT_OUT);
  });

  it('makes a left-out member throw a message that names it', () => {
    expect(() => lambdaZod.z.toJSONSchema()).toThrow(
      /z\.toJSONSchema is left out of the Lambda bundles/,
    );
    expect(() => (lambdaZod.z.locales as unknown as Record<string, unknown>).en).toThrow(
      /z\.locales\.en is left out/,
    );
  });

  it('parses, and reports issues in English, as zod does', () => {
    const schema = lambdaZod.z.object({ name: lambdaZod.z.string().min(2) });
    expect(schema.parse({ name: 'ab' })).toEqual({ name: 'ab' });
    const result = schema.safeParse({ name: 'a' });
    const expected = zod.z.object({ name: zod.z.string().min(2) }).safeParse({ name: 'a' });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual(expected.error?.issues);
    expect(result.error?.issues[0]?.message).toMatch(/Too small/);
  });
});
