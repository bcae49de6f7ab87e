// Who a domain function is called by, as requireRole leaves it (functions/shared/http/auth.ts):
// one role, acting as the deputy id of its `sub`, an organiser scoped to a street when one is
// named. Handler tests send claims instead (httpEvent in test/unit/functions/helpers.ts).
import type { Caller } from '../../functions/shared/http/auth';
import type { Role } from '../../functions/shared/domain/reference';

export const asCaller = (role: Role, sub: string, street?: string): Caller => ({
  sub,
  roles: [role],
  ...(street ? { street } : {}),
  deputyId: sub,
});
