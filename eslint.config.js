// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// `import { z }` binds zod's namespace re-export as one object, which esbuild cannot tree-shake:
// every Lambda bundle carried all of zod (locales, JSON Schema) at 454 KB. `import * as z` lets
// it keep only the members used (docs/performance.md, "Cold start"). zod/mini exports `z` too.
const zodNamespaceImport = {
  selector:
    "ImportDeclaration[source.value=/^zod(\\/mini)?$/][importKind!='type'] > ImportSpecifier[imported.name='z'][importKind!='type']",
  message: "Use `import * as z from 'zod/mini'` (tree-shaken in the Lambda bundles).",
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'cdk.out/**', '.local/**', 'coverage/**', '.bench/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      'no-restricted-syntax': ['error', zodNamespaceImport],
    },
  },
  {
    // Lambda code: zod/mini only. Classic zod was 86-97 KB of each function's bundle, mini with
    // the English locale is 21-36 KB (`npx tsx scripts/bundle-composition.ts <entry>`), and the
    // schemas are built at module load, so that code runs at every cold start (docs/performance.md,
    // "Cold start"). infra/, test/, scripts/, bench/ may keep classic zod for the same schemas.
    files: ['functions/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['zod', 'zod/v4', 'zod/v3'].map((name) => ({
            name,
            message:
              'Lambda code imports zod/mini (`import * as z from \'zod/mini\'`, types from it or zod/v4/core): classic zod adds ~60 KB to every bundle, all evaluated at cold start (docs/performance.md, "Cold start").',
          })),
        },
      ],
      'no-restricted-syntax': [
        'error',
        zodNamespaceImport,
        {
          selector: "MemberExpression[object.name='z'][property.name='locales']",
          message:
            "`z.locales` pulls every locale into the bundle: `import { en } from 'zod/locales'` (set once, in functions/shared/zod-locale.ts).",
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
