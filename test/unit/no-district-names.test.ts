// unit test (issue 17): one deployment serves one district, whose names are data. Nothing under
// functions/ or infra/ spells the demo district's names (its district, streets, letterhead)
// except the demo seed (infra/local/seed.ts and infra/local/demo-jurisdiction.ts); emails and
// pages read them from the stored jurisdiction.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_JURISDICTION } from '../../infra/local/demo-jurisdiction';

const DEMO_SEED = new Set(['infra/local/seed.ts', 'infra/local/demo-jurisdiction.ts']);

const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesUnder(path);
    return /\.(ts|tsx|js|mjs|json|md|html|css)$/.test(name) ? [path] : [];
  });

const { district, streets } = DEMO_JURISDICTION;
const NAMES = [
  '黄埔',
  'Huangpu',
  'HUANGPU',
  district.standingCommittee.zh,
  district.subjectTag.zh,
  district.referencePrefix.zh,
  district.referencePrefix.en,
  ...streets.flatMap((street) => [
    street.code,
    street.name.zh,
    street.name.en,
    // 文冲 for 文冲街道: how people write a street.
    street.name.zh.replace(/(街道|镇)$/u, ''),
  ]),
];

describe('no district is compiled in', () => {
  it('functions/ and infra/ name none of the demo district’s names outside the demo seed', () => {
    const found = ['functions', 'infra']
      .flatMap(filesUnder)
      .filter((path) => !DEMO_SEED.has(path))
      .flatMap((path) => {
        const text = readFileSync(path, 'utf8');
        return NAMES.filter((name) =>
          // A code is a word of its own (WENCHONG, not part of another identifier).
          /^[A-Z]+$/.test(name) ? new RegExp(`\\b${name}\\b`).test(text) : text.includes(name),
        ).map((name) => `${path}: ${name}`);
      });
    expect(found).toEqual([]);
  });
});
