import type { z } from 'zod/mini';
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

/** Error map for parsing: a missing value reads "required" rather than a type mismatch. */
export const requiredErrorMap: z.core.$ZodErrorMap = (issue) =>
  issue.code === 'invalid_type' && issue.input === undefined ? 'required' : undefined;
