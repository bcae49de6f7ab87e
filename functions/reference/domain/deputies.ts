import { startAuditStream, type AuditData } from '../../shared/data/audit.js';
import { keys } from '../../shared/data/keys.js';
import {
  getEmailClaims,
  type DeputyEmailClaimItem,
  type ReferenceDeputyItem,
  type Store,
} from '../../shared/data/reference.js';
import { ConflictError } from '../../shared/errors.js';
import { type Caller } from '../../shared/http/auth.js';
import { newId } from '../../shared/ids.js';
import type { ResidualFilter } from '../../shared/data/merged-pages.js';
import type { CreateDeputyBody, ListDeputiesQuery, UpdateDeputyBody } from '../schemas.js';
import {
  referenceKind,
  auditedChange,
  toHeadChange,
  applyChanges,
  changedFields,
  clock,
  contactScopeOf,
  listOf,
  toView,
  write,
  type ReferenceDeps,
} from './common.js';
import { presentFields } from '../../shared/domain/fields.js';

// --- deputies ---

/** Personal data of a deputy: never written into audit events, only that it changed. */
const PERSONAL = new Set(['name', 'email', 'phone']);
const PERSONAL_MARK = '[personal data]';

const deputyAuditData = (fields: Record<string, unknown>): AuditData =>
  Object.fromEntries(
    Object.entries(fields)
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => [name, PERSONAL.has(name) ? PERSONAL_MARK : value]),
  );

const deputies = referenceKind<ReferenceDeputyItem>('Deputy', keys.deputy);
// The address itself stays out of the message: error messages are logged.
const emailTaken = (path: string, deputyId?: string) =>
  new EmailInUseError(
    `${path}: already the email of ${deputyId ? `deputy ${deputyId}` : 'another deputy'}`,
  );

/** 409: a deputy email must be unique. */
export class EmailInUseError extends ConflictError {
  override readonly name = 'EmailInUseError';
}

/** Contact details of a deputy: shown to a street organiser only for deputies of its street. */
const CONTACT_FIELDS = ['email', 'phone'] as const;

/** A deputy as `caller` may see it: without contact details outside a street organiser's street. */
export const deputyViewFor = (caller: Caller) => (item: ReferenceDeputyItem) => {
  const view = toView(item);
  const scope = contactScopeOf(caller);
  if (scope === undefined || item.street === scope) return view;
  const shown: Record<string, unknown> = { ...view };
  for (const field of CONTACT_FIELDS) delete shown[field];
  return shown as Omit<typeof view, (typeof CONTACT_FIELDS)[number]>;
};

export const readDeputy = async (deps: Store, deputyId: string, caller: Caller) => {
  return deputyViewFor(caller)(await deputies.get(deps, deputyId));
};

/**
 * The picker's filters on what one page of deputies reads: street and group are attributes, a
 * level is that of one of the (at most two) seats.
 */
export const deputyFilterOf = (query: ListDeputiesQuery): ResidualFilter | undefined => {
  const conditions: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  if (query.street !== undefined) {
    names['#street'] = 'street';
    values[':street'] = query.street;
    conditions.push('#street = :street');
  }
  if (query.group !== undefined) {
    names['#group'] = 'group';
    values[':group'] = query.group;
    conditions.push('#group = :group');
  }
  if (query.level !== undefined) {
    names['#seats'] = 'seats';
    names['#level'] = 'level';
    values[':level'] = query.level;
    // Parenthesised only when joined with another condition (here or `active` in queryPage):
    // DynamoDB refuses redundant parentheses.
    const joined = conditions.length > 0 || query.active !== undefined;
    const either = '#seats[0].#level = :level OR #seats[1].#level = :level';
    conditions.push(joined ? `(${either})` : either);
  }
  return conditions.length === 0
    ? undefined
    : { expression: conditions.join(' AND '), names, values };
};

export const listDeputies = (deps: Store, query: ListDeputiesQuery, caller: Caller) =>
  listOf(
    deps,
    keys.deputiesByName(query.name),
    query,
    caller,
    deputyViewFor(caller),
    deputyFilterOf(query),
  );

export const emailClaimItem = (email: string, deputyId: string): DeputyEmailClaimItem => ({
  ...keys.deputyEmail(email),
  entity: 'DEPUTY_EMAIL',
  deputyId,
});

/** A new deputy item from validated input (used by create and by the CSV import). */
export const newDeputyItem = (
  input: CreateDeputyBody,
  deputyId: string,
  at: string,
): Omit<ReferenceDeputyItem, 'auditSeq' | 'auditHash'> => ({
  ...keys.deputy(deputyId),
  // A guest of another district is listed apart: the roster never holds them.
  ...(input.guest
    ? keys.guestDeputyListing(input.guest.district, input.name, deputyId)
    : keys.deputyListing(input.name, deputyId)),
  entity: 'DEPUTY',
  id: deputyId,
  name: input.name,
  email: input.email,
  seats: input.seats,
  ...presentFields(input, ['group', 'street', 'liaisonStation', 'guest', 'phone', 'language']),
  active: input.active,
  createdAt: at,
  updatedAt: at,
});

export const deputyCreatedEvent = (input: CreateDeputyBody, extra: Record<string, unknown> = {}) =>
  deputyAuditData({ ...input, ...extra });

export const createDeputy = async (
  deps: ReferenceDeps,
  input: CreateDeputyBody,
  caller: Caller,
) => {
  const claimed = (await getEmailClaims(deps, [input.email])).get(input.email);
  if (claimed) throw emailTaken('email', claimed);

  const now = clock(deps);
  const at = now.toISOString();
  const id = (deps.newId ?? newId)(now);
  const head = newDeputyItem(input, id, at);
  const { items } = startAuditStream({
    tableName: deps.tableName,
    streamId: keys.auditStreamOfDeputy(id),
    head,
    event: {
      at,
      actor: caller.sub,
      action: 'DEPUTY_CREATED',
      before: null,
      after: deputyCreatedEvent(input),
    },
  });
  await write(
    deps,
    [
      ...items,
      {
        Put: {
          TableName: deps.tableName,
          Item: emailClaimItem(input.email, id),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ],
    { [items.length]: () => emailTaken('email') },
  );
  return toView({ ...head, auditSeq: 1, auditHash: '' });
};

export const updateDeputy = /* @__PURE__ */ deputies.updater(
  'DEPUTY_UPDATED',
  async (deps, deputyId, patch: UpdateDeputyBody, caller, action) => {
    const current = await deputies.get(deps, deputyId);
    const changes = changedFields(current, patch);
    if (changes.length === 0) return toView(current);

    const at = clock(deps).toISOString();
    const extra: Record<string, unknown> = {};
    if (patch.name !== undefined && patch.name !== current.name) {
      Object.assign(extra, keys.deputyListing(patch.name, deputyId));
    }
    const emailChange =
      patch.email !== undefined && patch.email !== current.email.toLowerCase()
        ? patch.email
        : undefined;
    if (emailChange) {
      const claimed = (await getEmailClaims(deps, [emailChange])).get(emailChange);
      if (claimed && claimed !== deputyId) throw emailTaken('email', claimed);
    }

    const before = Object.fromEntries(
      changes.map(([name]) => [
        name,
        (current as unknown as Record<string, unknown>)[name] ?? null,
      ]),
    );
    const items = auditedChange({
      tableName: deps.tableName,
      streamId: keys.auditStreamOfDeputy(deputyId),
      item: current,
      change: toHeadChange(changes, at, extra),
      action,
      actor: caller.sub,
      at,
      before: deputyAuditData(before),
      after: deputyAuditData(Object.fromEntries(changes)),
    });
    const conflicts: Record<number, () => Error> = {};
    if (emailChange) {
      conflicts[items.length] = () => emailTaken('email');
      items.push(
        {
          Put: {
            TableName: deps.tableName,
            Item: emailClaimItem(emailChange, deputyId),
            ConditionExpression: 'attribute_not_exists(pk) OR #deputyId = :deputyId',
            ExpressionAttributeNames: { '#deputyId': 'deputyId' },
            ExpressionAttributeValues: { ':deputyId': deputyId },
          },
        },
        {
          Delete: {
            TableName: deps.tableName,
            Key: keys.deputyEmail(current.email),
            ConditionExpression: 'attribute_not_exists(pk) OR #deputyId = :deputyId',
            ExpressionAttributeNames: { '#deputyId': 'deputyId' },
            ExpressionAttributeValues: { ':deputyId': deputyId },
          },
        },
      );
    }
    await write(deps, items, conflicts);
    return toView(applyChanges(current, changes, at, extra));
  },
);

export const deactivateDeputy = /* @__PURE__ */ deputies.deactivate(
  updateDeputy,
  'DEPUTY_DEACTIVATED',
);
