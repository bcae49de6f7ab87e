// The table of codes in docs/ is generated from functions/shared/domain/reference.ts: it must
// match what the generator makes now, or someone changed a vocabulary without regenerating.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CODE_VOCABULARIES } from '../../functions/shared/domain/reference';
import { REFERENCE_CODES_FILE, renderReferenceCodes } from '../../scripts/reference-codes';

describe('docs/reference-codes.md', () => {
  it('is what the generator makes from reference.ts', async () => {
    let committed = '';
    try {
      committed = readFileSync(REFERENCE_CODES_FILE, 'utf8');
    } catch {
      // missing: out of date
    }
    expect(
      committed,
      'docs/reference-codes.md is out of date with reference.ts: run npm run codes and commit it',
    ).toBe(await renderReferenceCodes());
  });

  it('lists every code of every vocabulary with its Chinese name', async () => {
    const text = await renderReferenceCodes();
    for (const { names } of Object.values(CODE_VOCABULARIES)) {
      for (const [code, name] of Object.entries(names)) {
        expect(text).toMatch(new RegExp(`\\| \`${code}\` +\\| ${name.zh} +\\|`));
      }
    }
  });
});
