import type { z } from 'zod/mini';
import { CODE_VOCABULARIES, codeMeant, type CodeVocabulary } from '../domain/reference.js';
import type { FieldIssue } from '../errors.js';

/** Flattens zod issues into `{ path, message }` pairs, one per offending field. */
export const toFieldIssues = (error: z.core.$ZodError, prefix: string[] = []): FieldIssue[] =>
  error.issues.flatMap((issue) => {
    const base = [...prefix, ...issue.path.map(String)];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: [...base, key].join('.'),
        message: 'unknown field',
      }));
    }
    return [{ path: base.join('.'), message: issue.message }];
  });

/** A one-line message that names every offending field (capped, the issues list has all). */
export const describeIssues = (what: string, issues: FieldIssue[]): string => {
  const shown = issues
    .slice(0, 10)
    .map((issue) => `${issue.path || '(root)'}: ${issue.message}`)
    .join('; ');
  const more = issues.length > 10 ? `; and ${issues.length - 10} more` : '';
  return `Invalid ${what}: ${shown}${more}`;
};

const VOCABULARIES: readonly CodeVocabulary[] = Object.values(CODE_VOCABULARIES);

/** The vocabulary whose codes are exactly `values` (an enum or a union on a code built from one). */
const vocabularyOf = (values: readonly unknown[]): CodeVocabulary | undefined =>
  VOCABULARIES.find(
    ({ names }) =>
      values.length === Object.keys(names).length &&
      values.every((value) => typeof value === 'string' && Object.hasOwn(names, value)),
  );

/**
 * What to say of a value that is not one of a vocabulary's codes: the code it names ("文冲 →
 * WENCHONG"), else every code with its Chinese name (docs/reference-codes.md has the table).
 */
export const unknownCodeMessage = (vocabulary: CodeVocabulary, input: unknown): string => {
  const meant = codeMeant(vocabulary, input);
  if (meant !== undefined) return `must be a code: ${String(input).trim()} → ${meant}`;
  const codes = Object.entries(vocabulary.names).map(([code, name]) => `${code} (${name.zh})`);
  return `must be one of the ${vocabulary.what.en} codes: ${codes.join(', ')}`;
};

const oneOf = (values: readonly unknown[]) =>
  `must be one of ${values.map((value) => String(value)).join(', ')}`;

/**
 * Error map for parsing: the messages a caller can act on, in place of the library's. A missing
 * value reads "required" rather than a type mismatch; a value outside a set of codes (an enum,
 * or the discriminator of a union such as an activity's `type`) names the codes, with their
 * Chinese names where they have them, and the code a Chinese name stands for.
 */
export const explainingErrorMap: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'required';
  let values: readonly unknown[] | undefined;
  let input: unknown = issue.input;
  if (issue.code === 'invalid_value') {
    values = issue.values;
  } else if (issue.code === 'invalid_union' && 'options' in issue && Array.isArray(issue.options)) {
    // A union on a discriminator (an activity's `type`): its input is the whole object.
    values = issue.options as unknown[];
    const discriminator = 'discriminator' in issue ? issue.discriminator : undefined;
    input =
      typeof discriminator === 'string' && input !== null && typeof input === 'object'
        ? (input as Record<string, unknown>)[discriminator]
        : undefined;
  }
  if (!values || values.length === 0) return undefined;
  const vocabulary = vocabularyOf(values);
  return vocabulary ? unknownCodeMessage(vocabulary, input) : oneOf(values);
};
