import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import {
  appendAuditEvent,
  startAuditStream,
  type AuditData,
  type HeadChange,
} from '../shared/data/audit.js';
import { keys, type KeyQuery, type PrimaryKey } from '../shared/data/keys.js';
import {
  getEmailClaims,
  getItem,
  listRoutingRules,
  queryPage,
  routingRuleId,
  type AuditedHead,
  type CommitteeItem,
  type DepartmentItem,
  type DeputyEmailClaimItem,
  type Page,
  type ReferenceDeputyItem,
  type RoutingRuleItem,
  type Store,
} from '../shared/data/reference.js';
import type { ResidualFilter } from '../shared/data/merged-pages.js';
import { writeTransaction } from '../shared/data/transact.js';
import {
  FINDING_CATEGORIES,
  type FindingCategory,
  type Street,
} from '../shared/domain/reference.js';
import type { ANY_STREET } from '../shared/domain/routing.js';
import {
  ConcurrentModificationError,
  ConflictError,
  NotFoundError,
  ValidationError,
} from '../shared/errors.js';
import { streetOfClaim, type Caller } from '../shared/http/auth.js';
import { newId } from '../shared/ids.js';
import {
  settleEmailChangeNotice,
  type EmailChangeNotice,
  type NoticeDeps,
  type NoticeStatus,
} from './email-change-notice.js';
import type {
  CreateCommitteeBody,
  CreateDepartmentBody,
  CreateDeputyBody,
  CreateRoutingRuleBody,
  ListDeputiesQuery,
  ListQuery,
  UpdateCommitteeBody,
  UpdateDepartmentBody,
  UpdateDeputyBody,
  UpdateRoutingRuleBody,
} from './schemas.js';
import { unknownReferenceMessage } from '../shared/reference-ids.js';

/**
 * Reference data as plain functions over a store. Every change is one TransactWriteItems: the
 * item (the head of its own audit stream, see `shared/data/reference.ts`), its next hash-chained
 * audit event and, for deputies, the email claim that keeps addresses unique. Nothing is ever
 * deleted: activities and referrals refer to these items, so they are deactivated instead.
 */

export interface ReferenceDeps extends Store {
  now?: () => Date;
  newId?: (now: Date) => string;
  /**
   * How a department's previous addresses are told of a change (SES through the at-most-once
   * path). Without it a change is still recorded with its notice, which stays pending.
   */
  notices?: Omit<NoticeDeps, keyof Store>;
}

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const clock = (deps: ReferenceDeps) => (deps.now ?? (() => new Date()))();

const INTERNAL = new Set([
  'pk',
  'sk',
  'listPk',
  'listSk',
  'entity',
  'auditSeq',
  'auditHash',
  'emailChangeNotice',
  'auditAt',
]);

/** What the API shows of a reference item: its own fields, not keys or audit internals. */
export const toView = <T extends object>(item: T) =>
  Object.fromEntries(Object.entries(item).filter(([name]) => !INTERNAL.has(name))) as Omit<
    T,
    | 'pk'
    | 'sk'
    | 'listPk'
    | 'listSk'
    | 'entity'
    | 'auditSeq'
    | 'auditHash'
    | 'emailChangeNotice'
    | 'auditAt'
  >;

// --- transactions and their failures ---

const cancellationCodes = (error: unknown): string[] => {
  const cause = (error as { cause?: { CancellationReasons?: { Code?: string }[] } }).cause;
  return (cause?.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
};

/**
 * Writes one transaction. When a condition fails, `conflicts[i]` (if given) names what the
 * condition of entry `i` protects, and becomes the 409; otherwise the lost race is a 409 that
 * asks to retry.
 */
const write = async (
  deps: ReferenceDeps,
  items: TransactItem[],
  conflicts: Record<number, () => Error> = {},
) => {
  try {
    await writeTransaction(deps.db, items);
  } catch (error) {
    if (error instanceof ConcurrentModificationError) {
      const codes = cancellationCodes(error);
      for (const [index, code] of codes.entries()) {
        const conflict = conflicts[index];
        if (code === 'ConditionalCheckFailed' && conflict) throw conflict();
      }
      throw new ConcurrentModificationError(
        'The item was changed by someone else at the same time; read it again and retry',
        { cause: error },
      );
    }
    throw error;
  }
};

interface AuditedChange {
  tableName: string;
  streamId: string;
  item: PrimaryKey & Partial<AuditedHead>;
  change: HeadChange;
  action: string;
  actor: string;
  at: string;
  before: AuditData;
  after: AuditData;
}

/** The head update and its next audit event (seeded items start at seq 0, genesis hash). */
const auditedChange = (params: AuditedChange) =>
  appendAuditEvent({
    tableName: params.tableName,
    streamId: params.streamId,
    head: {
      key: { pk: params.item.pk, sk: params.item.sk },
      seq: params.item.auditSeq ?? 0,
      hash: params.item.auditHash ?? '0'.repeat(64),
      at: params.item.auditAt,
    },
    change: params.change,
    event: {
      at: params.at,
      actor: params.actor,
      action: params.action,
      before: params.before,
      after: params.after,
    },
  }).items;

/** Fields of `patch` whose value differs from `current` (deep, JSON-wise). */
const changedFields = <T extends object>(current: T, patch: Record<string, unknown>) =>
  Object.entries(patch).filter(
    ([name, value]) =>
      value !== undefined &&
      JSON.stringify(value) !== JSON.stringify((current as Record<string, unknown>)[name] ?? null),
  ) as [string, unknown][];

/** `SET` for values, `REMOVE` for `null` (an optional field cleared). */
const toHeadChange = (changes: [string, unknown][], at: string, extra: Record<string, unknown>) => {
  const set: Record<string, unknown> = { ...extra, updatedAt: at };
  const remove: string[] = [];
  for (const [name, value] of changes) {
    if (value === null) remove.push(name);
    else set[name] = value;
  }
  return { set, remove };
};

/**
 * Creates a reference item with the first event of its own audit stream (`before: null`).
 * `conflicts` as for {@link write} (entry 0 is the item's own put).
 */
const writeCreated = async <T extends PrimaryKey & { createdAt: string }>(
  deps: ReferenceDeps,
  created: { head: T; streamId: string; action: string; caller: Caller; after: AuditData },
  conflicts: Record<number, () => Error> = {},
) => {
  const { items } = startAuditStream({
    tableName: deps.tableName,
    streamId: created.streamId,
    head: created.head as T & Record<string, unknown>,
    event: {
      at: created.head.createdAt,
      actor: created.caller.sub,
      action: created.action,
      before: null,
      after: created.after,
    },
  });
  await write(deps, items, conflicts);
  return toView({ ...created.head, auditSeq: 1, auditHash: '' });
};

/**
 * Writes the `changes` of a reference item (and `extra`, e.g. its new listing key) with the
 * audit event that records each changed field before and after; returns the item as it now is.
 */
const writePatch = async <T extends PrimaryKey & Partial<AuditedHead>>(
  deps: ReferenceDeps,
  current: T,
  changes: [string, unknown][],
  patch: { streamId: string; action: string; caller: Caller; extra?: Record<string, unknown> },
) => toView(await writeChanges(deps, current, changes, patch));

/** {@link writePatch}, answering the item as now stored (internal fields included). */
const writeChanges = async <T extends PrimaryKey & Partial<AuditedHead>>(
  deps: ReferenceDeps,
  current: T,
  changes: [string, unknown][],
  patch: { streamId: string; action: string; caller: Caller; extra?: Record<string, unknown> },
): Promise<T> => {
  const at = clock(deps).toISOString();
  const extra = patch.extra ?? {};
  const items = auditedChange({
    tableName: deps.tableName,
    streamId: patch.streamId,
    item: current,
    change: toHeadChange(changes, at, extra),
    action: patch.action,
    actor: patch.caller.sub,
    at,
    before: Object.fromEntries(
      changes.map(([name]) => [name, (current as Record<string, unknown>)[name] ?? null]),
    ),
    after: Object.fromEntries(changes),
  });
  await write(deps, items);
  return { ...applyChanges(current, changes, at, extra), auditSeq: (current.auditSeq ?? 0) + 1 };
};

/**
 * The street whose deputies' contact details a reader may see: undefined (every deputy's) for
 * auditors and district organisers, the organiser's own street otherwise. A street claim that
 * names no street sees none (getCaller refuses such an organiser before this anyway).
 */
export const contactScopeOf = (caller: Caller): Street | 'NONE' | undefined => {
  if (caller.roles.includes('auditor') || caller.street === undefined) return undefined;
  return streetOfClaim(caller.street) ?? 'NONE';
};

/** What a list cursor is bound to besides the query: the reader's scope. */
const readScopeOf = (caller: Caller): string =>
  caller.roles.includes('auditor')
    ? 'AUDITOR'
    : caller.street === undefined
      ? 'DISTRICT'
      : `STREET#${contactScopeOf(caller)}`;

const listOf = async <T extends object, V>(
  deps: Store,
  query: KeyQuery,
  options: ListQuery,
  caller: Caller,
  view: (item: T) => V,
  filter?: ResidualFilter,
) => {
  const page: Page<T> = await queryPage<T>(deps, query, {
    ...options,
    scope: readScopeOf(caller),
    filter,
  });
  return {
    items: page.items.map(view),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  };
};

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

const deputyNotFound = (deputyId: string) => new NotFoundError(`Deputy ${deputyId} not found`);
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
  const item = await getItem<ReferenceDeputyItem>(deps, keys.deputy(deputyId));
  if (!item) throw deputyNotFound(deputyId);
  return deputyViewFor(caller)(item);
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
  ...(input.group ? { group: input.group } : {}),
  ...(input.street ? { street: input.street } : {}),
  ...(input.liaisonStation ? { liaisonStation: input.liaisonStation } : {}),
  ...(input.guest ? { guest: input.guest } : {}),
  ...(input.phone ? { phone: input.phone } : {}),
  ...(input.language ? { language: input.language } : {}),
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

export const updateDeputy = async (
  deps: ReferenceDeps,
  deputyId: string,
  patch: UpdateDeputyBody,
  caller: Caller,
  action = 'DEPUTY_UPDATED',
) => {
  const current = await getItem<ReferenceDeputyItem>(deps, keys.deputy(deputyId));
  if (!current) throw deputyNotFound(deputyId);
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
    changes.map(([name]) => [name, (current as unknown as Record<string, unknown>)[name] ?? null]),
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
};

const applyChanges = <T extends object>(
  current: T,
  changes: [string, unknown][],
  at: string,
  extra: Record<string, unknown>,
): T => {
  const next: Record<string, unknown> = { ...current, ...extra, updatedAt: at };
  for (const [name, value] of changes) {
    if (value === null) delete next[name];
    else next[name] = value;
  }
  return next as T;
};

const alreadyInactive = (what: string) => new ConflictError(`${what} is already inactive`);

export const deactivateDeputy = async (deps: ReferenceDeps, deputyId: string, caller: Caller) => {
  const current = await getItem<ReferenceDeputyItem>(deps, keys.deputy(deputyId));
  if (!current) throw deputyNotFound(deputyId);
  if (!current.active) throw alreadyInactive(`Deputy ${deputyId}`);
  return updateDeputy(deps, deputyId, { active: false }, caller, 'DEPUTY_DEACTIVATED');
};

// --- departments ---

const departmentNotFound = (id: string) => new NotFoundError(`Department ${id} not found`);

export const readDepartment = async (deps: Store, departmentId: string) => {
  const item = await getItem<DepartmentItem>(deps, keys.department(departmentId));
  if (!item) throw departmentNotFound(departmentId);
  return toView(item);
};

export const listDepartments = (deps: Store, query: ListQuery, caller: Caller) =>
  listOf(deps, keys.departmentsByName(), query, caller, toView<DepartmentItem>);

export const createDepartment = async (
  deps: ReferenceDeps,
  input: CreateDepartmentBody,
  caller: Caller,
) => {
  const now = clock(deps);
  const at = now.toISOString();
  const id = (deps.newId ?? newId)(now);
  const head: Omit<DepartmentItem, 'auditSeq' | 'auditHash'> = {
    ...keys.department(id),
    ...keys.departmentListing(input.name, id),
    entity: 'DEPARTMENT',
    id,
    name: input.name,
    emails: input.emails,
    categories: input.categories,
    active: input.active,
    createdAt: at,
    updatedAt: at,
  };
  return writeCreated(deps, {
    head,
    streamId: keys.auditStreamOfDepartment(id),
    action: 'DEPARTMENT_CREATED',
    caller,
    after: { ...input },
  });
};

const rulesTargeting = async (deps: Store, departmentId: string) =>
  (await listRoutingRules(deps)).filter(
    (rule) => rule.active && rule.departmentId === departmentId,
  );

type NotedDepartment = DepartmentItem & { emailChangeNotice?: EmailChangeNotice };

/** Sends a department's recorded email change notice (when SES is configured). */
const settleNotice = (deps: ReferenceDeps, department: NotedDepartment) =>
  department.emailChangeNotice && deps.notices
    ? settleEmailChangeNotice(
        { ...deps.notices, db: deps.db, tableName: deps.tableName },
        department,
      )
    : Promise.resolve(department.emailChangeNotice ? ('PENDING' as const) : undefined);

const withNotice = <T extends object>(view: T, status: NoticeStatus | undefined) =>
  status ? { ...view, emailChangeNotice: status } : view;

export const updateDepartment = async (
  deps: ReferenceDeps,
  departmentId: string,
  patch: UpdateDepartmentBody,
  caller: Caller,
  action = 'DEPARTMENT_UPDATED',
) => {
  const found = await getItem<NotedDepartment>(deps, keys.department(departmentId));
  if (!found) throw departmentNotFound(departmentId);
  // A notice still owed from an earlier change goes out first (a retried request sends it).
  const owed = await settleNotice(deps, found);
  const current: NotedDepartment =
    owed === 'SENT' ? { ...found, emailChangeNotice: undefined } : found;
  const changes = changedFields(current, patch);
  if (changes.length === 0) return withNotice(toView(current), owed);

  // A department must keep handling what active rules route to it, and stay active while any do.
  if (patch.categories !== undefined || patch.active === false) {
    const rules = await rulesTargeting(deps, departmentId);
    if (patch.active === false && rules.length > 0) {
      throw new ConflictError(
        `Department ${departmentId} is the target of active routing rules ${rules
          .map((rule) => rule.id)
          .join(', ')}: deactivate or reassign them first`,
      );
    }
    const dropped = rules.filter((rule) => !patch.categories?.includes(rule.category));
    if (patch.categories !== undefined && dropped.length > 0) {
      throw new ValidationError(
        `Invalid categories: active routing rules ${dropped.map((rule) => rule.id).join(', ')} route these categories to this department`,
        [
          {
            path: 'categories',
            message: `must keep ${[...new Set(dropped.map((rule) => rule.category))].join(', ')}`,
          },
        ],
      );
    }
  }

  // A change of the addresses is its own audit action, and the previous addresses (with those
  // of a notice still owed) are told, in the same transaction as the change.
  const emailsChanged = changes.some(([name]) => name === 'emails');
  const extra: Record<string, unknown> = {};
  if (patch.name !== undefined && patch.name !== current.name) {
    Object.assign(extra, keys.departmentListing(patch.name, departmentId));
  }
  if (emailsChanged && patch.emails) {
    const notice: EmailChangeNotice = {
      seq: (current.auditSeq ?? 0) + 1,
      at: clock(deps).toISOString(),
      previous: [...new Set([...(current.emailChangeNotice?.previous ?? []), ...current.emails])],
      current: patch.emails,
    };
    extra.emailChangeNotice = notice;
  }
  const updated = await writeChanges(deps, current, changes, {
    streamId: keys.auditStreamOfDepartment(departmentId),
    action: emailsChanged && action === 'DEPARTMENT_UPDATED' ? 'DEPARTMENT_EMAILS_CHANGED' : action,
    caller,
    extra,
  });
  return withNotice(toView(updated), await settleNotice(deps, updated));
};

export const deactivateDepartment = async (
  deps: ReferenceDeps,
  departmentId: string,
  caller: Caller,
) => {
  const current = await getItem<DepartmentItem>(deps, keys.department(departmentId));
  if (!current) throw departmentNotFound(departmentId);
  if (!current.active) throw alreadyInactive(`Department ${departmentId}`);
  return updateDepartment(deps, departmentId, { active: false }, caller, 'DEPARTMENT_DEACTIVATED');
};

// --- committees ---

const committeeNotFound = (id: string) => new NotFoundError(`Committee ${id} not found`);

export const readCommittee = async (deps: Store, committeeId: string) => {
  const item = await getItem<CommitteeItem>(deps, keys.committee(committeeId));
  if (!item) throw committeeNotFound(committeeId);
  return toView(item);
};

export const listCommittees = (deps: Store, query: ListQuery, caller: Caller) =>
  listOf(deps, keys.committeesByName(), query, caller, toView<CommitteeItem>);

export const createCommittee = async (
  deps: ReferenceDeps,
  input: CreateCommitteeBody,
  caller: Caller,
) => {
  const now = clock(deps);
  const at = now.toISOString();
  const id = (deps.newId ?? newId)(now);
  const head: Omit<CommitteeItem, 'auditSeq' | 'auditHash'> = {
    ...keys.committee(id),
    ...keys.committeeListing(input.name, id),
    entity: 'COMMITTEE',
    id,
    name: input.name,
    emails: input.emails,
    active: input.active,
    createdAt: at,
    updatedAt: at,
  };
  return writeCreated(deps, {
    head,
    streamId: keys.auditStreamOfCommittee(id),
    action: 'COMMITTEE_CREATED',
    caller,
    after: { ...input },
  });
};

export const updateCommittee = async (
  deps: ReferenceDeps,
  committeeId: string,
  patch: UpdateCommitteeBody,
  caller: Caller,
  action = 'COMMITTEE_UPDATED',
) => {
  const current = await getItem<CommitteeItem>(deps, keys.committee(committeeId));
  if (!current) throw committeeNotFound(committeeId);
  const changes = changedFields(current, patch);
  if (changes.length === 0) return toView(current);
  return writePatch(deps, current, changes, {
    streamId: keys.auditStreamOfCommittee(committeeId),
    action,
    caller,
    ...(patch.name !== undefined && patch.name !== current.name
      ? { extra: { ...keys.committeeListing(patch.name, committeeId) } }
      : {}),
  });
};

export const deactivateCommittee = async (
  deps: ReferenceDeps,
  committeeId: string,
  caller: Caller,
) => {
  const current = await getItem<CommitteeItem>(deps, keys.committee(committeeId));
  if (!current) throw committeeNotFound(committeeId);
  if (!current.active) throw alreadyInactive(`Committee ${committeeId}`);
  return updateCommittee(deps, committeeId, { active: false }, caller, 'COMMITTEE_DEACTIVATED');
};

// --- routing rules ---

type RuleRef = { category: FindingCategory; street: Street | typeof ANY_STREET };

const ruleNotFound = (ruleId: string) => new NotFoundError(`Routing rule ${ruleId} not found`);

export const readRoutingRule = async (deps: Store, rule: RuleRef) => {
  const item = await getItem<RoutingRuleItem>(deps, keys.routingRule(rule.category, rule.street));
  if (!item) throw ruleNotFound(routingRuleId(rule.category, rule.street));
  return toView(item);
};

export const listRoutingRulePage = (deps: Store, query: ListQuery, caller: Caller) =>
  listOf(deps, keys.routingRules(), query, caller, toView<RoutingRuleItem>);

/** A rule may only route to an active department that handles the rule's category. */
const checkTarget = async (deps: Store, departmentId: string, category: FindingCategory) => {
  const department = await getItem<DepartmentItem>(deps, keys.department(departmentId));
  const problem = !department
    ? unknownReferenceMessage('department', departmentId)
    : !department.active
      ? `department ${departmentId} is not active`
      : !department.categories.includes(category)
        ? `department ${departmentId} does not handle ${category} (${FINDING_CATEGORIES[category].zh}); add it to the department's categories first`
        : undefined;
  if (problem) {
    throw new ValidationError(`Invalid departmentId: ${problem}`, [
      { path: 'departmentId', message: problem },
    ]);
  }
};

export const createRoutingRule = async (
  deps: ReferenceDeps,
  input: CreateRoutingRuleBody,
  caller: Caller,
) => {
  const id = routingRuleId(input.category, input.street);
  const exists = () =>
    new ConflictError(
      `A routing rule for ${id} exists already: change it with PATCH /routing-rules/${id}`,
    );
  if (await getItem<RoutingRuleItem>(deps, keys.routingRule(input.category, input.street))) {
    throw exists();
  }
  await checkTarget(deps, input.departmentId, input.category);
  const at = clock(deps).toISOString();
  const head: Omit<RoutingRuleItem, 'auditSeq' | 'auditHash'> = {
    ...keys.routingRule(input.category, input.street),
    entity: 'ROUTING_RULE',
    id,
    category: input.category,
    street: input.street,
    departmentId: input.departmentId,
    active: input.active,
    createdAt: at,
    updatedAt: at,
  };
  return writeCreated(
    deps,
    {
      head,
      streamId: keys.auditStreamOfRoutingRule(input.category, input.street),
      action: 'ROUTING_RULE_CREATED',
      caller,
      after: { ...input },
    },
    { 0: exists },
  );
};

export const updateRoutingRule = async (
  deps: ReferenceDeps,
  rule: RuleRef,
  patch: UpdateRoutingRuleBody,
  caller: Caller,
  action = 'ROUTING_RULE_UPDATED',
) => {
  const current = await getItem<RoutingRuleItem>(
    deps,
    keys.routingRule(rule.category, rule.street),
  );
  if (!current) throw ruleNotFound(routingRuleId(rule.category, rule.street));
  const changes = changedFields(current, patch);
  if (changes.length === 0) return toView(current);
  const target = patch.departmentId ?? current.departmentId;
  if (patch.departmentId !== undefined || patch.active === true) {
    await checkTarget(deps, target, current.category);
  }
  return writePatch(deps, current, changes, {
    streamId: keys.auditStreamOfRoutingRule(rule.category, rule.street),
    action,
    caller,
  });
};

export const deactivateRoutingRule = async (deps: ReferenceDeps, rule: RuleRef, caller: Caller) => {
  const current = await getItem<RoutingRuleItem>(
    deps,
    keys.routingRule(rule.category, rule.street),
  );
  if (!current) throw ruleNotFound(routingRuleId(rule.category, rule.street));
  if (!current.active) throw alreadyInactive(`Routing rule ${current.id}`);
  return updateRoutingRule(deps, rule, { active: false }, caller, 'ROUTING_RULE_DEACTIVATED');
};
