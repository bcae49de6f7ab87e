import { useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import {
  DEPARTMENT_LEVELS,
  DEPUTY_LEVEL_CODES,
  DEPARTMENT_LEVEL_CODES,
  FINDING_CATEGORY_CODES,
} from '../../../functions/shared/domain/reference';
import { writesDistrict } from '../auth';
import {
  Choice,
  EntryForm,
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
import { Action, L, NAMES, Page, Problem, Show, nameOf, useConsole, useLoad, Submit } from '../ui';

type Tab = 'deputies' | 'departments' | 'rules' | 'committees';
const TABS: Record<Tab, { zh: string; en: string }> = {
  deputies: { zh: '代表', en: 'Deputies' },
  departments: { zh: '承办部门', en: 'Departments' },
  rules: { zh: '分办规则', en: 'Routing rules' },
  committees: { zh: '督办工委', en: 'Committees' },
};

/** The roster CSV (POST /deputies/import): every line checked, errors named by line and column. */
function RosterImport({ done }: { done: () => void }) {
  const { api } = useConsole();
  const canWrite = useWritesReference();
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
      <Submit state={submit} label={{ zh: '导入', en: 'Import' }} />
      {result ? <p role="status">{result}</p> : null}
      <Problem message={submit.error} />
    </form>
  );
}

const levels = (d: Deputy) => d.seats.map((s) => NAMES.level[s.level]?.zh ?? s.level).join('、');
const street = (code: string | undefined) =>
  code === '*' ? '全区 All' : code ? (NAMES.street[code]?.zh ?? code) : '—';

/** Organisers of the whole district write reference data; others (auditors) only read it. */
const useWritesReference = () => {
  const { canWrite, session } = useConsole();
  return canWrite && writesDistrict(session);
};

/**
 * The entry being edited in a list (its form shown above the list, prefilled), the list's reload
 * key, and what the last save said.
 */
function useEditor<T extends { id: string }>() {
  const [editing, setEditing] = useState<T>();
  const [round, setRound] = useState(0);
  const [saved, setSaved] = useState<string>();
  return {
    editing,
    round,
    saved,
    edit: (row: T) => {
      setSaved(undefined);
      setEditing(row);
    },
    cancel: () => setEditing(undefined),
    /** After a save (or a deactivation): the list read again, the form closed. */
    done: (what?: string) => {
      setEditing(undefined);
      setSaved(what);
      setRound((n) => n + 1);
    },
  };
}

type Editor<T extends { id: string }> = ReturnType<typeof useEditor<T>>;

/** The edit and deactivate buttons of a row (organisers of the district only). */
function rowActions<T extends { id: string; active?: boolean }>(
  path: string,
  editor: Editor<T>,
  nameOfRow: (row: T) => string,
): Column<T> {
  return {
    title: { zh: '操作', en: 'Action' },
    cell: (row) => (
      <span class="row-actions">
        <button
          type="button"
          class="secondary"
          aria-label={`编辑 Edit：${nameOfRow(row)}`}
          onClick={() => editor.edit(row)}
        >
          <L zh="编辑" en="Edit" />
        </button>
        {row.active === false ? null : (
          <DeactivateButton
            path={`${path}/${encodeURIComponent(row.id)}/deactivate`}
            done={() => editor.done()}
          />
        )}
      </span>
    ),
  };
}

/** The edit form's frame: a heading naming the entry, and the saved note once it is saved. */
function Editing<T extends { id: string }>({
  editor,
  title,
  children,
}: {
  editor: Editor<T>;
  title: (row: T) => string;
  children: (row: T) => ComponentChildren;
}) {
  return (
    <>
      {editor.saved ? (
        <p role="status" class="saved">
          已保存 Saved: {editor.saved}
        </p>
      ) : null}
      {editor.editing ? (
        <section class="editing" aria-label={`编辑 ${title(editor.editing)} Edit`}>
          <h3>
            <L zh="编辑" en="Edit" />：{title(editor.editing)}
          </h3>
          {children(editor.editing)}
        </section>
      ) : null}
    </>
  );
}

/** Optional text: '' clears it (null), as PATCH takes it. */
const orNull = (text: string) => text || null;

/** One deputy's form, prefilled from GET /deputies/{id} (the list leaves out contact data). */
function DeputyEdit({ id, editor }: { id: string; editor: Editor<Deputy> }) {
  const { api } = useConsole();
  const path = `/deputies/${encodeURIComponent(id)}`;
  const loaded = useLoad(() => api.get<{ deputy: Deputy }>(path), [path]);
  return (
    <Show loaded={loaded}>
      {({ deputy }) => (
        <EntryForm
          title={{ zh: `编辑代表 ${deputy.name}`, en: 'Edit the deputy' }}
          submit={{ zh: '保存', en: 'Save' }}
          cancel={editor.cancel}
          done={() => editor.done(deputy.name)}
          send={(form) => {
            const email = textOf(form, 'email');
            const seats = [0, 1]
              .map((i) => ({
                level: textOf(form, `seats.${i}.level`),
                body: textOf(form, `seats.${i}.body`),
              }))
              .filter((seat) => seat.level || seat.body);
            return api.send('PATCH', path, {
              name: textOf(form, 'name'),
              // An address is never cleared, only changed (the API keeps one per deputy).
              ...(email || deputy.email ? { email } : {}),
              seats,
              group: orNull(textOf(form, 'group')),
              street: orNull(textOf(form, 'street')),
              liaisonStation: orNull(textOf(form, 'liaisonStation')),
            });
          }}
        >
          {(error) => (
            <>
              <Field label={{ zh: '姓名', en: 'Name' }} error={error('name')}>
                <input name="name" required maxLength={50} defaultValue={deputy.name} />
              </Field>
              <Field label={{ zh: '邮箱', en: 'Email' }} error={error('email')}>
                <input name="email" type="email" defaultValue={deputy.email ?? ''} />
              </Field>
              {[0, 1].map((i) => (
                <fieldset key={i} class="seat">
                  <legend>
                    <L zh={`代表职务 ${i + 1}`} en={`Seat ${i + 1}`} />
                  </legend>
                  <Field label={{ zh: '层级', en: 'Level' }} error={error(`seats.${i}.level`)}>
                    <Choice
                      name={`seats.${i}.level`}
                      all={i === 0 ? undefined : '— 无 None'}
                      options={optionsOf(NAMES.level, DEPUTY_LEVEL_CODES)}
                      initial={deputy.seats[i]?.level ?? ''}
                    />
                  </Field>
                  <Field
                    label={{ zh: '人大', en: 'Congress' }}
                    error={error(`seats.${i}.body`) ?? (i === 0 ? error('seats') : undefined)}
                  >
                    <input
                      name={`seats.${i}.body`}
                      maxLength={100}
                      defaultValue={deputy.seats[i]?.body ?? ''}
                    />
                  </Field>
                </fieldset>
              ))}
              <Field label={{ zh: '联组/代表组', en: 'Group' }} error={error('group')}>
                <input name="group" maxLength={100} defaultValue={deputy.group ?? ''} />
              </Field>
              <Field label={{ zh: '街道工委', en: 'Street' }} error={error('street')}>
                <Choice
                  name="street"
                  all="— 无 None"
                  options={streetOptions()}
                  initial={deputy.street ?? ''}
                />
              </Field>
              <Field
                label={{ zh: '联络站', en: 'Liaison station' }}
                error={error('liaisonStation')}
              >
                <input
                  name="liaisonStation"
                  maxLength={100}
                  defaultValue={deputy.liaisonStation ?? ''}
                />
              </Field>
            </>
          )}
        </EntryForm>
      )}
    </Show>
  );
}

function Deputies() {
  const canWrite = useWritesReference();
  const editor = useEditor<Deputy>();
  return (
    <>
      <RosterImport done={() => editor.done()} />
      <Editing editor={editor} title={(d) => d.name}>
        {(d) => <DeputyEdit key={d.id} id={d.id} editor={editor} />}
      </Editing>
      <ListPage<Deputy>
        reloadKey={editor.round}
        path="/deputies"
        filters={DEPUTY_FILTERS}
        empty={{ zh: '没有符合条件的代表', en: 'No deputy matches' }}
        columns={[
          { title: { zh: '姓名', en: 'Name' }, cell: (d) => d.name },
          { title: { zh: '层级', en: 'Levels' }, cell: levels },
          { title: { zh: '联组', en: 'Group' }, cell: (d) => d.group ?? '—' },
          { title: { zh: '街道工委', en: 'Street' }, cell: (d) => street(d.street) },
          {
            title: { zh: '启用', en: 'Active' },
            cell: (d) => (d.active === false ? '否 No' : '是 Yes'),
          },
          ...(canWrite ? [rowActions<Deputy>('/deputies', editor, (d) => d.name)] : []),
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

/** The level chosen in a department's form: a level, or a new recipient outside the district. */
const levelOf = (level: string) =>
  level === '' ? {} : level === 'EXTERNAL' ? { kind: 'EXTERNAL' } : { level };

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
  children: (fieldError: (name: string) => string | undefined) => ComponentChildren;
}) {
  const { api } = useConsole();
  if (!useWritesReference()) return null;
  return (
    <details class="change">
      <summary>
        <L {...title} />
      </summary>
      <EntryForm
        title={title}
        submit={{ zh: '新增', en: 'Add' }}
        send={(form) => api.send('POST', path, body(form))}
        done={done}
      >
        {children}
      </EntryForm>
    </details>
  );
}

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

/** The fields of a department or committee, prefilled with `entry` when it is an edit. */
function ContactFields({
  kind,
  entry,
  error,
}: {
  kind: 'departments' | 'committees';
  entry?: Contact;
  error: (name: string) => string | undefined;
}) {
  return (
    <>
      <Field label={{ zh: '名称', en: 'Name' }} error={error('name')}>
        <input name="name" required maxLength={100} defaultValue={entry?.name ?? ''} />
      </Field>
      <Field label={{ zh: '邮箱（可多个）', en: 'Emails (one or more)' }} error={error('emails')}>
        <input name="emails" required size={48} defaultValue={entry?.emails?.join(', ') ?? ''} />
      </Field>
      {kind === 'departments' && entry?.kind !== 'EXTERNAL' ? (
        // A recipient outside the district stays one (the API keeps a department's kind).
        <Field label={{ zh: '层级', en: 'Level' }} error={error('level')}>
          <Choice
            name="level"
            value={entry?.level ?? 'DISTRICT'}
            options={entry ? LEVEL_CHOICES.filter(([code]) => code !== 'EXTERNAL') : LEVEL_CHOICES}
          />
        </Field>
      ) : null}
      {kind === 'departments' ? (
        <Field
          label={{ zh: '承办的问题类别（可多选）', en: 'Categories handled' }}
          error={error('categories')}
        >
          <select name="categories" multiple required size={4}>
            {optionsOf(NAMES.category, FINDING_CATEGORY_CODES).map(([code, text]) => (
              <option
                key={code}
                value={code}
                selected={entry ? (entry.categories ?? []).includes(code) : undefined}
              >
                {text}
              </option>
            ))}
          </select>
        </Field>
      ) : null}
    </>
  );
}

/** Departments or committees: who receives referrals, who supervises them. */
function Contacts({ kind }: { kind: 'departments' | 'committees' }) {
  const { api } = useConsole();
  const canWrite = useWritesReference();
  const editor = useEditor<Contact>();
  const path = `/${kind}`;
  const body = (form: FormData) => ({
    name: textOf(form, 'name'),
    emails: listOf(textOf(form, 'emails')),
    ...(kind === 'departments'
      ? { categories: form.getAll('categories').map(String), ...levelOf(textOf(form, 'level')) }
      : {}),
  });
  return (
    <>
      <CreateForm
        path={path}
        title={
          kind === 'departments'
            ? { zh: '新增承办部门', en: 'Add a department' }
            : { zh: '新增督办工委', en: 'Add a committee' }
        }
        body={body}
        done={() => editor.done()}
      >
        {(error) => <ContactFields kind={kind} error={error} />}
      </CreateForm>
      <Editing editor={editor} title={(c) => c.name}>
        {(entry) => (
          <EntryForm
            key={entry.id}
            title={
              kind === 'departments'
                ? { zh: `编辑承办部门 ${entry.name}`, en: 'Edit the department' }
                : { zh: `编辑督办工委 ${entry.name}`, en: 'Edit the committee' }
            }
            submit={{ zh: '保存', en: 'Save' }}
            cancel={editor.cancel}
            done={() => editor.done(entry.name)}
            send={(form) =>
              api.send('PATCH', `${path}/${encodeURIComponent(entry.id)}`, body(form))
            }
          >
            {(error) => <ContactFields kind={kind} entry={entry} error={error} />}
          </EntryForm>
        )}
      </Editing>
      <ListPage<Contact>
        reloadKey={editor.round}
        path={path}
        pageSize={100}
        empty={NONE}
        columns={[
          ...CONTACT_COLUMNS,
          ...(kind === 'departments' ? [LEVEL_COLUMN] : []),
          ...(canWrite ? [rowActions<Contact>(path, editor, (c) => c.name)] : []),
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
  const { api } = useConsole();
  const canWrite = useWritesReference();
  const editor = useEditor<RoutingRule>();
  const departments = useLoad(
    () => api.get<Paged<Named>>('/departments', { active: 'true', limit: '100' }),
    [editor.round],
  );
  const departmentName = (id: string) =>
    departments.data?.items.find((d) => d.id === id)?.name ?? id;
  const departmentOptions = (): [string, string][] =>
    (departments.data?.items ?? []).map((d) => [d.id, d.name]);
  const ruleName = (r: RoutingRule) =>
    `${NAMES.category[r.category]?.zh ?? r.category} · ${street(r.street)}`;
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
        done={() => editor.done()}
      >
        {(error) => (
          <>
            <Field label={{ zh: '问题类别', en: 'Category' }} error={error('category')}>
              <Choice name="category" options={optionsOf(NAMES.category, FINDING_CATEGORY_CODES)} />
            </Field>
            <Field label={{ zh: '街道', en: 'Street' }} error={error('street')}>
              <Choice name="street" options={[['*', '全区 All streets'], ...streetOptions()]} />
            </Field>
            <Field label={{ zh: '承办部门', en: 'Department' }} error={error('departmentId')}>
              <Choice name="departmentId" options={departmentOptions()} />
            </Field>
          </>
        )}
      </CreateForm>
      <Editing editor={editor} title={ruleName}>
        {(rule) => (
          // A rule is named by its category and street; only its department changes.
          <EntryForm
            key={rule.id}
            title={{ zh: `编辑分办规则 ${ruleName(rule)}`, en: 'Edit the routing rule' }}
            submit={{ zh: '保存', en: 'Save' }}
            cancel={editor.cancel}
            done={() => editor.done(ruleName(rule))}
            send={(form) =>
              api.send('PATCH', `/routing-rules/${encodeURIComponent(rule.id)}`, {
                departmentId: textOf(form, 'departmentId'),
              })
            }
          >
            {(error) => (
              <Field label={{ zh: '承办部门', en: 'Department' }} error={error('departmentId')}>
                <Choice
                  name="departmentId"
                  options={departmentOptions()}
                  initial={rule.departmentId}
                />
              </Field>
            )}
          </EntryForm>
        )}
      </Editing>
      <ListPage<RoutingRule>
        reloadKey={editor.round}
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
          ...(canWrite ? [rowActions<RoutingRule>('/routing-rules', editor, ruleName)] : []),
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
