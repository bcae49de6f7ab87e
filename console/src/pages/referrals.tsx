import { useState } from 'preact/hooks';
import type { Named, Page as Paged, Referral, ReferralRow } from '../types';
import { Action, L, NAMES, Page, Show, link, nameOf, useConsole, useLoad, when } from '../ui';

const ask = (question: string) => window.prompt(question)?.trim() || undefined;

const useNames = (path: string) => {
  const { api } = useConsole();
  return useLoad(() => api.get<Paged<Named>>(path, { limit: '100' }), [path]);
};

const nameIn = (list: Named[] | undefined, id: string | null | undefined) =>
  list?.find((n) => n.id === id)?.name ?? id ?? '—';

/** 督办: referrals per supervising committee and department, overdue first (GET /referrals). */
export function Referrals() {
  const { api } = useConsole();
  const [filter, setFilter] = useState<Record<string, string>>({});
  const committees = useNames('/committees');
  const departments = useNames('/departments');
  const list = useLoad(
    () => api.get<Paged<ReferralRow>>('/referrals', { ...filter, limit: '50' }),
    [JSON.stringify(filter)],
  );
  const set = (key: string) => (event: Event) => {
    const value = (event.currentTarget as HTMLSelectElement | HTMLInputElement).value;
    setFilter((f) => ({ ...f, [key]: value }));
  };
  const isOverdue = (r: ReferralRow) => r.overdue;
  return (
    <Page title={{ zh: '督办', en: 'Referrals under supervision' }}>
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          <L zh="督办工委" en="Committee" />
          <select onChange={set('committeeId')} value={filter.committeeId ?? ''}>
            <option value="">全部 All</option>
            {(committees.data?.items ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          <L zh="承办部门" en="Department" />
          <select onChange={set('departmentId')} value={filter.departmentId ?? ''}>
            <option value="">全部 All</option>
            {(departments.data?.items ?? []).map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          <L zh="只看逾期" en="Overdue only" />
          <select onChange={set('overdue')} value={filter.overdue ?? ''}>
            <option value="">否 No</option>
            <option value="true">是 Yes</option>
          </select>
        </label>
      </form>
      <Show loaded={list}>
        {(page) => {
          const sorted = [...page.items].sort(
            (a, b) =>
              Number(isOverdue(b)) - Number(isOverdue(a)) ||
              (a.dueDate ?? '9999').localeCompare(b.dueDate ?? '9999'),
          );
          return sorted.length === 0 ? (
            <p>
              <L zh="没有转交件" en="No referral" />
            </p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">
                    <L zh="承办部门" en="Department" />
                  </th>
                  <th scope="col">
                    <L zh="督办工委" en="Committee" />
                  </th>
                  <th scope="col">
                    <L zh="办理期限" en="Due" />
                  </th>
                  <th scope="col">
                    <L zh="状态" en="Status" />
                  </th>
                  <th scope="col">
                    <L zh="问题数" en="Findings" />
                  </th>
                </tr>
              </thead>
              <tbody>
                {sorted.map((r) => (
                  <tr key={r.id} class={isOverdue(r) ? 'overdue' : ''}>
                    <td>
                      <a href={link('referrals', r.id)}>
                        {nameIn(departments.data?.items, r.departmentId)}
                      </a>
                    </td>
                    <td>{nameIn(committees.data?.items, r.committeeId)}</td>
                    <td>
                      {r.dueDate ?? '—'}
                      {isOverdue(r) ? (
                        <strong class="late">
                          {' '}
                          <L zh="逾期" en="Overdue" />
                        </strong>
                      ) : null}
                    </td>
                    <td>{nameOf(NAMES.referral, r.status)}</td>
                    <td>{r.findings}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          );
        }}
      </Show>
    </Page>
  );
}

interface ReferralDetail {
  referral: Referral & {
    routing: { departmentId: string; at: string; by: string }[];
    pendingTask?: { phase: string; since: string; deadline?: string };
    failure?: { error?: string; cause?: string };
    extensionRequest?: { days?: number; reason?: string };
    reply?: { result?: string; text?: string };
  };
  responses: { action: string; at: string; text?: string; days?: number }[];
  ratings: { rating: string; at: string }[];
  history: { at: string; action: string; actor?: string }[];
}

/** A referral: its history, the department's responses, extension, re-route, committee close. */
export function ReferralPage({ id }: { id: string }) {
  const { api } = useConsole();
  const departments = useNames('/departments');
  const detail = useLoad(
    () => api.get<ReferralDetail>(`/referrals/${encodeURIComponent(id)}`),
    [id],
  );
  const post = (path: string, body: unknown) =>
    api.send('POST', `/referrals/${encodeURIComponent(id)}/${path}`, body);
  return (
    <Show loaded={detail}>
      {(d) => {
        const r = d.referral;
        const waiting = r.pendingTask?.phase;
        return (
          <Page title={{ zh: '转交件', en: 'Referral' }}>
            <dl class="facts">
              <dt>
                <L zh="承办部门" en="Department" />
              </dt>
              <dd>{nameIn(departments.data?.items, r.departmentId)}</dd>
              <dt>
                <L zh="状态" en="Status" />
              </dt>
              <dd>{nameOf(NAMES.referral, r.status)}</dd>
              <dt>
                <L zh="办理期限" en="Due" />
              </dt>
              <dd>{r.dueDate ?? '—'}</dd>
              <dt>
                <L zh="来自活动" en="From activity" />
              </dt>
              <dd>
                <a href={link('activities', r.activityId)}>{r.activityId}</a>
              </dd>
              {waiting ? (
                <>
                  <dt>
                    <L zh="等待" en="Waiting at" />
                  </dt>
                  <dd>
                    {waiting} {r.pendingTask?.deadline ? when(r.pendingTask.deadline) : ''}
                  </dd>
                </>
              ) : null}
            </dl>
            {r.failure ? (
              <p class="error" role="alert">
                {r.failure.error} {r.failure.cause}
              </p>
            ) : null}
            <div class="actions">
              {r.status === 'RETURNED' ? (
                <Action
                  label={{ zh: '改派部门', en: 'Re-route' }}
                  run={async () => {
                    const departmentId = ask('改派给哪个部门（编号）？ Department id');
                    const reason = ask('理由 Reason');
                    if (departmentId && reason) await post('reroute', { departmentId, reason });
                  }}
                  done={detail.reload}
                />
              ) : null}
              {waiting === 'EXTENSION' || r.extensionRequest ? (
                <>
                  <Action
                    label={{ zh: '同意延期', en: 'Grant extension' }}
                    run={async () => {
                      const reason = ask('理由 Reason');
                      if (reason) await post('extension', { decision: 'GRANT', reason });
                    }}
                    done={detail.reload}
                  />
                  <Action
                    kind="secondary"
                    label={{ zh: '不同意延期', en: 'Refuse extension' }}
                    run={async () => {
                      const reason = ask('理由 Reason');
                      if (reason) await post('extension', { decision: 'REFUSE', reason });
                    }}
                    done={detail.reload}
                  />
                </>
              ) : null}
              {r.failure ? (
                <Action
                  label={{ zh: '重新执行', en: 'Redrive' }}
                  run={async () => {
                    const reason = ask('已修复了什么？ What was fixed?');
                    if (reason) await post('redrive', { reason });
                  }}
                  done={detail.reload}
                />
              ) : null}
              {!r.status.startsWith('CLOSED') ? (
                <Action
                  kind="danger"
                  label={{ zh: '督办工委办结', en: 'Close (committee)' }}
                  run={async () => {
                    const reason = ask('办结理由 Reason');
                    if (reason) await post('close', { reason });
                  }}
                  done={detail.reload}
                />
              ) : null}
            </div>
            <section aria-labelledby="responses">
              <h2 id="responses">
                <L zh="部门答复" en="Department responses" />
              </h2>
              <ol class="timeline">
                {d.responses.map((x) => (
                  <li key={x.at}>
                    <time dateTime={x.at}>{when(x.at)}</time> {x.action} {x.text ?? ''}
                  </li>
                ))}
              </ol>
            </section>
            <section aria-labelledby="history">
              <h2 id="history">
                <L zh="办理经过" en="History" />
              </h2>
              <ol class="timeline">
                {d.history.map((x, i) => (
                  <li key={i}>
                    <time dateTime={x.at}>{when(x.at)}</time> {x.action}
                  </li>
                ))}
              </ol>
            </section>
          </Page>
        );
      }}
    </Show>
  );
}
