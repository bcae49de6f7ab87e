// The members of the `z` namespace in the Lambda bundles: `index.ts` here is what
// `import { z } from 'zod'` resolves to there (ProjectFunction aliases `zod` to this folder;
// tests, the local cloud's entries and scripts use zod itself).
//
// Why: every schema module imports `{ z }`, and zod's `z` is a namespace re-exported as a
// binding; esbuild cannot tree-shake property accesses through such a re-export, so the whole
// namespace object is materialised and every bundle carried all of zod classic, its 40-odd
// locales (via `z.core.locales`) and JSON Schema conversion included: 454 KB of the ~1 MB
// bundles, parsed at every cold start (docs/performance.md, "Cold start"). This is the same
// namespace (`import * as z` of zod's own `external.js`, member for member) minus what a
// Lambda never calls at run time: `core` (only used for types), `locales`, JSON Schema
// conversion (the OpenAPI script runs outside Lambda) and the schema compiler. Those are
// stubs that fail loudly, so a handler that does need one fails on its first call in the
// bundled runs instead of misbehaving. test/infra/lambda-zod.test.ts checks the member
// list against zod's, so a zod upgrade that adds a member fails there until it is added here.
//
// Imported by path, not by package name: the alias would rewrite `zod/...` to this file too.
export * from '../../../node_modules/zod/v4/classic/schemas.js';
export * from '../../../node_modules/zod/v4/classic/checks.js';
export * from '../../../node_modules/zod/v4/classic/errors.js';
export * from '../../../node_modules/zod/v4/classic/parse.js';
export * from '../../../node_modules/zod/v4/classic/compat.js';
export {
  globalRegistry,
  registry,
  config,
  memoizer,
  $output,
  $input,
  $brand,
  clone,
  regexes,
  treeifyError,
  prettifyError,
  formatError,
  flattenError,
  TimePrecision,
  util,
  NEVER,
  INVALID,
  getDiscriminatedOption,
} from '../../../node_modules/zod/v4/core/index.js';
export { deepPartial } from '../../../node_modules/zod/v4/classic/deep-partial.js';
export { input, output } from '../../../node_modules/zod/v4/classic/in-out.js';
export {
  ZodISODateTime,
  ZodISODate,
  ZodISOTime,
  ZodISODuration,
} from '../../../node_modules/zod/v4/classic/iso.js';
export * as iso from '../../../node_modules/zod/v4/classic/iso.js';
export * as coerce from '../../../node_modules/zod/v4/classic/coerce.js';

const leftOut = (name: string): never => {
  throw new Error(
    `z.${name} is left out of the Lambda bundles to keep cold starts short ` +
      '(infra/constructs/lambda-zod/); add it there if a handler needs it',
  );
};
const leftOutNamespace = (name: string): object =>
  new Proxy({}, { get: (_target, member) => leftOut(`${name}.${String(member)}`) });

export const core = leftOutNamespace('core');
export const locales = leftOutNamespace('locales');
export const toJSONSchema = (): never => leftOut('toJSONSchema');
export const fromJSONSchema = (): never => leftOut('fromJSONSchema');
export const compile = (): never => leftOut('compile');
export const withParser = (): never => leftOut('withParser');
export const toZod = (): never => leftOut('toZod');
export const ZodCompileAsyncError = leftOutNamespace('ZodCompileAsyncError');
export const ZodCompileUnsupportedError = leftOutNamespace('ZodCompileUnsupportedError');
