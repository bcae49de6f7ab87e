import type { Context } from 'aws-lambda';
import type { z } from 'zod/mini';
import { NotFoundError, ValidationError } from '../shared/errors.js';
import { describeIssues, explainingErrorMap, toFieldIssues } from '../shared/http/issues.js';
import type { HttpEvent, HttpResult } from '../shared/http/types.js';
import { refuseIllFormed } from '../shared/http/well-formed.js';
import '../shared/zod-locale.js'; // English zod messages: zod/mini loads no locale

/** A route's own handler: usually a middy handler with that route's `validateRequest`. */
export type RouteHandler = (event: never, context: Context) => Promise<HttpResult>;

/**
 * One function serves several routes of the same privilege (e.g. every reference read). API
 * Gateway has matched the route already: dispatch on its `routeKey` ("GET /deputies/{deputyId}")
 * rather than matching the path again. A route key this function does not serve is a
 * deployment mistake, answered 404.
 */
export const routeByKey =
  (routes: Record<string, RouteHandler>) =>
  async (event: HttpEvent, context: Context): Promise<HttpResult> => {
    const route = Object.hasOwn(routes, event.routeKey) ? routes[event.routeKey] : undefined;
    if (!route) throw new NotFoundError(`No route ${event.routeKey}`);
    return route(event as never, context);
  };

/** Validates `?query` parameters with zod (422 naming each parameter). */
export const parseQuery = <TSchema extends z.ZodMiniType>(
  event: { queryStringParameters?: Record<string, string | undefined> | undefined },
  schema: TSchema,
): z.output<TSchema> => {
  refuseIllFormed('query parameters', event.queryStringParameters, ['query']);
  const result = schema.safeParse(event.queryStringParameters ?? {}, {
    error: explainingErrorMap,
  });
  if (!result.success) {
    const issues = toFieldIssues(result.error, ['query']);
    throw new ValidationError(describeIssues('query parameters', issues), issues);
  }
  return result.data;
};
