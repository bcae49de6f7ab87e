import { keys } from '../../shared/data/keys.js';
import { getItem, type CommitteeItem, type Store } from '../../shared/data/reference.js';
import { NotFoundError } from '../../shared/errors.js';
import { type Caller } from '../../shared/http/auth.js';
import { newId } from '../../shared/ids.js';
import type { CreateCommitteeBody, ListQuery, UpdateCommitteeBody } from '../schemas.js';
import {
  alreadyInactive,
  changedFields,
  clock,
  listOf,
  toView,
  writeCreated,
  writePatch,
  type ReferenceDeps,
} from './common.js';

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
