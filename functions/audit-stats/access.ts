import { ForbiddenError, NotFoundError } from '../shared/errors.js';
import { scopeOf, type Caller } from '../shared/http/auth.js';

/**
 * The street a statistics request may read: auditors any (or all); an organiser scoped to a
 * street only that one (asking for another is 403); a district organiser any.
 */
export const statisticsStreetFor = (
  caller: Caller,
  requested: string | undefined,
): string | undefined => {
  if (caller.roles.includes('auditor')) return requested;
  if (!caller.roles.includes('organiser')) {
    throw new ForbiddenError('Statistics are for auditors and organisers');
  }
  const scope = scopeOf(caller);
  if (scope === undefined) return requested;
  if (scope === 'NONE' || (requested !== undefined && requested !== scope)) {
    throw new ForbiddenError('An organiser reads the statistics of their own street only');
  }
  return scope;
};

/**
 * Who may read a deputy's duty record, and narrowed to which street: auditors and district
 * organisers all of it, an organiser scoped to a street that street's activities, a deputy
 * only their own (another's is 404, as a record that does not exist).
 */
export const dutyScopeFor = (caller: Caller, deputyId: string): { street?: string } => {
  if (caller.roles.includes('auditor')) return {};
  if (caller.roles.includes('organiser')) {
    const scope = scopeOf(caller);
    if (scope === 'NONE') throw new NotFoundError(`Duty record of ${deputyId} not found`);
    return scope === undefined ? {} : { street: scope };
  }
  if (caller.roles.includes('deputy') && caller.deputyId === deputyId) return {};
  throw new NotFoundError(`Duty record of ${deputyId} not found`);
};
