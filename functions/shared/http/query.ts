import type { z } from 'zod/mini';
import { ValidationError } from '../errors.js';
import { describeIssues, explainingErrorMap, toFieldIssues } from './issues.js';
import type { HttpEvent } from './types.js';
import { refuseIllFormed } from './well-formed.js';
import '../zod-locale.js'; // English zod messages: zod/mini loads no locale

/**
 * Parses the query string with `schema`; 422 naming every offending parameter (under `prefix`:
 * the reference and statistics APIs name them `query.<parameter>`).
 */
export const parseQuery = <S extends z.ZodMiniType>(
  event: Pick<HttpEvent, 'queryStringParameters'>,
  schema: S,
  what = 'query parameters',
  prefix: string[] = [],
): z.output<S> => {
  refuseIllFormed(what, event.queryStringParameters, prefix);
  const parsed = schema.safeParse(event.queryStringParameters ?? {}, {
    error: explainingErrorMap,
  });
  if (!parsed.success) {
    const issues = toFieldIssues(parsed.error, prefix);
    throw new ValidationError(describeIssues(what, issues), issues);
  }
  return parsed.data;
};
