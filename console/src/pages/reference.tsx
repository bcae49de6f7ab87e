import { useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import {
  DEPARTMENT_LEVELS,
  DEPARTMENT_LEVEL_CODES,
  FINDING_CATEGORY_CODES,
} from '../../../functions/shared/domain/reference';
import {
  Choice,
  Field,
  optionsOf,
  streetOptions,
  textOf,
  useSubmit,
  type Label,
  type Option,
} from '../forms';
import { ListPage, type Column } from '../list';
import { DEPUTY_FILTERS } from './schedule';
import type { Deputy, Named, Page as Paged } from '../types';
import { Action, L, NAMES, Page, Problem, nameOf, useConsole, useLoad } from '../ui';

type Tab = 'deputies' | 'departments' | 'rules' | 'committees';
const TABS: Record<Tab, { zh: string; en: string }> = {
  deputies: { zh: '代表', en: 'Deputies' },
  departments: { zh: '承办部门', en: 'Departments' },
  rules: { zh: '分办规则', en: 'Routing rules' },
  committees: { zh: '督办工委', en: 'Committees' },
};

/** The roster CSV (POST /deputies/import): every line checked, errors named by line and column. */
function RosterImport({ done }: { done: () => void }) {
  const { api, canWrite } = useConsole();
  const [result, setResult] = useState<string>();
  const submit = useSubmit(async (form) => {
    setResult(undefined);
    const file = form.get('roster');
    if (!(file instanceof File) || file.size === 0) return;
    const answer = await api.send<{ imported: number }>(
      'POST',
      '/deputies/import',
      await file.text(),
      {
        contentType: 'text/csv; charset=utf-8',
      },
    );
    setResult(`已导入 ${answer.imported} 位代表 Imported ${answer.imported} deputies`);
  }, done);
  if (!canWrite) return null;
  return (
    <form class="inline-form" onSubmit={submit.onSubmit}>
      <Field label={{ zh: '导入代表名册（CSV）', en: 'Import a roster (CSV)' }}>
        <input type="file" name="roster" accept=".csv,text/csv" />
      </Field>
      <button type="submit" class="secondary" disabled={submit.busy}>
        <L zh="导入" en="Import" />
      </button>
      {result ? <p role="status">{result}</p> : null}
      <Problem message={submit.error} />
    </form>
  );
}

const levels = (d: Deputy) => d.seats.map((s) => NAMES.level[s.level]?.zh ?? s.level).join('、');
const street = (code: string | undefined) =>
  code === '*' ? '全区 All' : code ? (NAMES.street[code]?.zh ?? code) : '—';

function Deputies() {
  // The list is keyed by the import's count, so a finished import shows the new deputies.
  const [imports, setImports] = useState(0);
  return (
    <>
      <RosterImport done={() => setImports((n) => n + 1)} />
      <ListPage<Deputy>
        key={imports}
        path="/deputies"
        filters={DEPUTY_FILTERS}
        empty={{ zh: '没有符合条件的代表', en: 'No deputy matches' }}
        columns={[
          { title: { zh: '姓名', en: 'Name' }, cell: (d) => d.name },
          { title: { zh: '层级', en: 'Levels' }, cell: levels },
          { title: { zh: '联组', en: 'Group' }, cell: (d) => d.group ?? '—' },
          { title: { zh: '街道工委', en: 'Street' }, cell: (d) => street(d.street) },
        ]}
      />
    </>
  );
}

type Contact = Named & {
  emails?: string[];
  categories?: string[];
  kind?: 'LOCAL' | 'EXTERNAL';
  level?: string;
};

/** A department's level (市, 区, 街道/镇), or a recipient outside the district. */
const EXTERNAL = { zh: '外区（区外接收方）', en: 'Outside the district' };
const LEVEL_COLUMN: Column<Contact> = {
  title: { zh: '层级', en: 'Level' },
  cell: (n) =>
    n.kind === 'EXTERNAL' ? <L {...EXTERNAL} /> : nameOf(DEPARTMENT_LEVELS, n.level ?? 'DISTRICT'),
};
const LEVEL_CHOICES: Option[] = [
  ...optionsOf(DEPARTMENT_LEVELS, DEPARTMENT_LEVEL_CODES),
  ['EXTERNAL', `${EXTERNAL.zh} ${EXTERNAL.en}`],
];

/** Addresses typed one per line or separated by commas. */
const listOf = (text: string) =>
  text
    .split(/[\n,，;；]/)
    .map((item) => item.trim())
    .filter(Boolean);

/** A new entry of a reference list (POST path), then the list again; auditors see no form. */
function CreateForm({
  path,
  title,
  body,
  done,
  children,
}: {
  path: string;
  title: Label;
  body: (form: FormData) => Record<string, unknown>;
  done: () => void;
  children: ComponentChildren;
}) {
  const { api, canWrite } = useConsole();
  const submit = useSubmit((form) => api.send('POST', path, body(form)), done);
  if (!canWrite) return null;
  return (
    <details class="change">
      <summary>
        <L {...title} />
      </summary>
      <form class="inline-form" onSubmit={submit.onSubmit} aria-label={`${title.zh} ${title.en}`}>
        {children}
        <button type="submit" class="secondary" disabled={submit.busy}>
          <L zh="新增" en="Add" />
        </button>
        <Problem message={submit.error} />
      </form>
    </details>
  );
}

/** Deactivate (POST {path}/{id}/deactivate): the entry stays for the record, out of use. */
const deactivate = <T extends { id: string; active?: boolean }>(
  path: string,
  done: () => void,
): Column<T> => ({
  title: { zh: '操作', en: 'Action' },
  cell: (row) =>
    row.active === false ? (
      '—'
    ) : (
      <DeactivateButton path={`${path}/${encodeURIComponent(row.id)}/deactivate`} done={done} />
    ),
});

function DeactivateButton({ path, done }: { path: string; done: () => void }) {
  const { api } = useConsole();
  return (
    <Action
      kind="danger"
      label={{ zh: '停用', en: 'Deactivate' }}
      run={() => api.send('POST', path)}
      done={done}
    />
  );
}

const CONTACT_COLUMNS: Column<Contact>[] = [
  { title: { zh: '名称', en: 'Name' }, cell: (n) => n.name },
  { title: { zh: '邮箱', en: 'Email' }, cell: (n) => n.emails?.join(', ') ?? '—' },
  { title: { zh: '启用', en: 'Active' }, cell: (n) => (n.active === false ? '否 No' : '是 Yes') },
];

const EMAILS = (
  <Field label={{ zh: '邮箱（可多个）', en: 'Emails (one or more)' }}>
    <input name="emails" required />
  </Field>
);

/** Departments or committees: who receives referrals, who supervises them. */
function Contacts({ kind }: { kind: 'departments' | 'committees' }) {
  const { canWrite } = useConsole();
  const [round, setRound] = useState(0);
  const again = () => setRound((n) => n + 1);
  const path = `/${kind}`;
  return (
    <>
      <CreateForm
        path={path}
        title={
          kind === 'departments'
            ? { zh: '新增承办部门', en: 'Add a department' }
            : { zh: '新增督办工委', en: 'Add a committee' }
        }
        body={(form) => ({
          name: textOf(form, 'name'),
          emails: listOf(textOf(form, 'emails')),
          ...(kind === 'departments'
            ? {
                categories: form.getAll('categories').map(String),
                ...(textOf(form, 'level') === 'EXTERNAL'
                  ? { kind: 'EXTERNAL' }
                  : { level: textOf(form, 'level') }),
              }
            : {}),
        })}
        done={again}
      >
        <Field label={{ zh: '名称', en: 'Name' }}>
          <input name="name" required maxLength={100} />
        </Field>
        {EMAILS}
        {kind === 'departments' ? (
          <Field label={{ zh: '层级', en: 'Level' }}>
            <Choice name="level" value="DISTRICT" options={LEVEL_CHOICES} />
          </Field>
        ) : null}
        {kind === 'departments' ? (
          <Field label={{ zh: '承办的问题类别（可多选）', en: 'Categories handled' }}>
            <select name="categories" multiple required size={4}>
              {optionsOf(NAMES.category, FINDING_CATEGORY_CODES).map(([code, text]) => (
                <option key={code} value={code}>
                  {text}
                </option>
              ))}
            </select>
          </Field>
        ) : null}
      </CreateForm>
      <ListPage<Contact>
        key={round}
        path={path}
        pageSize={100}
        empty={NONE}
        columns={[
          ...CONTACT_COLUMNS,
          ...(kind === 'departments' ? [LEVEL_COLUMN] : []),
          ...(canWrite ? [deactivate<Contact>(path, again)] : []),
        ]}
      />
    </>
  );
}

interface RoutingRule {
  id: string;
  category: string;
  street: string;
  departmentId: string;
  active: boolean;
}

/** Routing rules: which department a finding of a category (and street) goes to. */
function Rules() {
  const { api, canWrite } = useConsole();
  const [round, setRound] = useState(0);
  const again = () => setRound((n) => n + 1);
  const departments = useLoad(
    () => api.get<Paged<Named>>('/departments', { active: 'true', limit: '100' }),
    [round],
  );
  const departmentName = (id: string) =>
    departments.data?.items.find((d) => d.id === id)?.name ?? id;
  return (
    <>
      <CreateForm
        path="/routing-rules"
        title={{ zh: '新增分办规则', en: 'Add a routing rule' }}
        body={(form) => ({
          category: textOf(form, 'category'),
          street: textOf(form, 'street'),
          departmentId: textOf(form, 'departmentId'),
        })}
        done={again}
      >
        <Field label={{ zh: '问题类别', en: 'Category' }}>
          <Choice name="category" options={optionsOf(NAMES.category, FINDING_CATEGORY_CODES)} />
        </Field>
        <Field label={{ zh: '街道', en: 'Street' }}>
          <Choice name="street" options={[['*', '全区 All streets'], ...streetOptions()]} />
        </Field>
        <Field label={{ zh: '承办部门', en: 'Department' }}>
          <Choice
            name="departmentId"
            options={(departments.data?.items ?? []).map((d) => [d.id, d.name])}
          />
        </Field>
      </CreateForm>
      <ListPage<RoutingRule>
        key={round}
        path="/routing-rules"
        pageSize={100}
        empty={NONE}
        columns={[
          {
            title: { zh: '问题类别', en: 'Category' },
            cell: (r) => nameOf(NAMES.category, r.category),
          },
          { title: { zh: '街道', en: 'Street' }, cell: (r) => street(r.street) },
          {
            title: { zh: '承办部门', en: 'Department' },
            cell: (r) => departmentName(r.departmentId),
          },
          {
            title: { zh: '启用', en: 'Active' },
            cell: (r) => (r.active === false ? '否 No' : '是 Yes'),
          },
          ...(canWrite ? [deactivate<RoutingRule>('/routing-rules', again)] : []),
        ]}
      />
    </>
  );
}

const NONE = { zh: '暂无', en: 'None yet' };

/** Reference data: deputies (with the roster import), departments, routing rules, committees. */
export function Reference({ tab }: { tab: string | undefined }) {
  const current: Tab = tab && tab in TABS ? (tab as Tab) : 'deputies';
  return (
    <Page title={{ zh: '基础数据', en: 'Reference data' }}>
      <nav aria-label="基础数据 Reference data" class="tabs">
        {(Object.keys(TABS) as Tab[]).map((t) => (
          <a key={t} href={`#/reference/${t}`} aria-current={t === current ? 'page' : undefined}>
            <L {...TABS[t]} />
          </a>
        ))}
      </nav>
      <h2>
        <L {...TABS[current]} />
      </h2>
      {current === 'deputies' ? <Deputies /> : null}
      {current === 'departments' ? <Contacts kind="departments" /> : null}
      {current === 'committees' ? <Contacts kind="committees" /> : null}
      {current === 'rules' ? <Rules /> : null}
    </Page>
  );
}
