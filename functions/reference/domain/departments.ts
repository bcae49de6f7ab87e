import { keys } from '../../shared/data/keys.js';
import {
  listRoutingRules,
  type AuditedHead,
  type DepartmentItem,
  type Store,
} from '../../shared/data/reference.js';
import { DEFAULT_DEPARTMENT_LEVEL } from '../../shared/domain/reference.js';
import { ConflictError, ValidationError } from '../../shared/errors.js';
import { type Caller } from '../../shared/http/auth.js';
import {
  settleEmailChangeNotice,
  type EmailChangeNotice,
  type NoticeStatus,
} from '../email-change-notice.js';
import type { CreateDepartmentBody, ListQuery, UpdateDepartmentBody } from '../schemas.js';
import {
  changedFields,
  clock,
  createListedByName,
  listOf,
  referenceKind,
  toView,
  writeChanges,
  type ReferenceDeps,
} from './common.js';

// --- departments ---

const departments = referenceKind<NotedDepartment>('Department', keys.department);

/**
 * A department as the API shows it: with its kind and, when local, its level, also when it was
 * stored before either existed (no migration: missing means a local district department).
 */
export const departmentView = <T extends Pick<DepartmentItem, 'kind' | 'level'>>(item: T) => {
  const view = toView(item);
  return view.kind === 'EXTERNAL'
    ? { ...view, kind: 'EXTERNAL' as const }
    : { ...view, kind: 'LOCAL' as const, level: view.level ?? DEFAULT_DEPARTMENT_LEVEL };
};

export const readDepartment = async (deps: Store, departmentId: string) =>
  departmentView(await departments.get(deps, departmentId));

export const listDepartments = (deps: Store, query: ListQuery, caller: Caller) =>
  listOf(deps, keys.departmentsByName(), query, caller, departmentView<DepartmentItem>);

export const createDepartment = async (
  deps: ReferenceDeps,
  input: CreateDepartmentBody,
  caller: Caller,
) =>
  departmentView(
    await createListedByName(deps, caller, {
      entity: 'DEPARTMENT',
      key: keys.department,
      listing: keys.departmentListing,
      streamId: keys.auditStreamOfDepartment,
      request: { ...input },
      fields: {
        name: input.name,
        emails: input.emails,
        categories: input.categories,
        kind: input.kind,
        ...(input.kind === 'LOCAL' ? { level: input.level ?? DEFAULT_DEPARTMENT_LEVEL } : {}),
        active: input.active,
      } satisfies Omit<
        DepartmentItem,
        keyof AuditedHead | 'pk' | 'sk' | 'listPk' | 'listSk' | 'entity' | 'id'
      >,
    }),
  );

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

export const updateDepartment = /* @__PURE__ */ departments.updater(
  'DEPARTMENT_UPDATED',
  async (deps, departmentId, patch: UpdateDepartmentBody, caller, action) => {
    const found = await departments.get(deps, departmentId);
    // A notice still owed from an earlier change goes out first (a retried request sends it).
    const owed = await settleNotice(deps, found);
    const current: NotedDepartment =
      owed === 'SENT' ? { ...found, emailChangeNotice: undefined } : found;
    if (patch.level !== undefined && current.kind === 'EXTERNAL') {
      throw new ValidationError(
        `Invalid level: department ${departmentId} is an external recipient, outside the district's levels`,
        [{ path: 'level', message: 'an external recipient has no level' }],
      );
    }
    const changes = changedFields(current, patch);
    if (changes.length === 0) return withNotice(departmentView(current), owed);

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
      action:
        emailsChanged && action === 'DEPARTMENT_UPDATED' ? 'DEPARTMENT_EMAILS_CHANGED' : action,
      caller,
      extra,
    });
    return withNotice(departmentView(updated), await settleNotice(deps, updated));
  },
);

export const deactivateDepartment = /* @__PURE__ */ departments.deactivate(
  updateDepartment,
  'DEPARTMENT_DEACTIVATED',
);
