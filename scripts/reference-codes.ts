// `npm run codes`: writes docs/reference-codes.md, the codes the API takes (activity types,
// finding categories, deputy levels) with their Chinese and English names, generated from
// functions/shared/domain/reference.ts so the table cannot drift from what the API accepts.
// `--check` only compares (test/unit/reference-codes.test.ts does the same).
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { CODE_VOCABULARIES } from '../functions/shared/domain/reference';
import { writeOrCheck } from './support/generated-doc';

export const REFERENCE_CODES_FILE = fileURLToPath(
  new URL('../docs/reference-codes.md', import.meta.url),
);

const cell = (text: string) => text.replace(/\|/g, '\\|');

/** The document as committed: generated, then formatted as Prettier formats docs/. */
export const renderReferenceCodes = async (): Promise<string> => {
  const sections = Object.values(CODE_VOCABULARIES).map(({ what, names }) =>
    [
      `## ${what.zh} ${what.en[0]!.toUpperCase()}${what.en.slice(1)}`,
      '',
      '| code | 中文 | English |',
      '| --- | --- | --- |',
      ...Object.entries(names).map(
        ([code, name]) => `| \`${code}\` | ${cell(name.zh)} | ${cell(name.en)} |`,
      ),
    ].join('\n'),
  );
  const text = [
    '# Reference codes 代码表',
    '',
    'The API takes and answers these codes; people read the names. Generated from',
    '`functions/shared/domain/reference.ts` by `npm run codes` (a unit test fails when it is out',
    'of date). A request that sends a name where a code belongs is answered with the code it',
    'stands for (`type: "座谈会"` → `must be a code: 座谈会 → SYMPOSIUM`). Streets are the',
    'district’s own data, not codes compiled in: `GET /jurisdiction` lists the codes and names',
    'of the deployment’s streets and towns, and a code it does not have is answered with them.',
    'Departments, committees and deputies are reference data with ids, not codes:',
    '`GET /departments`, `GET /committees` and `GET /deputies` list them.',
    '',
    ...sections.flatMap((section) => [section, '']),
  ].join('\n');
  const options = (await resolveConfig(REFERENCE_CODES_FILE)) ?? {};
  return format(text, { ...options, filepath: REFERENCE_CODES_FILE });
};

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) writeOrCheck(REFERENCE_CODES_FILE, await renderReferenceCodes(), 'npm run codes');
