export { bodyLimit, DEFAULT_MAX_BODY_BYTES } from './body-limit.js';
export {
  DISTRICT_SCOPE,
  getCaller,
  isDistrictOrganiser,
  parseGroups,
  requireDistrictOrganiser,
  requireRole,
  requireScopeOver,
  SCOPE_CLAIM,
  streetOfClaim,
  type Caller,
} from './auth.js';
export { httpErrorHandler } from './error-handler.js';
export { describeIssues, toFieldIssues } from './issues.js';
export { JSON_CONTENT_TYPE, jsonResponse } from './responses.js';
export type { HttpEvent, HttpResult, ValidatedHttpEvent } from './types.js';
export { validateRequest } from './validate-request.js';
export { bodyText, illFormedFields, refuseIllFormed, wellFormedJson } from './well-formed.js';
export {
  DISTRICT_ORGANISER,
  httpRoute,
  httpRoutes,
  type RouteRequest,
  type RouteSpec,
} from './route.js';
