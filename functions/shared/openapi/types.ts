import type { z } from 'zod/mini';
import type { Role } from '../domain/reference.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * One route of the HTTP API as the OpenAPI generator sees it: the zod schemas its handler
 * validates with (the same objects, imported from the area's `schemas.ts`) and who may call it.
 * Each area keeps its list in `functions/<area>/openapi.ts`, beside its schemas.
 */
export interface ApiOperation {
  method: HttpMethod;
  /** The route path as in CDK (`/activities/{activityId}`). */
  path: string;
  summary: string;
  description?: string;
  /** The roles (Cognito groups) the handler admits, or `public` for a route without the JWT. */
  roles: readonly Role[] | 'public';
  /** Which callers of those roles the handler narrows to (e.g. "invited deputies only"). */
  rolesNote?: string;
  body?: z.ZodMiniType;
  /** Content type of the request body when not JSON. */
  contentType?: string;
  params?: z.ZodMiniType;
  query?: z.ZodMiniType;
  /** Request headers the handler validates (e.g. `Idempotency-Key`). */
  headers?: z.ZodMiniType;
  /** The body of the success (2xx) answer, when described by a schema. */
  responseBody?: z.ZodMiniType;
  /** Status code → what the answer holds. */
  responses: Record<number, string>;
  /** Content type of the success response when not JSON (e.g. the check-in page's HTML). */
  responseContentType?: string;
  /**
   * Content types the success response takes instead of JSON when the request asks for them
   * (e.g. `text/csv` with `format=csv`), beside `responseBody`.
   */
  alternativeContentTypes?: readonly string[];
}

/** The operations of one area, under one OpenAPI tag. */
export interface ApiArea {
  tag: string;
  description: string;
  operations: readonly ApiOperation[];
}
