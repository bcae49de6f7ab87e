import middy, { type MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import type { z } from 'zod/mini';
import { db } from '../clients.js';
import { checkStreets } from '../data/jurisdiction.js';
import type { Role } from '../domain/reference.js';
import { logger } from '../observability.js';
import { observe } from '../observe.js';
import {
  getCaller,
  requireDistrictOrganiser,
  requireRole,
  requireScopeOver,
  type Caller,
} from './auth.js';
import { bodyLimit } from './body-limit.js';
import { httpErrorHandler } from './error-handler.js';
import { logPersonalDataRead } from './personal-data.js';
import { jsonResponse } from './responses.js';
import type { HttpEvent, HttpResult } from './types.js';
import { DISTRICT_ORGANISER, type RouteContract, type RouteKey } from './contract.js';
import { validateRequest } from './validate-request.js';

export { DISTRICT_ORGANISER };

type Parsed<S> = S extends z.ZodMiniType ? z.output<S> : undefined;

/** What a route's decision receives: every part of the request already parsed and checked. */
export interface RouteRequest<TBody, TPath, TQuery> {
  body: TBody;
  path: TPath;
  query: TQuery;
  caller: Caller;
  /** The raw event, for what the schemas do not cover (e.g. the route key). */
  event: HttpEvent;
  /** The Lambda context, for a decision that watches its remaining time. */
  context: Context;
}

/**
 * A route as `httpRoute` takes it: its contract (./contract.ts, declared once in the area's
 * `routes.ts`; a route with a JWT, so not `public`) and what the handler adds to it, which is
 * behaviour rather than data: the scope and street checks, idempotency, the personal-data log.
 */
export interface RouteSpec<
  TBody extends z.ZodMiniType | undefined,
  TPath extends z.ZodMiniType | undefined,
  TQuery extends z.ZodMiniType | undefined,
> extends Omit<RouteContract, 'route' | 'roles' | 'body' | 'path' | 'query'> {
  route: RouteKey;
  roles: readonly Role[] | typeof DISTRICT_ORGANISER;
  body?: TBody;
  path?: TPath;
  query?: TQuery;
  /**
   * The street the request acts on, when the request itself names it (a new activity's
   * street): a street organiser acting on another street gets 403. Checked before the
   * idempotency record, so a replay never hands another street's result back.
   */
  streetOf?: (request: { body: Parsed<TBody>; path: Parsed<TPath> }) => string | undefined;
  /**
   * The street codes the request names, by where they are (`street`, `query.street`): each must
   * be one of the district's stored streets (shared/data/jurisdiction.ts), else 422 naming the
   * field and the code, before the scope check. `inactiveStreets`: a street the district no
   * longer has is accepted too (filters that read the past).
   */
  streets?: (request: {
    body: Parsed<TBody>;
    path: Parsed<TPath>;
    query: Parsed<TQuery>;
  }) => Record<string, string | undefined>;
  inactiveStreets?: boolean;
  /**
   * `idempotentRoute(operation, tableName)` (./idempotent.ts) to honour an `Idempotency-Key`
   * header. Passed in rather than built here so routes without it do not load the idempotency
   * code (cold start).
   */
  idempotency?: MiddlewareObj;
  /**
   * A route whose answer can show residents' names or contacts: who read them is logged
   * (./personal-data.ts) with the route's purpose and the reason the request gives.
   */
  personalData?: {
    purpose: string;
    reasonOf?: (request: { body: Parsed<TBody> }) => string | undefined;
  };
  /**
   * Keys put on every log line of the request (ids, never personal data) besides the path's ids,
   * which are put there without asking (`pathLogKeys`): e.g. the route key of a function that
   * serves several routes.
   */
  logKeys?: (request: { path: Parsed<TPath>; routeKey: string }) => Record<string, string>;
}

/**
 * The log keys every route gets from its validated path: each parameter named `…Id`
 * (`activityId`, `referralId`, …), opaque ids only. Other parameters (a check-in code, a link
 * token) may be secrets and are never logged without the route saying so.
 */
export const pathLogKeys = (path: unknown): Record<string, string> =>
  Object.fromEntries(
    Object.entries(path ?? {}).filter(
      (entry): entry is [string, string] => entry[0].endsWith('Id') && typeof entry[1] === 'string',
    ),
  );

/** The body is optional (`bodyOptional`): no body at all means `{}`. */
const emptyBodyIsEmptyObject = (): MiddlewareObj<unknown> => ({
  before: (request) => {
    const event = request.event as HttpEvent;
    if (event.body === undefined || event.body === null || event.body.trim() === '') {
      event.body = '{}';
      event.isBase64Encoded = false;
      event.headers = { ...event.headers, 'content-type': 'application/json' };
    }
  },
});

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
    .use(
      spec.roles === DISTRICT_ORGANISER ? requireDistrictOrganiser() : requireRole(...spec.roles),
    );
  if (spec.body !== undefined || spec.maxBodyBytes !== undefined) {
    handler.use(bodyLimit({ maxBytes: spec.maxBodyBytes }));
  }
  if (spec.body !== undefined && spec.bodyOptional) handler.use(emptyBodyIsEmptyObject());
  handler.use(
    validateRequest({
      body: spec.body,
      pathParameters: spec.path,
      queryStringParameters: spec.query,
      headers: spec.headers,
      queryIssuePrefix: spec.queryIssuePrefix,
    }),
  );
  const { streets } = spec;
  if (streets) {
    handler.use({
      before: async (request) => {
        const parsed = request.event as unknown as {
          body: Parsed<TBody>;
          pathParameters: Parsed<TPath>;
          queryStringParameters: Parsed<TQuery>;
        };
        const named = streets({
          body: parsed.body,
          path: parsed.pathParameters,
          query: parsed.queryStringParameters,
        });
        const tableName = process.env.TABLE_NAME;
        if (!tableName) throw new Error('A route that checks streets needs TABLE_NAME');
        await checkStreets({ db, tableName }, named, { inactiveToo: spec.inactiveStreets });
      },
    });
  }
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
  // After the idempotency record: its line is written for a replayed answer too.
  const { personalData } = spec;
  if (personalData) {
    handler.use(
      logPersonalDataRead<HttpEvent>({
        logger,
        purpose: personalData.purpose,
        reasonOf: personalData.reasonOf
          ? (event) => personalData.reasonOf!({ body: event.body as Parsed<TBody> })
          : undefined,
      }),
    );
  }

  const routeHandler = handler.handler(async (event, context) => {
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
      context,
    };
    logger.appendKeys({
      ...pathLogKeys(request.path),
      ...spec.logKeys?.({ path: request.path, routeKey: event.routeKey }),
    });
    return decide(request);
  });
  return Object.assign(routeHandler, { route: spec.route });
};

type RouteHandler = (event: HttpEvent, context: Context) => Promise<HttpResult>;

/** A route's handler as `httpRoute` builds it: it knows its contract's route key. */
export type ContractRouteHandler = RouteHandler & { route: RouteKey };

/**
 * One function that serves several routes of the same grants (every reference read, the
 * referral actions): API Gateway has matched the route already, so this dispatches on its
 * `routeKey` ("GET /deputies/{deputyId}") to the `httpRoute` whose contract names it. A route
 * key the function does not serve is a deployment mistake, answered 404.
 */
export const httpRoutes = (routes: readonly ContractRouteHandler[]): RouteHandler => {
  const byKey = new Map<string, RouteHandler>(routes.map((route) => [route.route, route]));
  return async (event, context) => {
    const route = byKey.get(event.routeKey);
    if (!route) return jsonResponse(404, { message: `No route ${event.routeKey}` });
    return route(event, context);
  };
};
