import type { z } from 'zod/mini';
import type { Role } from '../domain/reference.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** API Gateway's route key, as CDK adds the route and as the event names it: `GET /activities`. */
export type RouteKey = `${HttpMethod} /${string}`;

/** `roles` of a route only organisers of the whole district may call (reference data writes). */
export const DISTRICT_ORGANISER = 'district organiser';

/**
 * What a route takes and who may call it, declared once in its area's `routes.ts` and read by
 * three: the handler (`httpRoute` validates with these very schemas), the OpenAPI document (the
 * area's `openapi.ts` adds a summary and the answers) and the CDK construct (which adds the route
 * to the API). `docs/architecture.md` ("Adding a route") shows the recipe.
 *
 * A contract is plain data written `{…} satisfies RouteContract`, so a bundle keeps only the
 * contracts its handler names. Sizes are literal numbers (`8_192`, not `8 * 1024`): esbuild
 * keeps an unused object that computes, and with it every schema the object names.
 */
export interface RouteContract {
  route: RouteKey;
  /**
   * Who may call it; anyone else gets 403 before anything is parsed. `DISTRICT_ORGANISER`:
   * organisers of the whole district only. `public`: no JWT (a page opened from an emailed link
   * or a QR code), with `publicReason` saying why, which the API construct requires.
   */
  roles: readonly Role[] | typeof DISTRICT_ORGANISER | 'public';
  /** Which callers of those roles the decision narrows to (e.g. "invited deputies only"). */
  rolesNote?: string;
  publicReason?: string;
  /** The JSON body (use `z.strictObject`); a route with a body is held to `maxBodyBytes`. */
  body?: z.ZodMiniType;
  /** With `body`: a request without any body is read as `{}` (every field optional). */
  bodyOptional?: boolean;
  /** Content type of a request body that is not JSON (a form, a CSV). */
  contentType?: string;
  path?: z.ZodMiniType;
  query?: z.ZodMiniType;
  /** Where query issues are named: `['query']` answers `query.limit` (default `limit`). */
  queryIssuePrefix?: string[];
  /** Request headers validated (e.g. `Idempotency-Key`). */
  headers?: z.ZodMiniType;
  /**
   * Default 256 KiB (`DEFAULT_MAX_BODY_BYTES`); larger bodies are 413 before parsing. Given
   * without `body`, a route that reads its body itself (a CSV) or takes none is held to it too.
   */
  maxBodyBytes?: number;
}

/**
 * How a street organiser's scope narrows a route (`rolesNote`), worded once: a street organiser
 * reaches only its own street's items, and another street's item is either answered as if it
 * did not exist (404, so a probe learns nothing) or refused (403, for filters naming a street).
 */
export const STREET_SCOPE = {
  hidden: 'an organiser scoped to a street only for that street (another street: 404)',
  hiddenByActivity:
    'an organiser scoped to a street only for the referrals of that street’s activities (another street: 404)',
  refused: 'an organiser scoped to a street only for that street (another street: 403)',
} as const;

/** `POST /activities/{activityId}/cancel` → its method and path. */
export const routeParts = (route: RouteKey): { method: HttpMethod; path: string } => {
  const space = route.indexOf(' ');
  return { method: route.slice(0, space) as HttpMethod, path: route.slice(space + 1) };
};
