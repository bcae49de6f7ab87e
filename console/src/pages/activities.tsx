import { useState } from 'preact/hooks';
import { ACTIVITY_TYPE_CODES } from '../../../functions/shared/domain/reference';
import type { ActivitySummary, Page as Paged } from '../types';
import {
  ACTIVITY_STATUS,
  L,
  NAMES,
  Page,
  Show,
  link,
  nameOf,
  useConsole,
  useLoad,
  when,
  streetCodes,
} from '../ui';

/** Activities: list and search by status, street, type and period (GET /activities). */
export function Activities() {
  const { api, canWrite } = useConsole();
  const [filter, setFilter] = useState<Record<string, string>>({});
  const [cursor, setCursor] = useState<string>();
  const list = useLoad(
    () => api.get<Paged<ActivitySummary>>('/activities', { ...filter, cursor, limit: '25' }),
    [JSON.stringify(filter), cursor],
  );
  const set = (key: string) => (event: Event) => {
    const value = (event.currentTarget as HTMLInputElement | HTMLSelectElement).value;
    setCursor(undefined);
    setFilter((f) => ({ ...f, [key]: value }));
  };
  return (
    <Page title={{ zh: '活动', en: 'Activities' }}>
      {canWrite ? (
        <p>
          <a class="button primary" href="#/activities/new">
            <L zh="安排活动" en="Schedule an activity" />
          </a>
        </p>
      ) : null}
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          <L zh="状态" en="Status" />
          <select onChange={set('status')} value={filter.status ?? ''}>
            <option value="">全部 All</option>
            {Object.entries(ACTIVITY_STATUS).map(([code, n]) => (
              <option key={code} value={code}>
                {n.zh} {n.en}
              </option>
            ))}
          </select>
        </label>
        <label>
          <L zh="类型" en="Type" />
          <select onChange={set('type')} value={filter.type ?? ''}>
            <option value="">全部 All</option>
            {ACTIVITY_TYPE_CODES.map((code) => (
              <option key={code} value={code}>
                {NAMES.type[code]?.zh} {NAMES.type[code]?.en}
              </option>
            ))}
          </select>
        </label>
        <label>
          <L zh="街道" en="Street" />
          <select onChange={set('street')} value={filter.street ?? ''}>
            <option value="">全部 All</option>
            {streetCodes().map((code) => (
              <option key={code} value={code}>
                {NAMES.street[code]?.zh}
              </option>
            ))}
          </select>
        </label>
        <label>
          <L zh="开始不早于" en="From" />
          <input type="date" onChange={set('from')} value={filter.from ?? ''} />
        </label>
        <label>
          <L zh="开始不晚于" en="To" />
          <input type="date" onChange={set('to')} value={filter.to ?? ''} />
        </label>
      </form>
      <Show loaded={list}>
        {(page) => (
          <>
            <table>
              <thead>
                <tr>
                  <th scope="col">
                    <L zh="活动" en="Activity" />
                  </th>
                  <th scope="col">
                    <L zh="类型" en="Type" />
                  </th>
                  <th scope="col">
                    <L zh="街道" en="Street" />
                  </th>
                  <th scope="col">
                    <L zh="开始" en="Starts" />
                  </th>
                  <th scope="col">
                    <L zh="状态" en="Status" />
                  </th>
                  <th scope="col">
                    <L zh="邀请" en="Invited" />
                  </th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((a) => (
                  <tr key={a.id}>
                    <td>
                      <a href={link('activities', a.id)}>{a.title}</a>
                    </td>
                    <td>{nameOf(NAMES.type, a.type)}</td>
                    <td>{NAMES.street[a.street]?.zh ?? a.street}</td>
                    <td>{when(a.startsAt)}</td>
                    <td>{nameOf(NAMES.status, a.status)}</td>
                    <td>{a.invited}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {page.items.length === 0 ? (
              <p>
                <L zh="没有符合条件的活动" en="No activity matches" />
              </p>
            ) : null}
            {page.nextCursor ? (
              <button type="button" class="secondary" onClick={() => setCursor(page.nextCursor)}>
                <L zh="下一页" en="Next page" />
              </button>
            ) : null}
          </>
        )}
      </Show>
    </Page>
  );
}
