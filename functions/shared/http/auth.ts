import type { MiddlewareObj } from '@middy/core';
import { ForbiddenError, UnauthorizedError } from '../errors.js';
import { db } from '../clients.js';
import type { ActivityItem } from '../data/items.js';
import { jurisdictionOf, streetMeant } from '../data/jurisdiction.js';
import { STREET_CODE_PATTERN } from '../reference-ids.js';
import { ROLES, type Role, type Street } from '../domain/reference.js';
import type { HttpEvent } from './types.js';

export interface Caller {
  /** Cognito `sub`: the actor of audit events. */
  sub: string;
  roles: Role[];
  /**
   * `custom:street`: the street working committee an organiser is scoped to. Absent for an
   * organiser only when the token names the district explicitly ({@link DISTRICT_SCOPE}): a token
   * without a scope claim, or with one naming no street, carries no organiser rights at all.
   */
  street?: string;
  /**
   * The deputy id this user acts as: `custom:deputyId`, else the `sub` (the local issuer and
   * the demo data use the deputy id as `sub`).
   */
  deputyId: string;
}

/**
 * The value of `custom:street` that makes an organiser district-wide (the standing committee's
 * own office). Scope is never implied: an organiser without the claim is refused (fails closed).
 */
export const DISTRICT_SCOPE = 'DISTRICT';

/** The claim that carries an organiser's scope; only administrators can write it (infra/). */
export const SCOPE_CLAIM = 'custom:street';

/**
 * The street a `custom:street` claim names once {@link resolveScopeClaim} has resolved it
 * against the stored streets: a street code. Undefined when it names none.
 */
export const streetOfClaim = (claim: string | undefined): Street | undefined => {
  const text = claim?.trim();
  return text && text !== DISTRICT_SCOPE && STREET_CODE_PATTERN.test(text) ? text : undefined;
};

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

/**
 * What the scope claim makes of an organiser: district-wide, one street, or nothing (no claim,
 * or a claim that names neither the district nor a street).
 */
const organiserScopeOf = (claim: unknown): { street?: string } | undefined => {
  if (typeof claim !== 'string') return undefined;
  if (claim.trim() === DISTRICT_SCOPE) return {};
  return streetOfClaim(claim) ? { street: claim } : undefined;
};

/** The authenticated caller of an HTTP event, or `UnauthorizedError` when there are no claims. */
export const getCaller = (event: unknown): Caller => {
  const claims = claimsOf(event);
  const sub = claims?.sub;
  if (typeof sub !== 'string' || sub === '') {
    throw new UnauthorizedError('Authentication required');
  }
  const groups = parseGroups(claims?.['cognito:groups']).filter((group): group is Role =>
    (ROLES as readonly string[]).includes(group),
  );
  const claim = claims?.[SCOPE_CLAIM];
  const organiserScope = organiserScopeOf(claim);
  // Fail closed: the organiser group counts only with a scope the token states.
  const roles = organiserScope ? groups : groups.filter((role) => role !== 'organiser');
  const street = organiserScope
    ? organiserScope.street
    : typeof claim === 'string' && claim !== ''
      ? claim
      : undefined;
  const deputyId = claims?.['custom:deputyId'];
  return {
    sub,
    roles,
    ...(street !== undefined ? { street } : {}),
    deputyId: typeof deputyId === 'string' && deputyId !== '' ? deputyId : sub,
  };
};

/** The scope claims resolveScopeClaim removed (naming no street), for the refusal's wording. */
const unknownScopes = new WeakMap<object, unknown>();

/**
 * Resolves the scope claim against the district's stored streets before any role check: a
 * street's code, or its name (with or without 街道/镇), becomes that street's code in the event; a claim
 * that names no stored street is removed, so the organiser group no longer counts (fails
 * closed). `DISTRICT` stays. The streets come from the function's table (`TABLE_NAME`), cached
 * per container; a function without a table resolves nothing.
 */
export const resolveScopeClaim = async (event: unknown): Promise<void> => {
  const claims = claimsOf(event);
  const claim = claims?.[SCOPE_CLAIM];
  if (!claims || claim === undefined || claim === DISTRICT_SCOPE) return;
  const tableName = process.env.TABLE_NAME;
  const street =
    typeof claim === 'string' && tableName
      ? streetMeant(await jurisdictionOf({ db, tableName }), claim)
      : undefined;
  if (street === undefined) {
    delete claims[SCOPE_CLAIM];
    unknownScopes.set(claims, claim);
  } else claims[SCOPE_CLAIM] = street;
};

/** Whether the token carries the organiser group (scoped or not): for the refusal's wording. */
const claimsOrganiser = (event: unknown): boolean =>
  parseGroups(claimsOf(event)?.['cognito:groups']).includes('organiser');

const lacksScope = (event: unknown) => {
  const claims = claimsOf(event);
  const unknown = claims ? unknownScopes.get(claims) : undefined;
  return new ForbiddenError(
    `Organiser rights need a scope: the ${SCOPE_CLAIM} claim must name a street or ${DISTRICT_SCOPE}, ` +
      (unknown === undefined
        ? 'and this token has none'
        : `and this token's ${JSON.stringify(unknown)} names no street of the district (GET /jurisdiction lists them)`),
  );
};

/** 401 without claims; 403 unless the caller holds one of `allowed`. */
export const requireRole = (...allowed: Role[]): MiddlewareObj<unknown> => ({
  before: async (request) => {
    await resolveScopeClaim(request.event);
    const caller = getCaller(request.event);
    if (!caller.roles.some((role) => allowed.includes(role))) {
      if (allowed.includes('organiser') && claimsOrganiser(request.event))
        throw lacksScope(request.event);
      throw new ForbiddenError(
        `This action requires the role ${allowed.join(' or ')}; you have ${
          caller.roles.length ? caller.roles.join(', ') : 'no role'
        }`,
      );
    }
  },
});

/** Whether `caller` is an organiser of the whole district (not scoped to one street). */
export const isDistrictOrganiser = (caller: Caller): boolean =>
  caller.roles.includes('organiser') && caller.street === undefined;

/**
 * 401 without claims; 403 unless the caller is a district-scoped organiser: what may change
 * district-wide data (the reference data every street's referrals and activities rely on).
 */
export const requireDistrictOrganiser = (): MiddlewareObj<unknown> => ({
  before: async (request) => {
    await resolveScopeClaim(request.event);
    const caller = getCaller(request.event);
    if (isDistrictOrganiser(caller)) return;
    if (caller.roles.includes('organiser')) {
      throw new ForbiddenError(
        `Only organisers of the whole district may change reference data; your scope is the street ${caller.street}`,
      );
    }
    if (claimsOrganiser(request.event)) throw lacksScope(request.event);
    throw new ForbiddenError(
      `This action requires the role organiser (district scope); you have ${
        caller.roles.length ? caller.roles.join(', ') : 'no role'
      }`,
    );
  },
});

/**
 * 403 before anything else runs (an idempotent replay included) unless the caller is an
 * organiser whose scope covers the street `streetOf` reads from the event; `streetOf` may answer
 * undefined when the event names no street (validation then refuses the request).
 */
export const requireScopeOver = (
  streetOf: (event: unknown) => string | undefined,
): MiddlewareObj<unknown> => ({
  before: (request) => {
    const caller = getCaller(request.event);
    if (caller.street === undefined) return;
    const street = streetOf(request.event);
    if (street !== undefined && streetOfClaim(caller.street) !== street) {
      throw new ForbiddenError(`You may only act on your own street (${caller.street})`);
    }
  },
});

/** An organiser scoped to a street may only act on activities of that street. */
export const scopeOf = (caller: Caller): Street | 'NONE' | undefined => {
  if (!caller.street) return undefined;
  return streetOfClaim(caller.street) ?? 'NONE';
};

/** Whether `caller` acts on `activity` as an organiser (in scope, if scoped to a street). */
export const isOrganiserOf = (caller: Caller, activity: Pick<ActivityItem, 'street'>): boolean => {
  if (!caller.roles.includes('organiser')) return false;
  const scope = scopeOf(caller);
  return scope === undefined || scope === activity.street;
};
