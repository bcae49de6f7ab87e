import { keys } from '../../shared/data/keys.js';
import {
  getItem,
  routingRuleId,
  type DepartmentItem,
  type RoutingRuleItem,
  type Store,
} from '../../shared/data/reference.js';
import {
  FINDING_CATEGORIES,
  type FindingCategory,
  type Street,
} from '../../shared/domain/reference.js';
import type { ANY_STREET } from '../../shared/domain/routing.js';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors.js';
import { type Caller } from '../../shared/http/auth.js';
import type { CreateRoutingRuleBody, ListQuery, UpdateRoutingRuleBody } from '../schemas.js';
import { unknownReferenceMessage } from '../../shared/reference-ids.js';
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
