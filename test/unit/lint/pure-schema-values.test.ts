// The project's ESLint rule liandong/pure-schema-values (eslint.config.js), run through the real
// config on a schemas module's text: a value built by a bare call, or by pure() without the
// @__PURE__ mark, is refused; the marked form and plain literals pass.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

const ruleMessages = async (code: string, filePath = 'functions/example/schemas.ts') => {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'liandong/pure-schema-values');
};

const HEADER = "import * as z from 'zod/mini';\nimport { pure } from '../shared/pure.js';\n";

describe('liandong/pure-schema-values', () => {
  it('refuses a schema built by a bare call', async () => {
    const messages = await ruleMessages(
      `${HEADER}export const a = z.string().check(z.maxLength(3));\n`,
    );
    expect(messages.map((m) => m.messageId)).toEqual(['bare']);
  });

  it('refuses pure() without the @__PURE__ mark', async () => {
    const messages = await ruleMessages(`${HEADER}export const a = pure(() => z.string());\n`);
    expect(messages.map((m) => m.messageId)).toEqual(['unmarked']);
  });

  it('passes the marked form, functions and plain literals', async () => {
    const code = `${HEADER}export const a = /* @__PURE__ */ pure(() => z.string());
export const max = 200;
export const build = () => z.string();
`;
    expect(await ruleMessages(code)).toEqual([]);
  });

  it('leaves modules that are not schemas modules alone', async () => {
    const code = `${HEADER}export const a = z.string();\n`;
    expect(await ruleMessages(code, 'functions/example/domain.ts')).toEqual([]);
  });
});
