import { useState } from 'preact/hooks';
import { Field, useSubmit } from '../forms';
import { ListPage, type Column } from '../list';
import { DEPUTY_FILTERS } from './schedule';
import type { Deputy, Named } from '../types';
import { L, NAMES, Page, Problem, nameOf, useConsole } from '../ui';

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

type Contact = Named & { emails?: string[] };

const CONTACT_COLUMNS: Column<Contact>[] = [
  { title: { zh: '名称', en: 'Name' }, cell: (n) => n.name },
  { title: { zh: '邮箱', en: 'Email' }, cell: (n) => n.emails?.join(', ') ?? '—' },
  { title: { zh: '启用', en: 'Active' }, cell: (n) => (n.active === false ? '否 No' : '是 Yes') },
];

interface RoutingRule {
  id: string;
  category: string;
  street: string;
  departmentId: string;
  active: boolean;
}

const RULE_COLUMNS: Column<RoutingRule>[] = [
  { title: { zh: '问题类别', en: 'Category' }, cell: (r) => nameOf(NAMES.category, r.category) },
  { title: { zh: '街道', en: 'Street' }, cell: (r) => street(r.street) },
  { title: { zh: '承办部门', en: 'Department' }, cell: (r) => r.departmentId },
];

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
      {current === 'departments' ? (
        <ListPage<Contact>
          path="/departments"
          pageSize={100}
          empty={NONE}
          columns={CONTACT_COLUMNS}
        />
      ) : null}
      {current === 'committees' ? (
        <ListPage<Contact>
          path="/committees"
          pageSize={100}
          empty={NONE}
          columns={CONTACT_COLUMNS}
        />
      ) : null}
      {current === 'rules' ? (
        <ListPage<RoutingRule>
          path="/routing-rules"
          pageSize={100}
          empty={NONE}
          columns={RULE_COLUMNS}
        />
      ) : null}
    </Page>
  );
}
