import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { activityDetailRows } from '../../../functions/shared/domain/activity-details';
import { DEPUTY_LEVEL_CODES } from '../../../functions/shared/domain/reference';
import { ActionDialog, Choice, Field, ReasonField, optionsOf, textOf, useSubmit } from '../forms';
import { DataTable } from '../list';
import type {
  ActivityView,
  Deputy,
  Finding,
  InvitationRow,
  Named,
  Page as Paged,
  Review,
} from '../types';
import { InviteePicker } from './schedule';
import {
  ACTIONS,
  Action,
  Facts,
  L,
  NAMES,
  Page,
  Problem,
  Section,
  Remark,
  EventList,
  Bullets,
  Show,
  link,
  nameOf,
  useConsole,
  useLoad,
  when,
  Submit,
} from '../ui';

interface TrailEvent {
  seq: number;
  at: string;
  actor: string;
  action: string;
}

interface VenueQrCode {
  code: string;
  expiresAt: string;
  venueCode?: string;
  venueCodeExpiresAt?: string;
  svg: string;
  url: string;
}

/**
 * The venue QR code and its six digits, for a screen at the venue while check-in is open. Both
 * rotate (the digits every few minutes, the QR code's link when it expires): the next ones are
 * fetched when the first of them expires. "Full screen" shows only this part, as large as the
 * screen allows, for a projector or a TV.
 */
function VenueQr({ activityId }: { activityId: string }) {
  const { api } = useConsole();
  const [round, setRound] = useState(0);
  const holder = useRef<HTMLElement>(null);
  const qr = useLoad(
    () => api.get<VenueQrCode>(`/activities/${activityId}/check-in/qr`),
    [activityId, round],
  );
  const next = qr.data
    ? [qr.data.expiresAt, qr.data.venueCodeExpiresAt ?? qr.data.expiresAt].sort()[0]!
    : undefined;
  useEffect(() => {
    if (!next) return;
    // A second after the change, and never sooner than 5 s (a clock behind the API's).
    const wait = Math.max(5_000, Date.parse(next) - Date.now() + 1_000);
    const timer = setTimeout(() => setRound((r) => r + 1), wait);
    return () => clearTimeout(timer);
  }, [next]);
  return (
    <section aria-labelledby="qr" class="qr" ref={holder}>
      <h2 id="qr">
        <L zh="现场签到二维码" en="Venue QR code" />
      </h2>
      <Show loaded={qr}>
        {(q) => (
          <div class="qr-body">
            <img
              width={320}
              height={320}
              alt="签到二维码 Check-in QR code"
              src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(q.svg)}`}
            />
            <div>
              {q.venueCode ? (
                <p class="venue-code">
                  <L zh="签到码" en="Venue code" /> <strong>{q.venueCode}</strong>
                </p>
              ) : null}
              <p>
                <L zh="扫码或在本人页面输入签到码" en="Scan, or type the code on your own page" />
              </p>
              <p>
                <L zh="下次更换" en="Changes at" /> {when(next)}
              </p>
              <button
                type="button"
                class="secondary screen-only"
                onClick={() => {
                  if (document.fullscreenElement) void document.exitFullscreen();
                  else void holder.current?.requestFullscreen();
                }}
              >
                <L zh="全屏显示" en="Full screen" />
              </button>
            </div>
          </div>
        )}
      </Show>
    </section>
  );
}

function AttendanceByLevel({ view }: { view: ActivityView }) {
  const a = view.activity.attendance;
  const c = view.activity.counts;
  return (
    <Section id="attendance" title={{ zh: '邀请与出席', en: 'Invitations and attendance' }}>
      <Facts
        figures
        rows={[
          [{ zh: '邀请', en: 'Invited' }, a?.invited ?? c.invited],
          [{ zh: '已发邮件', en: 'Emails sent' }, c.emailsSent],
          [{ zh: '接受', en: 'Accepted' }, a?.accepted ?? '—'],
          [{ zh: '谢绝', en: 'Declined' }, a?.declined ?? '—'],
          [{ zh: '出席', en: 'Attended' }, a?.attended ?? '—', 'attended'],
        ]}
      />
      {a ? (
        <table>
          <caption>
            {view.activity.status === 'CHECK_IN_OPEN' ? (
              <>
                <L
                  zh="各层级人次（签到中，实时）"
                  en="Person-times by level (live, check-in open)"
                />{' '}
                <span class="muted">{when(a.computedAt)}</span>
              </>
            ) : (
              <L zh="各层级人次" en="Person-times by level" />
            )}
          </caption>
          <thead>
            <tr>
              {DEPUTY_LEVEL_CODES.map((level) => (
                <th scope="col" key={level}>
                  {nameOf(NAMES.level, level)}
                </th>
              ))}
              <th scope="col">
                <L zh="合计" en="Total" />
              </th>
            </tr>
          </thead>
          <tbody>
            <tr>
              {DEPUTY_LEVEL_CODES.map((level) => (
                <td key={level}>{a.personTimesByLevel[level] ?? 0}</td>
              ))}
              <td>{a.personTimesTotal}</td>
            </tr>
          </tbody>
        </table>
      ) : null}
    </Section>
  );
}

const ANSWERS = {
  ACCEPTED: { zh: '接受', en: 'Accepted' },
  DECLINED: { zh: '谢绝', en: 'Declined' },
};
const CHECK_IN_METHODS = {
  QR: { zh: '扫码', en: 'QR' },
  CODE: { zh: '签到码', en: 'Code' },
  API: { zh: '本人页面', en: 'Own page' },
  MAKE_UP: { zh: '补签', en: 'Make-up' },
};

/**
 * Who was invited, their answers and check-ins (names and levels only: no contact data). Read
 * again whenever the activity's view changes (`version`), so check-ins follow the live figures.
 */
function Invitations({ activityId, version }: { activityId: string; version: string }) {
  const { api } = useConsole();
  const list = useLoad(
    () => api.get<{ items: InvitationRow[] }>(`/activities/${activityId}/invitations`),
    [activityId, version],
  );
  return (
    <Section id="invitations" title={{ zh: '邀请与答复', en: 'Invitations and answers' }}>
      <Show loaded={list}>
        {({ items }) => (
          <DataTable
            rows={items.map((item) => ({ ...item, id: item.deputyId }))}
            columns={[
              {
                title: { zh: '代表', en: 'Deputy' },
                cell: (row) => (
                  <>
                    {row.name ?? row.deputyId}
                    <Remark show={row.guest} label={{ zh: '（外区）', en: '(guest)' }} />
                  </>
                ),
              },
              {
                title: { zh: '层级', en: 'Levels' },
                // Each level's name is markup (Chinese and English): separated, not joined as text.
                cell: (row) =>
                  row.levels.map((level, i) => (
                    <Fragment key={level}>
                      {i > 0 ? '、' : null}
                      {nameOf(NAMES.level, level)}
                    </Fragment>
                  )),
              },
              {
                title: { zh: '答复', en: 'Answer' },
                cell: (row) =>
                  row.answer ? (
                    <>
                      <L {...ANSWERS[row.answer.response]} />{' '}
                      <span class="muted">{when(row.answer.at)}</span>
                      {row.answer.note ? <div>{row.answer.note}</div> : null}
                    </>
                  ) : (
                    '—'
                  ),
              },
              {
                title: { zh: '签到', en: 'Checked in' },
                cell: (row) =>
                  row.checkIn ? (
                    <>
                      <L {...CHECK_IN_METHODS[row.checkIn.method]} />{' '}
                      <span class="muted">{when(row.checkIn.at)}</span>
                    </>
                  ) : (
                    '—'
                  ),
              },
            ]}
          />
        )}
      </Show>
    </Section>
  );
}

function Findings({ activityId }: { activityId: string }) {
  const { api } = useConsole();
  const list = useLoad(
    () => api.get<{ findings: Finding[] }>(`/activities/${activityId}/findings`),
    [activityId],
  );
  return (
    <Section id="findings" title={{ zh: '收集的问题和建议', en: 'Findings' }}>
      <Show loaded={list}>
        {({ findings }) => (
          <Bullets items={findings} none={{ zh: '暂无', en: 'None yet' }} class="findings">
            {(f) => (
              <>
                {nameOf(NAMES.kind, f.kind)} · {nameOf(NAMES.category, f.category)} · {f.place}
                <br />
                {f.description}
              </>
            )}
          </Bullets>
        )}
      </Show>
    </Section>
  );
}

const DECISIONS = {
  REFER: { zh: '转交', en: 'Refer' },
  MERGE: { zh: '合并', en: 'Merge' },
  ANSWER_DIRECTLY: { zh: '直接答复', en: 'Answer' },
  NO_ACTION: { zh: '不予处理', en: 'No action' },
} as const;

/** One finding on the docket: the meeting's decision on it. */
function DocketFinding({
  finding,
  others,
  departments,
  activityId,
  done,
}: {
  finding: Finding;
  others: Finding[];
  departments: Named[];
  activityId: string;
  done: () => void;
}) {
  const { api, canWrite } = useConsole();
  const [decision, setDecision] = useState<keyof typeof DECISIONS>('REFER');
  const submit = useSubmit((form) => {
    const field = (name: string) => textOf(form, name);
    const base = { findingId: finding.id, decision, reason: field('reason') };
    const body =
      decision === 'REFER'
        ? { ...base, departmentId: field('departmentId') }
        : decision === 'MERGE'
          ? { ...base, intoFindingId: field('intoFindingId') }
          : decision === 'ANSWER_DIRECTLY'
            ? { ...base, answer: field('answer') }
            : base;
    return api.send('POST', `/activities/${activityId}/review/decisions`, { decisions: [body] });
  }, done);
  return (
    <li class="docket-item">
      <p>
        {nameOf(NAMES.category, finding.category)} · {finding.place}: {finding.description}
      </p>
      <p>
        <L zh="当前" en="Now" />:{' '}
        {finding.decision ? (
          nameOf(DECISIONS, finding.decision.type)
        ) : finding.referralId ? (
          <L zh="拟转交（分拣）" en="Proposed referral (triage)" />
        ) : (
          <L zh="待决定" en="Undecided" />
        )}
      </p>
      {canWrite ? (
        <form
          class="inline-form"
          onSubmit={submit.onSubmit}
          aria-label={`决定 Decide ${finding.place}`}
        >
          <Field label={{ zh: '决定', en: 'Decision' }}>
            <Choice
              name="decision"
              value={decision}
              options={optionsOf(DECISIONS)}
              onChange={(e) =>
                setDecision((e.currentTarget as HTMLSelectElement).value as keyof typeof DECISIONS)
              }
            />
          </Field>
          {decision === 'REFER' ? (
            <Field label={{ zh: '承办部门', en: 'Department' }}>
              <Choice name="departmentId" options={departments.map((d) => [d.id, d.name])} />
            </Field>
          ) : null}
          {decision === 'MERGE' ? (
            <Field label={{ zh: '并入', en: 'Merge into' }}>
              <Choice
                name="intoFindingId"
                options={others.map((o) => [o.id, `${o.place}: ${o.description.slice(0, 30)}`])}
              />
            </Field>
          ) : null}
          {decision === 'ANSWER_DIRECTLY' ? (
            <Field label={{ zh: '答复', en: 'Answer' }}>
              <input name="answer" required />
            </Field>
          ) : null}
          <Field label={{ zh: '理由', en: 'Reason' }}>
            <input name="reason" required />
          </Field>
          <Submit state={submit} label={{ zh: '记录决定', en: 'Record decision' }} />
          <Problem message={submit.error} />
        </form>
      ) : null}
    </li>
  );
}

/** One referral of the docket: supervising committee and due date. */
function DocketReferral({
  referral,
  committees,
  departments,
  activityId,
  done,
}: {
  referral: Review['referrals'][number];
  committees: Named[];
  departments: Named[];
  activityId: string;
  done: () => void;
}) {
  const { api, canWrite } = useConsole();
  const department = departments.find((d) => d.id === referral.departmentId)?.name;
  const submit = useSubmit(
    (form) =>
      api.send('POST', `/activities/${activityId}/review/referrals/${referral.id}`, {
        committeeId: textOf(form, 'committeeId'),
        dueDate: textOf(form, 'dueDate'),
      }),
    done,
  );
  const inSixtyDays = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
  return (
    <li class="docket-item">
      <p>
        <strong>{department ?? referral.departmentId}</strong> · {referral.findingIds.length}{' '}
        <L zh="件" en="findings" /> · <L zh="督办" en="Supervised by" />{' '}
        {committees.find((c) => c.id === referral.committeeId)?.name ?? '—'} ·{' '}
        <L zh="期限" en="Due" /> {referral.dueDate ?? '—'}
      </p>
      {canWrite ? (
        <form
          class="inline-form"
          onSubmit={submit.onSubmit}
          aria-label={`督办 ${department ?? ''}`}
        >
          <Field label={{ zh: '督办工委', en: 'Supervising committee' }}>
            <Choice
              name="committeeId"
              {...(referral.committeeId ? { value: referral.committeeId } : {})}
              options={committees.map((c) => [c.id, c.name])}
            />
          </Field>
          <Field label={{ zh: '办理期限', en: 'Due date' }}>
            <input name="dueDate" type="date" required value={referral.dueDate ?? inSixtyDays} />
          </Field>
          <Submit state={submit} label={{ zh: '保存督办', en: 'Save' }} />
          <Problem message={submit.error} />
        </form>
      ) : null}
    </li>
  );
}

/** The chairmen's meeting (主任会议) docket: decide each finding, name who supervises, approve. */
function Docket({ activityId, done }: { activityId: string; done: () => void }) {
  const { api } = useConsole();
  const review = useLoad(() => api.get<Review>(`/activities/${activityId}/review`), [activityId]);
  const departments = useLoad(
    () => api.get<Paged<Named>>('/departments', { active: 'true', limit: '100' }),
    [],
  );
  const committees = useLoad(
    () => api.get<Paged<Named>>('/committees', { active: 'true', limit: '100' }),
    [],
  );
  return (
    <Section id="docket" title={{ zh: '主任会议议程', en: "Chairmen's meeting docket" }}>
      <Show loaded={review}>
        {(r) => (
          <Show loaded={departments}>
            {(deps) => (
              <Show loaded={committees}>
                {(cmtes) => (
                  <>
                    <h3>
                      <L zh="问题" en="Findings" />
                    </h3>
                    <ul class="docket">
                      {r.findings
                        .filter((f) => f.needsReferral)
                        .map((f) => (
                          <DocketFinding
                            key={f.id}
                            finding={f}
                            others={r.findings.filter((o) => o.id !== f.id)}
                            departments={deps.items}
                            activityId={activityId}
                            done={review.reload}
                          />
                        ))}
                    </ul>
                    <h3>
                      <L zh="转交件" en="Referrals" />
                    </h3>
                    <ul class="docket">
                      {r.referrals.map((ref) => (
                        <DocketReferral
                          key={ref.id}
                          referral={ref}
                          committees={cmtes.items}
                          departments={deps.items}
                          activityId={activityId}
                          done={review.reload}
                        />
                      ))}
                    </ul>
                    {r.approval.ready ? null : (
                      <p class="hint">
                        <L
                          zh="还有未决定的问题或未指定督办工委、期限的转交件"
                          en="Some findings are undecided or a referral lacks its committee or due date"
                        />
                      </p>
                    )}
                    <Action
                      label={{ zh: '审定并交办', en: 'Approve and dispatch' }}
                      run={() => api.send('POST', `/activities/${activityId}/review/approve`)}
                      done={done}
                    />
                  </>
                )}
              </Show>
            )}
          </Show>
        )}
      </Show>
    </Section>
  );
}

function Timeline({ activityId, status }: { activityId: string; status: string }) {
  const { api } = useConsole();
  const trail = useLoad(
    () =>
      api.get<{ events: TrailEvent[]; verification: { ok: boolean } }>(
        `/audit/activities/${activityId}/trail`,
        { limit: '100' },
      ),
    [activityId, status],
  );
  return (
    <Section id="timeline" title={{ zh: '时间线（审计链）', en: 'Timeline (audit trail)' }}>
      <Show loaded={trail}>
        {(t) => (
          <>
            <p>
              {t.verification.ok ? (
                <L zh="审计链校验通过" en="Audit chain verified" />
              ) : (
                <strong class="error">
                  <L zh="审计链校验失败" en="Audit chain broken" />
                </strong>
              )}
            </p>
            <EventList events={t.events} keyOf={(e) => e.seq}>
              {(e) => (
                <>
                  {e.action} <span class="muted">{e.actor}</span>
                </>
              )}
            </EventList>
          </>
        )}
      </Show>
    </Section>
  );
}

/**
 * Change the time, place, description or invitees before the start (PATCH /activities/{id}):
 * the deputies chosen in the picker are invited, or their invitations withdrawn; the workflow
 * sends each invitee a change notice.
 */
function Change({ view, done }: { view: ActivityView; done: () => void }) {
  const { api, canWrite } = useConsole();
  const [chosen, setChosen] = useState(new Map<string, Deputy>());
  const a = view.activity;
  const submit = useSubmit(async (form) => {
    const body: Record<string, unknown> = {};
    const location = textOf(form, 'location');
    const description = textOf(form, 'description');
    const startsAt = textOf(form, 'startsAt');
    const endsAt = textOf(form, 'endsAt');
    if (location && location !== a.location) body.location = location;
    if (description !== (a.description ?? '')) body.description = description;
    if (startsAt) body.startsAt = `${startsAt}:00+08:00`;
    if (endsAt) body.endsAt = `${endsAt}:00+08:00`;
    if (chosen.size > 0) {
      body[textOf(form, 'invitees') === 'remove' ? 'removeDeputyIds' : 'addDeputyIds'] = [
        ...chosen.keys(),
      ];
    }
    await api.send('PATCH', `/activities/${a.id}`, body);
    setChosen(new Map());
  }, done);
  if (!canWrite) return null;
  return (
    <details class="change">
      <summary>
        <L zh="变更时间、地点或邀请代表" en="Change time, place or invitees" />
      </summary>
      <form class="form" onSubmit={submit.onSubmit}>
        <Field label={{ zh: '地点', en: 'Location' }}>
          <input name="location" value={a.location} maxLength={300} />
        </Field>
        <Field label={{ zh: '说明', en: 'Description' }}>
          <textarea name="description" rows={2} maxLength={4000} value={a.description ?? ''} />
        </Field>
        <Field label={{ zh: '新开始时间（北京时间）', en: 'New start (Beijing time)' }}>
          <input name="startsAt" type="datetime-local" />
        </Field>
        <Field label={{ zh: '新结束时间（北京时间）', en: 'New end (Beijing time)' }}>
          <input name="endsAt" type="datetime-local" />
        </Field>
        <InviteePicker
          chosen={chosen}
          onChange={setChosen}
          legend={{ zh: '代表', en: 'Deputies' }}
        />
        <Field label={{ zh: '所选代表', en: 'The deputies chosen' }}>
          <Choice
            name="invitees"
            options={[
              ['add', '加邀 Invite them'],
              ['remove', '取消邀请 Withdraw their invitations'],
            ]}
          />
        </Field>
        <Problem message={submit.error} />
        <Submit
          state={submit}
          label={{ zh: '变更并通知受邀代表', en: 'Change and notify the invitees' }}
        />
      </form>
    </details>
  );
}

const BEFORE_START = ['SCHEDULED', 'INVITATIONS_SENT'];

/** The workflow's waiting steps an organiser ends by a button, in the statuses they wait in. */
const STEP_BUTTONS: readonly {
  phase: string;
  statuses: readonly string[];
  code: string;
  path: string;
}[] = [
  { phase: 'START', statuses: BEFORE_START, code: 'OPEN_CHECK_IN', path: 'check-in/open' },
  {
    phase: 'ATTENDANCE',
    statuses: ['CHECK_IN_OPEN'],
    code: 'CLOSE_ATTENDANCE',
    path: 'attendance/close',
  },
  {
    phase: 'FINDINGS',
    statuses: ['FINDINGS_OPEN'],
    code: 'CLOSE_FINDINGS',
    path: 'findings/close',
  },
];
const FINAL = ['COMPLETED', 'CANCELLED'];

export function Activity({ id }: { id: string }) {
  const { api } = useConsole();
  const view = useLoad(() => api.get<ActivityView>(`/activities/${encodeURIComponent(id)}`), [id]);
  const status = view.data?.activity.status;
  // The docket's forms are not refreshed under the organiser's hands, but once the meeting's
  // decisions are approved the workflow moves on by itself, and the page follows it.
  const [approved, setApproved] = useState(false);
  // Live while check-in is open, and while a workflow step is on its way.
  useEffect(() => {
    if (!status || FINAL.includes(status) || (status === 'IN_REVIEW' && !approved)) return;
    const timer = setInterval(view.reload, status === 'CHECK_IN_OPEN' ? 3000 : 5000);
    return () => clearInterval(timer);
  }, [status, approved, view.reload]);
  const act = (path: string, body?: unknown) => () =>
    api.send('POST', `/activities/${encodeURIComponent(id)}/${path}`, body);

  return (
    <Show loaded={view}>
      {(v) => {
        const a = v.activity;
        return (
          <Page title={{ zh: a.title, en: NAMES.type[a.type]?.en ?? a.type }}>
            <p class="status" aria-live="polite">
              <L zh="状态" en="Status" />: <strong>{nameOf(NAMES.status, a.status)}</strong>
              {a.pendingTask?.phase ? (
                <>
                  {' '}
                  · <L zh="等待" en="Waiting at" /> {a.pendingTask.phase}
                  {a.pendingTask.deadline ? ` · ${when(a.pendingTask.deadline)}` : ''}
                </>
              ) : null}
            </p>
            <Facts
              rows={[
                [{ zh: '类型', en: 'Type' }, nameOf(NAMES.type, a.type)],
                [{ zh: '街道', en: 'Street' }, nameOf(NAMES.street, a.street)],
                [{ zh: '地点', en: 'Location' }, a.location],
                [{ zh: '时间', en: 'Time' }, `${when(a.startsAt)} – ${when(a.endsAt)}`],
                ...(a.description
                  ? [[{ zh: '说明', en: 'Description' }, a.description] as const]
                  : []),
                ...activityDetailRows(a.details, 'zh', { showSealed: true }).map(
                  (row) =>
                    [
                      row.label,
                      Array.isArray(row.value) ? row.value.join('、') : row.value,
                    ] as const,
                ),
              ]}
            />
            <div class="actions">
              {/* Each step's button only while the workflow waits at that step: right after a
                  change it is sending the notices and not yet waiting again (409 otherwise). */}
              {STEP_BUTTONS.filter(
                (step) => step.statuses.includes(a.status) && a.pendingTask?.phase === step.phase,
              ).map((step) => (
                <Action
                  key={step.code}
                  label={ACTIONS[step.code]!}
                  run={act(step.path)}
                  done={view.reload}
                />
              ))}
              {a.status === 'FAILED' ? (
                <ActionDialog
                  label={{ zh: '重新执行失败步骤', en: 'Redrive the failed step' }}
                  intro={`${a.failure?.state ?? ''} ${a.failure?.error ?? ''} ${a.failure?.cause ?? ''}`}
                  run={(form) => act('redrive', { reason: textOf(form, 'reason') })()}
                  done={view.reload}
                >
                  <ReasonField label={{ zh: '已修复了什么', en: 'What was fixed' }} />
                </ActionDialog>
              ) : null}
              {!FINAL.includes(a.status) ? (
                <ActionDialog
                  kind="danger"
                  label={{ zh: '取消活动', en: 'Cancel the activity' }}
                  intro={
                    <L
                      zh="受邀代表将收到取消通知。"
                      en="The invited deputies are told it is cancelled."
                    />
                  }
                  submit={{ zh: '确认取消活动', en: 'Cancel it' }}
                  run={(form) => act('cancel', { reason: textOf(form, 'reason') })()}
                  done={view.reload}
                >
                  <ReasonField label={{ zh: '取消原因', en: 'Why it is cancelled' }} />
                </ActionDialog>
              ) : null}
              <a class="button secondary" href={link('activities', a.id, 'report')}>
                <L zh="活动情况报告" en="Activity report" />
              </a>
            </div>
            {a.failure ? (
              <p class="error" role="alert">
                <L zh="失败" en="Failed" />: {a.failure.state ?? ''} {a.failure.error ?? ''}{' '}
                {a.failure.cause ?? ''}
              </p>
            ) : null}
            {BEFORE_START.includes(a.status) ? <Change view={v} done={view.reload} /> : null}
            {a.status === 'CHECK_IN_OPEN' ? <VenueQr activityId={a.id} /> : null}
            <AttendanceByLevel view={v} />
            <Invitations
              activityId={a.id}
              version={`${a.status} ${a.attendance?.computedAt ?? ''}`}
            />
            {a.status === 'IN_REVIEW' ? (
              <Docket
                activityId={a.id}
                done={() => {
                  setApproved(true);
                  view.reload();
                }}
              />
            ) : null}
            <Findings activityId={a.id} />
            <Timeline activityId={a.id} status={a.status} />
          </Page>
        );
      }}
    </Show>
  );
}
