import type { z } from 'zod/mini';
import type { RouteContract } from '../http/contract.js';

export type { HttpMethod } from '../http/contract.js';

/**
 * One route of the HTTP API as the OpenAPI generator sees it: the route's contract (the same
 * object its handler validates with, from the area's `routes.ts`) and what the document adds, a
 * summary and the answers. Each area keeps its list in `functions/<area>/openapi.ts`.
 */
export interface ApiOperation extends RouteContract {
  summary: string;
  description?: string;
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
