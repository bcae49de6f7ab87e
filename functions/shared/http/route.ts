import middy, { type MiddlewareObj } from '@middy/core';
import type { z } from 'zod/mini';
import type { Role } from '../domain/reference.js';
import { logger } from '../observability.js';
import { observe } from '../observe.js';
import { getCaller, requireRole, requireScopeOver, type Caller } from './auth.js';
import { bodyLimit } from './body-limit.js';
import { httpErrorHandler } from './error-handler.js';
import type { HttpEvent, HttpResult } from './types.js';
import { validateRequest } from './validate-request.js';

type Parsed<S> = S extends z.ZodMiniType ? z.output<S> : undefined;

/** What a route's decision receives: every part of the request already parsed and checked. */
export interface RouteRequest<TBody, TPath, TQuery> {
  body: TBody;
  path: TPath;
  query: TQuery;
  caller: Caller;
  /** The raw event, for what the schemas do not cover (e.g. the route key). */
  event: HttpEvent;
}

export interface RouteSpec<
  TBody extends z.ZodMiniType | undefined,
  TPath extends z.ZodMiniType | undefined,
  TQuery extends z.ZodMiniType | undefined,
> {
  /** Who may call the route; anyone else gets 403 before anything is parsed. */
  roles: readonly Role[];
  /** The JSON body (use `z.strictObject`); a route with a body is held to `maxBodyBytes`. */
  body?: TBody;
  path?: TPath;
  query?: TQuery;
  headers?: z.ZodMiniType;
  /** Default 256 KiB (`DEFAULT_MAX_BODY_BYTES`); larger bodies are 413 before parsing. */
  maxBodyBytes?: number;
  /**
   * The street the request acts on, when the request itself names it (a new activity's
   * street): a street organiser acting on another street gets 403. Checked before the
   * idempotency record, so a replay never hands another street's result back.
   */
  streetOf?: (request: { body: Parsed<TBody>; path: Parsed<TPath> }) => string | undefined;
  /**
   * `idempotentRoute(operation, tableName)` (./idempotent.ts) to honour an `Idempotency-Key`
   * header. Passed in rather than built here so routes without it do not load Powertools'
   * idempotency package (cold start).
   */
  idempotency?: MiddlewareObj;
  /** Keys put on every log line of the request (ids, never personal data). */
  logKeys?: (request: { path: Parsed<TPath> }) => Record<string, string>;
}

/**
 * The one way to write an HTTP API route: the error handler, the Powertools middlewares, the
 * role check, the body limit, validation of body, path, query and headers (ill-formed Unicode
 * first), scope and idempotency, in that order; then the route's decision, which holds nothing
 * but what the route decides. `docs/architecture.md` ("Adding a route") shows the recipe.
 */
export const httpRoute = <
  TBody extends z.ZodMiniType | undefined = undefined,
  TPath extends z.ZodMiniType | undefined = undefined,
  TQuery extends z.ZodMiniType | undefined = undefined,
>(
  spec: RouteSpec<TBody, TPath, TQuery>,
  decide: (
    request: RouteRequest<Parsed<TBody>, Parsed<TPath>, Parsed<TQuery>>,
  ) => Promise<HttpResult>,
) => {
  const handler = middy<HttpEvent, HttpResult>()
    .use(httpErrorHandler({ logger }))
    .use(observe())
    .use(requireRole(...spec.roles));
  if (spec.body !== undefined) handler.use(bodyLimit({ maxBytes: spec.maxBodyBytes }));
  handler.use(
    validateRequest({
      body: spec.body,
      pathParameters: spec.path,
      queryStringParameters: spec.query,
      headers: spec.headers,
    }),
  );
  const { streetOf } = spec;
  if (streetOf) {
    handler.use(
      requireScopeOver((event) => {
        const parsed = event as { body: Parsed<TBody>; pathParameters: Parsed<TPath> };
        return streetOf({ body: parsed.body, path: parsed.pathParameters });
      }),
    );
  }
  // Last before the decision: only authorised, valid requests take an idempotency record.
  if (spec.idempotency) handler.use(spec.idempotency);

  return handler.handler(async (event) => {
    const parsed = event as unknown as {
      body: Parsed<TBody>;
      pathParameters: Parsed<TPath>;
      queryStringParameters: Parsed<TQuery>;
    };
    const request = {
      body: parsed.body,
      path: parsed.pathParameters,
      query: parsed.queryStringParameters,
      caller: getCaller(event),
      event,
    };
    if (spec.logKeys) logger.appendKeys(spec.logKeys({ path: request.path }));
    return decide(request);
  });
};
