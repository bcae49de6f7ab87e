import type { ActivitySummary, Page as Paged, ReferralRow } from '../types';
import { ACTIONS, L, NAMES, Page, Show, link, nameOf, useConsole, useLoad, when } from '../ui';

/** Today: what waits on me (with the action it needs), overdue referrals, what comes next. */
export function Today() {
  const { api, session } = useConsole();
  const waiting = useLoad(
    () =>
      api.get<Paged<ActivitySummary>>('/activities', {
        mine: 'true',
        waiting: 'true',
        limit: '50',
      }),
    [],
  );
  const overdue = useLoad(
    () => api.get<Paged<ReferralRow>>('/referrals', { overdue: 'true', limit: '20' }),
    [],
  );
  const upcoming = useLoad(
    () =>
      api.get<Paged<ActivitySummary>>('/activities', {
        mine: 'true',
        from: new Date().toISOString().slice(0, 10),
        status: 'INVITATIONS_SENT',
        limit: '20',
      }),
    [],
  );
  return (
    <Page title={{ zh: '今日待办', en: 'Today' }}>
      <p>
        {session.name} · {session.street ? nameOf(NAMES.street, session.street) : null}
      </p>
      <section aria-labelledby="waiting">
        <h2 id="waiting">
          <L zh="等待我处理" en="Waiting on me" />
        </h2>
        <Show loaded={waiting}>
          {(page) =>
            page.items.length === 0 ? (
              <p>
                <L zh="暂无待办" en="Nothing waits on you" />
              </p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">
                      <L zh="活动" en="Activity" />
                    </th>
                    <th scope="col">
                      <L zh="状态" en="Status" />
                    </th>
                    <th scope="col">
                      <L zh="需要的操作" en="Action needed" />
                    </th>
                    <th scope="col">
                      <L zh="期限" en="Deadline" />
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((a) => (
                    <tr key={a.id}>
                      <td>
                        <a href={link('activities', a.id)}>{a.title}</a>
                      </td>
                      <td>{nameOf(NAMES.status, a.status)}</td>
                      <td>
                        {a.pendingTask?.action ? (
                          <a class="todo" href={link('activities', a.id)}>
                            {nameOf(ACTIONS, a.pendingTask.action.code)}
                          </a>
                        ) : (
                          '—'
                        )}
                      </td>
                      <td>{when(a.pendingTask?.deadline)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )
          }
        </Show>
      </section>
      <section aria-labelledby="overdue">
        <h2 id="overdue">
          <L zh="逾期督办件" en="Overdue referrals" />
        </h2>
        <Show loaded={overdue}>
          {(page) =>
            page.items.length === 0 ? (
              <p>
                <L zh="没有逾期的转办件" en="No referral is overdue" />
              </p>
            ) : (
              <ul>
                {page.items.map((r) => (
                  <li key={r.id}>
                    <a href={link('referrals', r.id)}>{r.departmentId}</a> · {r.dueDate} ·{' '}
                    {nameOf(NAMES.referral, r.status)}
                  </li>
                ))}
              </ul>
            )
          }
        </Show>
      </section>
      <section aria-labelledby="upcoming">
        <h2 id="upcoming">
          <L zh="即将开始" en="Upcoming" />
        </h2>
        <Show loaded={upcoming}>
          {(page) =>
            page.items.length === 0 ? (
              <p>
                <L zh="暂无即将开始的活动" en="No activity coming up" />
              </p>
            ) : (
              <ul>
                {page.items.map((a) => (
                  <li key={a.id}>
                    {when(a.startsAt)} · <a href={link('activities', a.id)}>{a.title}</a> ·{' '}
                    {nameOf(NAMES.type, a.type)}
                  </li>
                ))}
              </ul>
            )
          }
        </Show>
      </section>
    </Page>
  );
}
