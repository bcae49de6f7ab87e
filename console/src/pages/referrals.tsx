import { ActionDialog, Choice, Field, ReasonField, textOf, type Option } from '../forms';
import { ListPage, selectFilter, type Filter } from '../list';
import type { Named, Page as Paged, ReferralDetail, ReferralRow, ReferralView } from '../types';
import {
  Facts,
  L,
  NAMES,
  Page,
  REFERRAL_WAITS,
  Section,
  Remark,
  EventList,
  Show,
  link,
  nameOf,
  useConsole,
  useLoad,
  when,
  type Loaded,
} from '../ui';

const useNames = (path: string) => {
  const { api } = useConsole();
  return useLoad(() => api.get<Paged<Named>>(path, { limit: '100' }), [path]);
};

const nameIn = (list: Named[] | undefined, id: string | null | undefined) =>
  list?.find((n) => n.id === id)?.name ?? id ?? '—';

/** A referral's due date, and "overdue" when it is. */
const Due = ({ referral }: { referral: { dueDate: string | null; overdue: boolean } }) => (
  <>
    {referral.dueDate ?? '—'}
    <Remark show={referral.overdue} late label={{ zh: '逾期', en: 'Overdue' }} />
  </>
);

/** 督办: referrals per supervising committee and department, overdue first (GET /referrals). */
export function Referrals() {
  const committees = useNames('/committees');
  const departments = useNames('/departments');
  const named = (list: Loaded<Paged<Named>>): Option[] =>
    (list.data?.items ?? []).map((n) => [n.id, n.name]);
  const filters: Filter[] = [
    selectFilter('committeeId', { zh: '督办工委', en: 'Committee' }, named(committees)),
    selectFilter('departmentId', { zh: '承办部门', en: 'Department' }, named(departments)),
    selectFilter(
      'overdue',
      { zh: '只看逾期', en: 'Overdue only' },
      [
        ['', '否 No'],
        ['true', '是 Yes'],
      ],
      false,
    ),
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
            cell: (r) => <Due referral={r} />,
          },
          { title: { zh: '状态', en: 'Status' }, cell: (r) => nameOf(NAMES.referral, r.status) },
          { title: { zh: '问题数', en: 'Findings' }, cell: (r) => r.findings },
        ]}
      />
    </Page>
  );
}

/** The departments a returned referral may go to: the active ones but the one that returned it. */
function DepartmentChooser({
  departments,
  returnedBy,
}: {
  departments: Named[] | undefined;
  returnedBy: string;
}) {
  const options: Option[] = (departments ?? [])
    .filter((d) => d.active !== false && d.id !== returnedBy)
    .map((d) => [d.id, d.name]);
  return (
    <Field label={{ zh: '改派给', en: 'Send it to' }}>
      <Choice name="departmentId" required all="请选择部门 Choose a department" options={options} />
    </Field>
  );
}

/** The organiser's actions on a referral, each asking in a dialog what it needs. */
function ReferralActions({
  referral: r,
  departments,
  done,
}: {
  referral: ReferralView;
  departments: Named[] | undefined;
  done: () => void;
}) {
  const { api } = useConsole();
  const post = (path: string, body: unknown) =>
    api.send('POST', `/referrals/${encodeURIComponent(r.id)}/${path}`, body);
  const extension = r.extensionRequest?.status === 'PENDING' ? r.extensionRequest : null;
  const asked = extension ? (
    <>
      <L zh="部门申请延期" en="The department asks for" /> {extension.days} <L zh="天" en="days" />
      ：{extension.reason}
    </>
  ) : null;
  return (
    <div class="actions">
      {r.waitingOn?.code === 'REROUTE' ? (
        <ActionDialog
          label={{ zh: '改派部门', en: 'Re-route' }}
          title={{ zh: '改派给其他部门', en: 'Send the referral to another department' }}
          intro={
            r.returned ? (
              <>
                <L zh="退回理由" en="Returned because" />：{r.returned.reason}
              </>
            ) : undefined
          }
          run={(form) =>
            post('reroute', {
              departmentId: textOf(form, 'departmentId'),
              reason: textOf(form, 'reason'),
            })
          }
          done={done}
        >
          <DepartmentChooser departments={departments} returnedBy={r.departmentId} />
          <ReasonField label={{ zh: '改派理由', en: 'Why this department' }} />
        </ActionDialog>
      ) : null}
      {extension ? (
        <>
          <ActionDialog
            label={{ zh: '同意延期', en: 'Grant extension' }}
            intro={asked}
            run={(form) => {
              const days = Number(textOf(form, 'days'));
              return post('extension', {
                decision: 'GRANT',
                ...(days && days !== extension.days ? { days } : {}),
                reason: textOf(form, 'reason'),
              });
            }}
            done={done}
          >
            <Field label={{ zh: '延期天数', en: 'Days granted' }}>
              <input
                type="number"
                name="days"
                required
                min={1}
                max={180}
                step={1}
                value={String(extension.days)}
              />
            </Field>
            <ReasonField />
          </ActionDialog>
          <ActionDialog
            kind="secondary"
            label={{ zh: '不同意延期', en: 'Refuse extension' }}
            intro={asked}
            run={(form) =>
              post('extension', { decision: 'REFUSE', reason: textOf(form, 'reason') })
            }
            done={done}
          >
            <ReasonField />
          </ActionDialog>
        </>
      ) : null}
      {r.failure ? (
        <ActionDialog
          label={{ zh: '重新执行', en: 'Redrive' }}
          title={{ zh: '重新执行失败的步骤', en: 'Run the failed step again' }}
          intro={`${r.failure.error} ${r.failure.cause}`}
          run={(form) => post('redrive', { reason: textOf(form, 'reason') })}
          done={done}
        >
          <ReasonField label={{ zh: '已修复了什么', en: 'What was fixed' }} />
        </ActionDialog>
      ) : null}
      {r.waitingOn?.party === 'DEPARTMENT' || r.waitingOn?.code === 'DECIDE_EXTENSION' ? (
        <ActionDialog
          kind="danger"
          label={{ zh: '督办工委办结', en: 'Close (committee)' }}
          title={{ zh: '由督办工委办结', en: 'Close for the supervising committee' }}
          submit={{ zh: '办结', en: 'Close it' }}
          run={(form) => post('close', { reason: textOf(form, 'reason') })}
          done={done}
        >
          <ReasonField label={{ zh: '办结理由', en: 'Why it is closed' }} />
        </ActionDialog>
      ) : null}
    </div>
  );
}

/** A referral: its findings, history, the department's responses, extension, re-route, close. */
export function ReferralPage({ id }: { id: string }) {
  const { api } = useConsole();
  const departments = useNames('/departments');
  const committees = useNames('/committees');
  const detail = useLoad(
    () => api.get<ReferralDetail>(`/referrals/${encodeURIComponent(id)}`),
    [id],
  );
  return (
    <Show loaded={detail}>
      {(d) => {
        const r = d.referral;
        const waiting = r.waitingOn;
        return (
          <Page title={{ zh: '转交件', en: 'Referral' }}>
            <Facts
              rows={[
                [
                  { zh: '承办部门', en: 'Department' },
                  nameIn(departments.data?.items, r.departmentId),
                ],
                [
                  { zh: '督办工委', en: 'Committee' },
                  nameIn(committees.data?.items, r.committeeId),
                ],
                [{ zh: '状态', en: 'Status' }, nameOf(NAMES.referral, r.status)],
                [{ zh: '办理期限', en: 'Due' }, <Due referral={r} />],
                [
                  { zh: '来自活动', en: 'From activity' },
                  <a href={link('activities', r.activityId)}>
                    {r.activity?.title ?? r.activityId}
                  </a>,
                ],
                ...(waiting
                  ? [
                      [
                        { zh: '等待', en: 'Waiting at' },
                        <>
                          {nameOf(REFERRAL_WAITS, waiting.code)}
                          {waiting.deadline ? ` · ${when(waiting.deadline)}` : ''}
                        </>,
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
            <ReferralActions
              referral={r}
              departments={departments.data?.items}
              done={detail.reload}
            />
            <Section id="findings" title={{ zh: '转办的问题', en: 'Findings referred' }}>
              <ul>
                {r.findings.map((f) => (
                  <li key={f.id}>
                    {nameOf(NAMES.category, f.category)} · {f.description} · {f.place}
                  </li>
                ))}
              </ul>
            </Section>
            <Section id="responses" title={{ zh: '部门答复', en: 'Department responses' }}>
              <EventList events={d.responses} keyOf={(x) => x.at}>
                {(x) => (
                  <>
                    {x.action} {x.text ?? x.reason ?? ''}
                  </>
                )}
              </EventList>
            </Section>
            <Section id="history" title={{ zh: '办理经过', en: 'History' }}>
              <EventList events={d.history} keyOf={(x) => x.seq}>
                {(x) => x.action}
              </EventList>
            </Section>
          </Page>
        );
      }}
    </Show>
  );
}
