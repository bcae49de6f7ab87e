import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import {
  appendAuditEvent,
  startAuditStream,
  type AuditData,
  type HeadChange,
} from '../../shared/data/audit.js';
import { type KeyQuery, type ListingKey, type PrimaryKey } from '../../shared/data/keys.js';
import {
  getItem,
  queryPage,
  type AuditedHead,
  type Page,
  type Store,
} from '../../shared/data/reference.js';
import type { ResidualFilter } from '../../shared/data/merged-pages.js';
import { writeTransaction } from '../../shared/data/transact.js';
import { type Street } from '../../shared/domain/reference.js';
import { ConcurrentModificationError, ConflictError, NotFoundError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { streetOfClaim, type Caller } from '../../shared/http/auth.js';
import { type NoticeDeps } from '../email-change-notice.js';
import type { ListQuery } from '../schemas.js';

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

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export const clock = (deps: ReferenceDeps) => (deps.now ?? (() => new Date()))();

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
export const write = async (
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
export const auditedChange = (params: AuditedChange) =>
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
export const changedFields = <T extends object>(current: T, patch: Record<string, unknown>) =>
  Object.entries(patch).filter(
    ([name, value]) =>
      value !== undefined &&
      JSON.stringify(value) !== JSON.stringify((current as Record<string, unknown>)[name] ?? null),
  ) as [string, unknown][];

/** `SET` for values, `REMOVE` for `null` (an optional field cleared). */
export const toHeadChange = (
  changes: [string, unknown][],
  at: string,
  extra: Record<string, unknown>,
) => {
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
export const writeCreated = async <T extends PrimaryKey & { createdAt: string }>(
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
export const writePatch = async <T extends PrimaryKey & Partial<AuditedHead>>(
  deps: ReferenceDeps,
  current: T,
  changes: [string, unknown][],
  patch: { streamId: string; action: string; caller: Caller; extra?: Record<string, unknown> },
) => toView(await writeChanges(deps, current, changes, patch));

/** {@link writePatch}, answering the item as now stored (internal fields included). */
export const writeChanges = async <T extends PrimaryKey & Partial<AuditedHead>>(
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
export const readScopeOf = (caller: Caller): string =>
  caller.roles.includes('auditor')
    ? 'AUDITOR'
    : caller.street === undefined
      ? 'DISTRICT'
      : `STREET#${contactScopeOf(caller)}`;

export const listOf = async <T extends object, V>(
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

export const applyChanges = <T extends object>(
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

export const alreadyInactive = (what: string) => new ConflictError(`${what} is already inactive`);

type Update<Ref, Patch, R> = (
  deps: ReferenceDeps,
  ref: Ref,
  patch: Patch,
  caller: Caller,
  action: string,
) => Promise<R>;

/**
 * One kind of reference item, found by its reference (an id, or a rule's category and street):
 * `find` reads it, `get` answers 404 naming it when it is not on file.
 *
 * Building a kind, and its `updater` and `deactivate`, only makes functions: the annotations tell
 * esbuild so, and a bundle that never updates (read-reference) leaves the update paths out, and
 * with them the department email change notice, SES and the MIME code it would otherwise parse at
 * every cold start (docs/performance.md "Cold start").
 */
export const referenceKind = /* @__NO_SIDE_EFFECTS__ */ <
  T extends { id: string; active: boolean },
  Ref = string,
>(
  what: string,
  keyOf: (ref: Ref) => PrimaryKey,
  idOf: (ref: Ref) => string = String,
) => {
  const notFound = (ref: Ref) => new NotFoundError(`${what} ${idOf(ref)} not found`);
  return {
    what,
    keyOf,
    find: (deps: Store, ref: Ref) => getItem<T>(deps, keyOf(ref)),
    get: async (deps: Store, ref: Ref): Promise<T> => {
      const item = await getItem<T>(deps, keyOf(ref));
      if (!item) throw notFound(ref);
      return item;
    },
    /**
     * An update of this kind, its audit event named `action`: the kind's own (`<ENTITY>_UPDATED`)
     * unless the caller, a deactivation, names another.
     */
    updater:
      <Patch, R>(defaultAction: string, update: Update<Ref, Patch, R>) =>
      (deps: ReferenceDeps, ref: Ref, patch: Patch, caller: Caller, action = defaultAction) =>
        update(deps, ref, patch, caller, action),
    /** Deactivates through `update` (409 when inactive already); nothing is ever deleted. */
    deactivate:
      <R>(update: Update<Ref, { active: false }, R>, action: string) =>
      async (deps: ReferenceDeps, ref: Ref, caller: Caller): Promise<R> => {
        const current = await getItem<T>(deps, keyOf(ref));
        if (!current) throw notFound(ref);
        if (!current.active) throw alreadyInactive(`${what} ${current.id}`);
        return update(deps, ref, { active: false }, caller, action);
      },
  };
};

/**
 * Creates an item listed by name (a department, a committee): a new id from the clock, its
 * listing key, the first event of its own audit stream (`<ENTITY>_CREATED` with the request).
 */
export const createListedByName = <Head extends { name: string }>(
  deps: ReferenceDeps,
  caller: Caller,
  spec: {
    entity: string;
    key: (id: string) => PrimaryKey;
    listing: (name: string, id: string) => ListingKey;
    streamId: (id: string) => string;
    request: AuditData;
    fields: Head;
  },
) => {
  const now = clock(deps);
  const at = now.toISOString();
  const id = (deps.newId ?? newId)(now);
  return writeCreated(deps, {
    head: {
      ...spec.key(id),
      ...spec.listing(spec.fields.name, id),
      entity: spec.entity,
      id,
      ...spec.fields,
      createdAt: at,
      updatedAt: at,
    },
    streamId: spec.streamId(id),
    action: `${spec.entity}_CREATED`,
    caller,
    after: spec.request,
  });
};
