import { keys } from '../../shared/data/keys.js';
import { type CommitteeItem, type Store } from '../../shared/data/reference.js';
import { type Caller } from '../../shared/http/auth.js';
import type { CreateCommitteeBody, ListQuery, UpdateCommitteeBody } from '../schemas.js';
import * as common from './common.js';

// --- committees ---

const committees = common.referenceKind<CommitteeItem>('Committee', keys.committee);

export const readCommittee = async (deps: Store, committeeId: string) =>
  common.toView(await committees.get(deps, committeeId));

export const listCommittees = (deps: Store, query: ListQuery, caller: Caller) =>
  common.listOf(deps, keys.committeesByName(), query, caller, common.toView<CommitteeItem>);

export const createCommittee = (
  deps: common.ReferenceDeps,
  input: CreateCommitteeBody,
  caller: Caller,
) =>
  common.createListedByName(deps, caller, {
    entity: 'COMMITTEE',
    key: keys.committee,
    listing: keys.committeeListing,
    streamId: keys.auditStreamOfCommittee,
    request: { ...input },
    fields: { name: input.name, emails: input.emails, active: input.active },
  });

export const updateCommittee = /* @__PURE__ */ committees.updater(
  'COMMITTEE_UPDATED',
  async (deps, committeeId, patch: UpdateCommitteeBody, caller, action) => {
    const current = await committees.get(deps, committeeId);
    const changes = common.changedFields(current, patch);
    if (changes.length === 0) return common.toView(current);
    return common.writePatch(deps, current, changes, {
      streamId: keys.auditStreamOfCommittee(committeeId),
      action,
      caller,
      ...(patch.name !== undefined && patch.name !== current.name
        ? { extra: { ...keys.committeeListing(patch.name, committeeId) } }
        : {}),
    });
  },
);

export const deactivateCommittee = /* @__PURE__ */ committees.deactivate(
  updateCommittee,
  'COMMITTEE_DEACTIVATED',
);
