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

const isFunction = (node) =>
  node.type === 'ArrowFunctionExpression' || node.type === 'FunctionExpression';

/** Whether evaluating `node` calls something (a function's body is not evaluated by defining it). */
const callsSomething = (node, keys) => {
  if (!node || typeof node.type !== 'string' || isFunction(node)) return false;
  if (node.type === 'CallExpression' || node.type === 'NewExpression') return true;
  return (keys[node.type] ?? []).some((key) =>
    [node[key]].flat().some((child) => callsSomething(child, keys)),
  );
};

// A schemas module's top-level values are built with `/* @__PURE__ */ pure(() => …)`
// (functions/shared/pure.ts), so a bundle leaves out those it never reads: a zod/mini schema with
// a `.check(…)` is a call esbuild must otherwise keep, and every function that imported one
// schema of a module built them all at every cold start (docs/performance.md, "Cold start").
const pureSchemaValues = {
  meta: {
    type: 'problem',
    messages: {
      bare: 'Build a schemas module value with `/* @__PURE__ */ pure(() => …)` (functions/shared/pure.ts): a bare call is kept in every bundle that imports the module, used or not.',
      unmarked:
        'Mark the call `/* @__PURE__ */ pure(() => …)`: without the mark esbuild keeps it in every bundle that imports the module.',
    },
    schema: [],
  },
  create(context) {
    const source = context.sourceCode;
    const check = (declarator) => {
      const init = declarator.init;
      if (!init || isFunction(init)) return;
      if (
        init.type === 'CallExpression' &&
        init.callee.type === 'Identifier' &&
        init.callee.name === 'pure'
      ) {
        const marked = source.getCommentsBefore(init).some((c) => c.value.includes('@__PURE__'));
        if (!marked) context.report({ node: init, messageId: 'unmarked' });
      } else if (callsSomething(init, source.visitorKeys)) {
        context.report({ node: init, messageId: 'bare' });
      }
    };
    return {
      'Program > VariableDeclaration > VariableDeclarator': check,
      'Program > ExportNamedDeclaration > VariableDeclaration > VariableDeclarator': check,
    };
  },
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
    files: [
      'functions/*/schemas.ts',
      'functions/**/*-schemas.ts',
      'functions/shared/reference-ids.ts',
      'functions/shared/http/idempotency-key.ts',
      'functions/shared/domain/finding-fields.ts',
    ],
    plugins: { liandong: { rules: { 'pure-schema-values': pureSchemaValues } } },
    rules: { 'liandong/pure-schema-values': 'error' },
  },
  {
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
