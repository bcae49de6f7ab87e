import type { z } from 'zod/mini';
import { ValidationError } from '../errors.js';
import { describeIssues, explainingErrorMap, toFieldIssues } from './issues.js';
import type { HttpEvent } from './types.js';
import { refuseIllFormed } from './well-formed.js';
import '../zod-locale.js'; // English zod messages: zod/mini loads no locale

/** Parses the query string with `schema`; 422 naming every offending parameter. */
export const parseQuery = <S extends z.ZodMiniType>(
  event: Pick<HttpEvent, 'queryStringParameters'>,
  schema: S,
  what = 'query parameters',
): z.output<S> => {
  refuseIllFormed(what, event.queryStringParameters);
  const parsed = schema.safeParse(event.queryStringParameters ?? {}, {
    error: explainingErrorMap,
  });
  if (!parsed.success) {
    const issues = toFieldIssues(parsed.error);
    throw new ValidationError(describeIssues(what, issues), issues);
  }
  return parsed.data;
};
