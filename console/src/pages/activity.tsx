import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { activityDetailRows } from '../../../functions/shared/domain/activity-details';
import { DEPUTY_LEVEL_CODES } from '../../../functions/shared/domain/reference';
import type { ActivityView, Finding, Named, Page as Paged, Review } from '../types';
import {
  ACTIONS,
  Action,
  L,
  NAMES,
  Page,
  Problem,
  Show,
  link,
  nameOf,
  useConsole,
  useLoad,
  when,
} from '../ui';

interface TrailEvent {
  seq: number;
  at: string;
  actor: string;
  action: string;
}

const ask = (question: string) => window.prompt(question)?.trim() || undefined;

/** The venue QR code and its digits, for a screen at the venue while check-in is open. */
function VenueQr({ activityId }: { activityId: string }) {
  const { api } = useConsole();
  const [round, setRound] = useState(0);
  const qr = useLoad(
    () =>
      api.get<{ code: string; venueCode?: string; expiresAt: string; svg: string; url: string }>(
        `/activities/${activityId}/check-in/qr`,
      ),
    [activityId, round],
  );
  // The code rotates: fetch the next one when this one expires.
  useEffect(() => {
    const timer = setInterval(() => setRound((r) => r + 1), 30_000);
    return () => clearInterval(timer);
  }, []);
  return (
    <section aria-labelledby="qr" class="qr">
      <h2 id="qr">
        <L zh="现场签到二维码" en="Venue QR code" />
      </h2>
      <Show loaded={qr}>
        {(q) => (
          <>
            <img
              width={220}
              height={220}
              alt="签到二维码 Check-in QR code"
              src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(q.svg)}`}
            />
            {q.venueCode ? (
              <p class="venue-code">
                <L zh="签到码" en="Venue code" /> <strong>{q.venueCode}</strong>
              </p>
            ) : null}
            <p>
              <L zh="有效至" en="Valid until" /> {when(q.expiresAt)}
            </p>
          </>
        )}
      </Show>
    </section>
  );
}

function AttendanceByLevel({ view }: { view: ActivityView }) {
  const a = view.activity.attendance;
  const c = view.activity.counts;
  return (
    <section aria-labelledby="attendance">
      <h2 id="attendance">
        <L zh="邀请与出席" en="Invitations and attendance" />
      </h2>
      <dl class="figures">
        <div>
          <dt>
            <L zh="邀请" en="Invited" />
          </dt>
          <dd>{a?.invited ?? c.invited}</dd>
        </div>
        <div>
          <dt>
            <L zh="已发邮件" en="Emails sent" />
          </dt>
          <dd>{c.emailsSent}</dd>
        </div>
        <div>
          <dt>
            <L zh="接受" en="Accepted" />
          </dt>
          <dd>{a?.accepted ?? '—'}</dd>
        </div>
        <div>
          <dt>
            <L zh="谢绝" en="Declined" />
          </dt>
          <dd>{a?.declined ?? '—'}</dd>
        </div>
        <div>
          <dt>
            <L zh="出席" en="Attended" />
          </dt>
          <dd data-testid="attended">{a?.attended ?? '—'}</dd>
        </div>
      </dl>
      {a ? (
        <table>
          <caption>
            <L zh="各层级人次" en="Person-times by level" />
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
    </section>
  );
}

function Findings({ activityId }: { activityId: string }) {
  const { api } = useConsole();
  const list = useLoad(
    () => api.get<{ findings: Finding[] }>(`/activities/${activityId}/findings`),
    [activityId],
  );
  return (
    <section aria-labelledby="findings">
      <h2 id="findings">
        <L zh="收集的问题和建议" en="Findings" />
      </h2>
      <Show loaded={list}>
        {({ findings }) =>
          findings.length === 0 ? (
            <p>
              <L zh="暂无" en="None yet" />
            </p>
          ) : (
            <ul class="findings">
              {findings.map((f) => (
                <li key={f.id}>
                  {nameOf(NAMES.kind, f.kind)} · {nameOf(NAMES.category, f.category)} · {f.place}
                  <br />
                  {f.description}
                </li>
              ))}
            </ul>
          )
        }
      </Show>
    </section>
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
  const [error, setError] = useState<string>();
  const id = `f-${finding.id}`;
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const field = (name: string) => String(form.get(name) ?? '').trim();
    const base = { findingId: finding.id, decision, reason: field('reason') };
    const body =
      decision === 'REFER'
        ? { ...base, departmentId: field('departmentId') }
        : decision === 'MERGE'
          ? { ...base, intoFindingId: field('intoFindingId') }
          : decision === 'ANSWER_DIRECTLY'
            ? { ...base, answer: field('answer') }
            : base;
    setError(undefined);
    try {
      await api.send('POST', `/activities/${activityId}/review/decisions`, { decisions: [body] });
      done();
    } catch (err) {
      setError((err as Error).message);
    }
  };
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
        <form class="inline-form" onSubmit={submit} aria-label={`决定 Decide ${finding.place}`}>
          <label>
            <L zh="决定" en="Decision" />
            <select
              name="decision"
              value={decision}
              onChange={(e) =>
                setDecision((e.currentTarget as HTMLSelectElement).value as keyof typeof DECISIONS)
              }
            >
              {Object.entries(DECISIONS).map(([code, n]) => (
                <option key={code} value={code}>
                  {n.zh} {n.en}
                </option>
              ))}
            </select>
          </label>
          {decision === 'REFER' ? (
            <label>
              <L zh="承办部门" en="Department" />
              <select name="departmentId" id={`${id}-dept`}>
                {departments.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.name}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          {decision === 'MERGE' ? (
            <label>
              <L zh="并入" en="Merge into" />
              <select name="intoFindingId">
                {others.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.place}: {o.description.slice(0, 30)}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          {decision === 'ANSWER_DIRECTLY' ? (
            <label>
              <L zh="答复" en="Answer" />
              <input name="answer" required />
            </label>
          ) : null}
          <label>
            <L zh="理由" en="Reason" />
            <input name="reason" required />
          </label>
          <button type="submit" class="secondary">
            <L zh="记录决定" en="Record decision" />
          </button>
          <Problem message={error} />
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
  const [error, setError] = useState<string>();
  const department = departments.find((d) => d.id === referral.departmentId)?.name;
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setError(undefined);
    try {
      await api.send('POST', `/activities/${activityId}/review/referrals/${referral.id}`, {
        committeeId: String(form.get('committeeId')),
        dueDate: String(form.get('dueDate')),
      });
      done();
    } catch (err) {
      setError((err as Error).message);
    }
  };
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
        <form class="inline-form" onSubmit={submit} aria-label={`督办 ${department ?? ''}`}>
          <label>
            <L zh="督办工委" en="Supervising committee" />
            <select name="committeeId" value={referral.committeeId}>
              {committees.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            <L zh="办理期限" en="Due date" />
            <input name="dueDate" type="date" required value={referral.dueDate ?? inSixtyDays} />
          </label>
          <button type="submit" class="secondary">
            <L zh="保存督办" en="Save" />
          </button>
          <Problem message={error} />
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
    <section aria-labelledby="docket">
      <h2 id="docket">
        <L zh="主任会议议程" en="Chairmen's meeting docket" />
      </h2>
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
    </section>
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
    <section aria-labelledby="timeline">
      <h2 id="timeline">
        <L zh="时间线（审计链）" en="Timeline (audit trail)" />
      </h2>
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
            <ol class="timeline">
              {t.events.map((e) => (
                <li key={e.seq}>
                  <time dateTime={e.at}>{when(e.at)}</time> {e.action}{' '}
                  <span class="muted">{e.actor}</span>
                </li>
              ))}
            </ol>
          </>
        )}
      </Show>
    </section>
  );
}

/** Change the time, place or description before the start (PATCH /activities/{id}). */
function Change({ view, done }: { view: ActivityView; done: () => void }) {
  const { api, canWrite } = useConsole();
  const [error, setError] = useState<string>();
  if (!canWrite) return null;
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const body: Record<string, string> = {};
    const location = String(form.get('location') ?? '').trim();
    const startsAt = String(form.get('startsAt') ?? '');
    const endsAt = String(form.get('endsAt') ?? '');
    if (location && location !== view.activity.location) body.location = location;
    if (startsAt) body.startsAt = `${startsAt}:00+08:00`;
    if (endsAt) body.endsAt = `${endsAt}:00+08:00`;
    setError(undefined);
    try {
      await api.send('PATCH', `/activities/${view.activity.id}`, body);
      done();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <details>
      <summary>
        <L zh="变更时间地点" en="Change time or place" />
      </summary>
      <form class="inline-form" onSubmit={submit}>
        <label>
          <L zh="地点" en="Location" />
          <input name="location" value={view.activity.location} />
        </label>
        <label>
          <L zh="新开始时间" en="New start" />
          <input name="startsAt" type="datetime-local" />
        </label>
        <label>
          <L zh="新结束时间" en="New end" />
          <input name="endsAt" type="datetime-local" />
        </label>
        <button type="submit" class="secondary">
          <L zh="发送变更通知" en="Change and notify" />
        </button>
        <Problem message={error} />
      </form>
    </details>
  );
}

const BEFORE_START = ['SCHEDULED', 'INVITATIONS_SENT'];
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
            <dl class="facts">
              <dt>
                <L zh="类型" en="Type" />
              </dt>
              <dd>{nameOf(NAMES.type, a.type)}</dd>
              <dt>
                <L zh="街道" en="Street" />
              </dt>
              <dd>{nameOf(NAMES.street, a.street)}</dd>
              <dt>
                <L zh="地点" en="Location" />
              </dt>
              <dd>{a.location}</dd>
              <dt>
                <L zh="时间" en="Time" />
              </dt>
              <dd>
                {when(a.startsAt)} – {when(a.endsAt)}
              </dd>
              {activityDetailRows(a.details, 'zh', { showSealed: true }).map((row) => (
                <Fragment key={row.label}>
                  <dt>{row.label}</dt>
                  <dd>{Array.isArray(row.value) ? row.value.join('、') : row.value}</dd>
                </Fragment>
              ))}
            </dl>
            <div class="actions">
              {BEFORE_START.includes(a.status) ? (
                <Action
                  label={ACTIONS.OPEN_CHECK_IN!}
                  run={act('check-in/open')}
                  done={view.reload}
                />
              ) : null}
              {a.status === 'CHECK_IN_OPEN' ? (
                <Action
                  label={ACTIONS.CLOSE_ATTENDANCE!}
                  run={act('attendance/close')}
                  done={view.reload}
                />
              ) : null}
              {a.status === 'FINDINGS_OPEN' ? (
                <Action
                  label={ACTIONS.CLOSE_FINDINGS!}
                  run={act('findings/close')}
                  done={view.reload}
                />
              ) : null}
              {a.status === 'FAILED' ? (
                <Action
                  label={{ zh: '重新执行失败步骤', en: 'Redrive the failed step' }}
                  run={async () => {
                    const reason = ask('已修复了什么？ What was fixed?');
                    if (reason) await act('redrive', { reason })();
                  }}
                  done={view.reload}
                />
              ) : null}
              {!FINAL.includes(a.status) ? (
                <Action
                  kind="danger"
                  label={{ zh: '取消活动', en: 'Cancel the activity' }}
                  run={async () => {
                    const reason = ask('取消原因 Reason for cancelling');
                    if (reason) await act('cancel', { reason })();
                  }}
                  done={view.reload}
                />
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
