import { batchGetByKey } from '../../shared/data/batch-get.js';
import { keys } from '../../shared/data/keys.js';
import {
  getItem,
  routingRuleId,
  type DepartmentItem,
  type RoutingRuleItem,
  type Store,
} from '../../shared/data/reference.js';
import {
  DEFAULT_DEPARTMENT_LEVEL,
  FINDING_CATEGORIES,
  type DepartmentLevel,
  type FindingCategory,
  type Street,
} from '../../shared/domain/reference.js';
import type { ANY_STREET } from '../../shared/domain/routing.js';
import { ConflictError, ValidationError } from '../../shared/errors.js';
import { type Caller } from '../../shared/http/auth.js';
import type { CreateRoutingRuleBody, ListQuery, UpdateRoutingRuleBody } from '../schemas.js';
import { unknownReferenceMessage } from '../../shared/reference-ids.js';
import {
  changedFields,
  referenceKind,
  clock,
  listOf,
  toView,
  writeCreated,
  writePatch,
  type ReferenceDeps,
} from './common.js';

// --- routing rules ---

type RuleRef = { category: FindingCategory; street: Street | typeof ANY_STREET };

const rules = referenceKind<RoutingRuleItem, RuleRef>(
  'Routing rule',
  (rule) => keys.routingRule(rule.category, rule.street),
  (rule) => routingRuleId(rule.category, rule.street),
);

/**
 * A rule as the API shows it: with the level its target department has now (市, 区, 街道/镇;
 * `DISTRICT` when stored before levels). A rule may route to a local department of any level;
 * the level is the department's, so changing it needs no change of the rules, and each referral
 * records the level it was sent at.
 */
const ruleView = (
  item: RoutingRuleItem,
  department: Pick<DepartmentItem, 'level'> | undefined,
): ReturnType<typeof toView<RoutingRuleItem>> & { departmentLevel?: DepartmentLevel } => ({
  ...toView(item),
  ...(department ? { departmentLevel: department.level ?? DEFAULT_DEPARTMENT_LEVEL } : {}),
});

const targetOf = (deps: Store, departmentId: string) =>
  getItem<DepartmentItem>(deps, keys.department(departmentId));

export const readRoutingRule = async (deps: Store, rule: RuleRef) => {
  const item = await rules.get(deps, rule);
  return ruleView(item, await targetOf(deps, item.departmentId));
};

/** A page of rules, their target departments' levels read in one BatchGetItem. */
export const listRoutingRulePage = async (deps: Store, query: ListQuery, caller: Caller) => {
  const page = await listOf(
    deps,
    keys.routingRules(),
    query,
    caller,
    (item: RoutingRuleItem) => item,
  );
  const departments = await batchGetByKey<DepartmentItem>(
    deps,
    page.items.map((rule) => [rule.departmentId, keys.department(rule.departmentId)] as const),
    { attributes: ['level'] },
  );
  return {
    ...page,
    items: page.items.map((rule) => ruleView(rule, departments.get(rule.departmentId))),
  };
};

/**
 * A rule may only route to an active local department that handles the rule's category: an
 * external recipient (another district's congress) is referred by the chairmen's meeting only.
 */
const checkTarget = async (deps: Store, departmentId: string, category: FindingCategory) => {
  const department = await targetOf(deps, departmentId);
  const problem = !department
    ? unknownReferenceMessage('department', departmentId)
    : !department.active
      ? `department ${departmentId} is not active`
      : department.kind === 'EXTERNAL'
        ? `department ${departmentId} is an external recipient outside the district: the chairmen's meeting refers findings to it, routing rules do not`
        : !department.categories.includes(category)
          ? `department ${departmentId} does not handle ${category} (${FINDING_CATEGORIES[category].zh}); add it to the department's categories first`
          : undefined;
  if (problem || !department) {
    throw new ValidationError(`Invalid departmentId: ${problem}`, [
      { path: 'departmentId', message: problem ?? '' },
    ]);
  }
  return department;
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
  if (await rules.find(deps, input)) {
    throw exists();
  }
  const department = await checkTarget(deps, input.departmentId, input.category);
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
  const created = await writeCreated(
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
  return { ...created, departmentLevel: department.level ?? DEFAULT_DEPARTMENT_LEVEL };
};

export const updateRoutingRule = /* @__PURE__ */ rules.updater(
  'ROUTING_RULE_UPDATED',
  async (deps, rule, patch: UpdateRoutingRuleBody, caller, action) => {
    const current = await rules.get(deps, rule);
    const changes = changedFields(current, patch);
    const target = patch.departmentId ?? current.departmentId;
    if (changes.length === 0) return ruleView(current, await targetOf(deps, target));
    const department =
      patch.departmentId !== undefined || patch.active === true
        ? await checkTarget(deps, target, current.category)
        : await targetOf(deps, target);
    const updated = await writePatch(deps, current, changes, {
      streamId: keys.auditStreamOfRoutingRule(rule.category, rule.street),
      action,
      caller,
    });
    return {
      ...updated,
      ...(department ? { departmentLevel: department.level ?? DEFAULT_DEPARTMENT_LEVEL } : {}),
    };
  },
);

export const deactivateRoutingRule = /* @__PURE__ */ rules.deactivate(
  updateRoutingRule,
  'ROUTING_RULE_DEACTIVATED',
);
