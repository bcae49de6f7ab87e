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

/**
 * The vocabulary whose codes are all among `values` (an enum, a union on a code built from one,
 * or such an enum beside a few literals such as a routing rule's `*`).
 */
const vocabularyOf = (values: readonly unknown[]): CodeVocabulary | undefined =>
  VOCABULARIES.find(({ names }) => Object.keys(names).every((code) => values.includes(code)));

/**
 * The values a union accepts when each of its members is a set of values (`z.enum`,
 * `z.literal`) and the input matched none: every member failed with one `invalid_value` at the
 * union's own place.
 */
const valuesOfUnion = (
  branches: readonly (readonly z.core.$ZodIssue[])[],
): unknown[] | undefined =>
  branches.every(
    (issues) =>
      issues.length === 1 && issues[0]!.code === 'invalid_value' && issues[0]!.path.length === 0,
  )
    ? branches.flatMap((issues) => (issues[0] as z.core.$ZodIssueInvalidValue).values)
    : undefined;

/**
 * What to say of a value that is not one of a vocabulary's codes: the code it names ("主题活动 →
 * THEMATIC_CAMPAIGN"), else every code with its Chinese name (docs/reference-codes.md has the table).
 */
export const unknownCodeMessage = (
  vocabulary: CodeVocabulary,
  input: unknown,
  /** Values the field takes besides the codes (a routing rule's street may be `*`). */
  others: readonly unknown[] = [],
): string => {
  const meant = codeMeant(vocabulary, input);
  if (meant !== undefined) return `must be a code: ${String(input).trim()} → ${meant}`;
  const codes = Object.entries(vocabulary.names).map(([code, name]) => `${code} (${name.zh})`);
  const besides = others.length ? `; or ${others.map(String).join(', ')}` : '';
  return `must be one of the ${vocabulary.what.en} codes: ${codes.join(', ')}${besides}`;
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
  } else if (issue.code === 'invalid_union' && Array.isArray(issue.errors) && issue.errors.length) {
    values = valuesOfUnion(issue.errors);
  }
  if (!values || values.length === 0) return undefined;
  const vocabulary = vocabularyOf(values);
  if (!vocabulary) return oneOf(values);
  const others = values.filter(
    (value) => typeof value !== 'string' || !Object.hasOwn(vocabulary.names, value),
  );
  return unknownCodeMessage(vocabulary, input, others);
};
