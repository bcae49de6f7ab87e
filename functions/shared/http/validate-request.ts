import type { MiddlewareObj } from '@middy/core';
import type { z } from 'zod/mini';
import { UnsupportedMediaTypeError, ValidationError } from '../errors.js';
import { describeIssues, explainingErrorMap, toFieldIssues } from './issues.js';
import { parseQuery } from './query.js';
import type { HttpEvent, ValidatedHttpEvent } from './types.js';
import { bodyText, refuseIllFormed } from './well-formed.js';
import '../zod-locale.js'; // English zod messages: zod/mini loads no locale

/**
 * Parses the JSON body and validates body, path parameters, query and (selected) headers with zod.
 * Malformed JSON is 400; schema violations are 422 with every offending field named. On
 * success `event.body` and `event.pathParameters` are replaced by the parsed values (the middy
 * convention), so the handler only ever sees validated input.
 *
 * Use `z.strictObject` for bodies: unknown fields are an error, not silently dropped.
 *
 * Before any schema, every string of the path, the query and the body is checked for ill-formed
 * Unicode (./well-formed.ts): 422 naming the field, whether or not the route has a schema for
 * that part, so a new route is covered by using this middleware at all.
 */
export const validateRequest = <
  TBody extends z.ZodMiniType | undefined = undefined,
  TPath extends z.ZodMiniType | undefined = undefined,
>(schemas: {
  body?: TBody;
  pathParameters?: TPath;
  queryStringParameters?: z.ZodMiniType;
  headers?: z.ZodMiniType;
  /** Where query issues are named: `['query']` gives `query.limit` (default: `limit`). */
  queryIssuePrefix?: string[];
}): MiddlewareObj<
  ValidatedHttpEvent<
    TBody extends z.ZodMiniType ? z.output<TBody> : undefined,
    TPath extends z.ZodMiniType ? z.output<TPath> : undefined
  >
> => ({
  before: (request) => {
    const event = request.event as unknown as HttpEvent;

    if (schemas.headers) {
      const headers = schemas.headers.safeParse(event.headers ?? {}, { error: explainingErrorMap });
      if (!headers.success) {
        const issues = toFieldIssues(headers.error, ['headers']);
        throw new ValidationError(describeIssues('request headers', issues), issues, {
          statusCode: 400,
        });
      }
    }

    const json = schemas.body ? readJsonBody(event) : undefined;
    // Ill-formed Unicode first, before any schema: its 422 always names the field.
    refuseIllFormed('path parameters', event.pathParameters);
    refuseIllFormed('query parameters', event.queryStringParameters, schemas.queryIssuePrefix);
    refuseIllFormed('request body', json);

    if (schemas.pathParameters) {
      const path = schemas.pathParameters.safeParse(event.pathParameters ?? {}, {
        error: explainingErrorMap,
      });
      if (!path.success) {
        const issues = toFieldIssues(path.error);
        throw new ValidationError(describeIssues('path parameters', issues), issues);
      }
      (event as { pathParameters: unknown }).pathParameters = path.data;
    }

    if (schemas.queryStringParameters) {
      (event as { queryStringParameters: unknown }).queryStringParameters = parseQuery(
        event,
        schemas.queryStringParameters,
        'query parameters',
        schemas.queryIssuePrefix,
      );
    }

    if (schemas.body) {
      const body = schemas.body.safeParse(json, { error: explainingErrorMap });
      if (!body.success) {
        const issues = toFieldIssues(body.error);
        throw new ValidationError(describeIssues('request body', issues), issues);
      }
      (event as { body: unknown }).body = body.data;
    }
  },
});

/** The body parsed as JSON: 400 when missing or malformed, 415 for another content type. */
const readJsonBody = (event: HttpEvent): unknown => {
  const raw = bodyText(event);
  if (raw.trim() === '') {
    throw new ValidationError('A JSON request body is required', [], { statusCode: 400 });
  }
  const contentType = event.headers?.['content-type'] ?? event.headers?.['Content-Type'];
  if (contentType !== undefined && !/^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType)) {
    throw new UnsupportedMediaTypeError(
      `Content-Type must be application/json, got ${contentType.slice(0, 100)}`,
    );
  }
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw new ValidationError(
      `Malformed JSON body: ${(error as Error).message}`,
      [{ path: '', message: 'malformed JSON' }],
      { statusCode: 400, cause: error },
    );
  }
};
