import { useState } from 'preact/hooks';
import type { Deputy, Named, Page as Paged } from '../types';
import { L, NAMES, Page, Problem, Show, nameOf, useConsole, useLoad, streetCodes } from '../ui';

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
  const [error, setError] = useState<string>();
  if (!canWrite) return null;
  const submit = async (event: Event) => {
    event.preventDefault();
    const input = (event.currentTarget as HTMLFormElement).elements.namedItem(
      'roster',
    ) as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    setError(undefined);
    setResult(undefined);
    try {
      const answer = await api.send<{ imported: number }>(
        'POST',
        '/deputies/import',
        await file.text(),
        {
          contentType: 'text/csv; charset=utf-8',
        },
      );
      setResult(`已导入 ${answer.imported} 位代表 Imported ${answer.imported} deputies`);
      done();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <form class="inline-form" onSubmit={submit}>
      <label>
        <L zh="导入代表名册（CSV）" en="Import a roster (CSV)" />
        <input type="file" name="roster" accept=".csv,text/csv" />
      </label>
      <button type="submit" class="secondary">
        <L zh="导入" en="Import" />
      </button>
      {result ? <p role="status">{result}</p> : null}
      <Problem message={error} />
    </form>
  );
}

function Deputies() {
  const { api } = useConsole();
  const [query, setQuery] = useState<Record<string, string>>({});
  const [cursor, setCursor] = useState<string>();
  const list = useLoad(
    () => api.get<Paged<Deputy>>('/deputies', { ...query, cursor, limit: '25' }),
    [JSON.stringify(query), cursor],
  );
  const set = (key: string) => (event: Event) => {
    setCursor(undefined);
    setQuery((q) => ({ ...q, [key]: (event.currentTarget as HTMLInputElement).value }));
  };
  return (
    <>
      <RosterImport done={list.reload} />
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          <L zh="姓名" en="Name" />
          <input type="search" onInput={set('name')} value={query.name ?? ''} />
        </label>
        <label>
          <L zh="联组/代表组" en="Group" />
          <input type="search" onInput={set('group')} value={query.group ?? ''} />
        </label>
        <label>
          <L zh="街道工委" en="Street" />
          <select onChange={set('street')} value={query.street ?? ''}>
            <option value="">全部 All</option>
            {streetCodes().map((code) => (
              <option key={code} value={code}>
                {NAMES.street[code]?.zh}
              </option>
            ))}
          </select>
        </label>
      </form>
      <Show loaded={list}>
        {(page) => (
          <>
            <table>
              <thead>
                <tr>
                  <th scope="col">
                    <L zh="姓名" en="Name" />
                  </th>
                  <th scope="col">
                    <L zh="层级" en="Levels" />
                  </th>
                  <th scope="col">
                    <L zh="联组" en="Group" />
                  </th>
                  <th scope="col">
                    <L zh="街道工委" en="Street" />
                  </th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((d) => (
                  <tr key={d.id}>
                    <td>{d.name}</td>
                    <td>{d.seats.map((s) => NAMES.level[s.level]?.zh ?? s.level).join('、')}</td>
                    <td>{d.group ?? '—'}</td>
                    <td>{d.street ? NAMES.street[d.street]?.zh : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {page.nextCursor ? (
              <button type="button" class="secondary" onClick={() => setCursor(page.nextCursor)}>
                <L zh="下一页" en="Next page" />
              </button>
            ) : null}
          </>
        )}
      </Show>
    </>
  );
}

function SimpleList({ path }: { path: string }) {
  const { api } = useConsole();
  const list = useLoad(
    () =>
      api.get<Paged<Named & { emails?: string[]; categories?: string[] }>>(path, { limit: '100' }),
    [path],
  );
  return (
    <Show loaded={list}>
      {(page) => (
        <table>
          <thead>
            <tr>
              <th scope="col">
                <L zh="名称" en="Name" />
              </th>
              <th scope="col">
                <L zh="邮箱" en="Email" />
              </th>
              <th scope="col">
                <L zh="启用" en="Active" />
              </th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((n) => (
              <tr key={n.id}>
                <td>{n.name}</td>
                <td>{n.emails?.join(', ') ?? '—'}</td>
                <td>{n.active === false ? '否 No' : '是 Yes'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Show>
  );
}

function Rules() {
  const { api } = useConsole();
  const rules = useLoad(
    () =>
      api.get<
        Paged<{
          id: string;
          category: string;
          street: string;
          departmentId: string;
          active: boolean;
        }>
      >('/routing-rules', { limit: '100' }),
    [],
  );
  return (
    <Show loaded={rules}>
      {(page) => (
        <table>
          <thead>
            <tr>
              <th scope="col">
                <L zh="问题类别" en="Category" />
              </th>
              <th scope="col">
                <L zh="街道" en="Street" />
              </th>
              <th scope="col">
                <L zh="承办部门" en="Department" />
              </th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((r) => (
              <tr key={r.id}>
                <td>{nameOf(NAMES.category, r.category)}</td>
                <td>{r.street === '*' ? '全区 All' : NAMES.street[r.street]?.zh}</td>
                <td>{r.departmentId}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Show>
  );
}

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
      {current === 'departments' ? <SimpleList path="/departments" /> : null}
      {current === 'committees' ? <SimpleList path="/committees" /> : null}
      {current === 'rules' ? <Rules /> : null}
    </Page>
  );
}
