import type { MiddlewareObj } from '@middy/core';
import { ForbiddenError, UnauthorizedError } from '../errors.js';
import { ROLES, type Role } from '../domain/reference.js';
import type { HttpEvent } from './types.js';

export interface Caller {
  /** Cognito `sub`: the actor of audit events. */
  sub: string;
  roles: Role[];
  /** `custom:street`: an organiser scoped to one street working committee. */
  street?: string;
  /**
   * The deputy id this user acts as: `custom:deputyId`, else the `sub` (the local issuer and
   * the demo data use the deputy id as `sub`).
   */
  deputyId: string;
}

type Claims = Record<string, string | number | boolean | string[]>;

const claimsOf = (event: unknown): Claims | undefined =>
  (event as Partial<HttpEvent>).requestContext?.authorizer?.jwt?.claims as Claims | undefined;

/**
 * `cognito:groups` as a list. HTTP APIs flatten array claims into the string "[a b]"; tokens
 * from other issuers (and tests) may carry a JSON array string, a comma list, or a real array.
 */
export const parseGroups = (claim: unknown): string[] => {
  if (Array.isArray(claim)) return claim.map(String);
  if (typeof claim !== 'string') return [];
  const text = claim.trim();
  if (text.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // Not JSON: the API Gateway "[a b]" form, handled below.
    }
  }
  return text
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .map((group) => group.replace(/^"|"$/g, ''))
    .filter(Boolean);
};

/** The authenticated caller of an HTTP event, or `UnauthorizedError` when there are no claims. */
export const getCaller = (event: unknown): Caller => {
  const claims = claimsOf(event);
  const sub = claims?.sub;
  if (typeof sub !== 'string' || sub === '') {
    throw new UnauthorizedError('Authentication required');
  }
  const roles = parseGroups(claims?.['cognito:groups']).filter((group): group is Role =>
    (ROLES as readonly string[]).includes(group),
  );
  const street = claims?.['custom:street'];
  const deputyId = claims?.['custom:deputyId'];
  return {
    sub,
    roles,
    ...(typeof street === 'string' && street !== '' ? { street } : {}),
    deputyId: typeof deputyId === 'string' && deputyId !== '' ? deputyId : sub,
  };
};

/** 401 without claims; 403 unless the caller holds one of `allowed`. */
export const requireRole = (...allowed: Role[]): MiddlewareObj<unknown> => ({
  before: (request) => {
    const caller = getCaller(request.event);
    if (!caller.roles.some((role) => allowed.includes(role))) {
      throw new ForbiddenError(
        `This action requires the role ${allowed.join(' or ')}; you have ${
          caller.roles.length ? caller.roles.join(', ') : 'no role'
        }`,
      );
    }
  },
});
