import type { Option } from '../forms';
import { ListPage, type Filter } from '../list';
import type { Named, Page as Paged, Referral, ReferralRow } from '../types';
import {
  Action,
  Facts,
  L,
  NAMES,
  Page,
  Show,
  link,
  nameOf,
  useConsole,
  useLoad,
  when,
  type Loaded,
} from '../ui';

const ask = (question: string) => window.prompt(question)?.trim() || undefined;

const useNames = (path: string) => {
  const { api } = useConsole();
  return useLoad(() => api.get<Paged<Named>>(path, { limit: '100' }), [path]);
};

const nameIn = (list: Named[] | undefined, id: string | null | undefined) =>
  list?.find((n) => n.id === id)?.name ?? id ?? '—';

/** 督办: referrals per supervising committee and department, overdue first (GET /referrals). */
export function Referrals() {
  const committees = useNames('/committees');
  const departments = useNames('/departments');
  const named = (list: Loaded<Paged<Named>>): Option[] =>
    (list.data?.items ?? []).map((n) => [n.id, n.name]);
  const filters: Filter[] = [
    {
      key: 'committeeId',
      label: { zh: '督办工委', en: 'Committee' },
      kind: 'select',
      options: named(committees),
    },
    {
      key: 'departmentId',
      label: { zh: '承办部门', en: 'Department' },
      kind: 'select',
      options: named(departments),
    },
    {
      key: 'overdue',
      label: { zh: '只看逾期', en: 'Overdue only' },
      kind: 'select',
      all: false,
      options: [
        ['', '否 No'],
        ['true', '是 Yes'],
      ],
    },
  ];
  return (
    <Page title={{ zh: '督办', en: 'Referrals under supervision' }}>
      <ListPage<ReferralRow>
        path="/referrals"
        pageSize={50}
        filters={filters}
        empty={{ zh: '没有转交件', en: 'No referral' }}
        order={(a, b) =>
          Number(b.overdue) - Number(a.overdue) ||
          (a.dueDate ?? '9999').localeCompare(b.dueDate ?? '9999')
        }
        rowClass={(r) => (r.overdue ? 'overdue' : undefined)}
        columns={[
          {
            title: { zh: '承办部门', en: 'Department' },
            cell: (r) => (
              <a href={link('referrals', r.id)}>
                {nameIn(departments.data?.items, r.departmentId)}
              </a>
            ),
          },
          {
            title: { zh: '督办工委', en: 'Committee' },
            cell: (r) => nameIn(committees.data?.items, r.committeeId),
          },
          {
            title: { zh: '办理期限', en: 'Due' },
            cell: (r) => (
              <>
                {r.dueDate ?? '—'}
                {r.overdue ? (
                  <strong class="late">
                    {' '}
                    <L zh="逾期" en="Overdue" />
                  </strong>
                ) : null}
              </>
            ),
          },
          { title: { zh: '状态', en: 'Status' }, cell: (r) => nameOf(NAMES.referral, r.status) },
          { title: { zh: '问题数', en: 'Findings' }, cell: (r) => r.findings },
        ]}
      />
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
            <Facts
              rows={[
                [
                  { zh: '承办部门', en: 'Department' },
                  nameIn(departments.data?.items, r.departmentId),
                ],
                [{ zh: '状态', en: 'Status' }, nameOf(NAMES.referral, r.status)],
                [{ zh: '办理期限', en: 'Due' }, r.dueDate ?? '—'],
                [
                  { zh: '来自活动', en: 'From activity' },
                  <a href={link('activities', r.activityId)}>{r.activityId}</a>,
                ],
                ...(waiting
                  ? [
                      [
                        { zh: '等待', en: 'Waiting at' },
                        `${waiting} ${r.pendingTask?.deadline ? when(r.pendingTask.deadline) : ''}`,
                      ] as const,
                    ]
                  : []),
              ]}
            />
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
