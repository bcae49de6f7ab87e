import { DataTable } from '../list';
import type { ActivitySummary, Named, Page as Paged, ReferralRow } from '../types';
import {
  ACTIONS,
  L,
  NAMES,
  Page,
  Pill,
  ScopeName,
  Section,
  Bullets,
  NoneOr,
  Show,
  link,
  nameOf,
  useConsole,
  useLoad,
  when,
} from '../ui';

/** How far ahead a step that ends by itself at its deadline counts as waiting on me today. */
const HORIZON_MS = 24 * 3_600_000;
/** Pages of 100 read at most for "waiting on me" (a street's list may come in short pages). */
const MAX_PAGES = 10;

/**
 * What waits on me: the activities of my scope (my street, or the whole district) whose
 * workflow waits at a human step, with the action it needs, soonest deadline first.
 *
 * Why not `mine=true`: the page asked it until now without saying why, and the route says
 * what it does — only the activities the caller scheduled (their `activitiesOfOrganiser`
 * partition). But a step waits on the organisers, not on the one who scheduled it: the API lets
 * any organiser whose scope covers the activity's street open check-in, close attendance or
 * findings and work the docket, so a street office must see what the district office or a
 * colleague scheduled for its street. The likely reason for `mine=true` (not written down, read
 * from the route): without it the list merges the district's status partitions by start time,
 * earliest first, and every scheduled activity waits at START (open check-in) from its
 * invitations until it begins, so the first 50 were the soonest of every upcoming activity and
 * the page never read the cursor after them. Every waiting step of an activity that has begun
 * sorts before `now + 24 h`, so the list is read up to there (`to`), every page of it; an
 * activity further away is upcoming, not waiting. (A period with only `to` answered 500 until
 * functions/shared/data/keys.ts started its range at '0'.)
 */
async function waitingOnMe(api: ReturnType<typeof useConsole>['api']) {
  const to = new Date(Date.now() + HORIZON_MS).toISOString();
  const items: ActivitySummary[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await api.get<Paged<ActivitySummary>>('/activities', {
      waiting: 'true',
      to,
      limit: '100',
      cursor,
    });
    items.push(...answer.items);
    cursor = answer.nextCursor;
    if (!cursor) break;
  }
  // The chairmen's meeting has no deadline: only people end it, so it comes first.
  const due = (a: ActivitySummary) => a.pendingTask?.deadline ?? '';
  return { items: items.sort((a, b) => due(a).localeCompare(due(b))), complete: !cursor };
}

/** Today: what waits on me (with the action it needs), overdue referrals, what comes next. */
export function Today() {
  const { api, session } = useConsole();
  const waiting = useLoad(() => waitingOnMe(api), []);
  // The overdue list names each department: it shows once both have come (no id shown first,
  // replaced by a name later), so "loaded" means loaded for readers and for tests alike.
  const overdue = useLoad(
    () =>
      Promise.all([
        api.get<Paged<ReferralRow>>('/referrals', { overdue: 'true', limit: '20' }),
        api.get<Paged<Named>>('/departments', { limit: '100' }),
      ]),
    [],
  );
  const upcoming = useLoad(
    () =>
      api.get<Paged<ActivitySummary>>('/activities', {
        from: new Date(Date.now() + HORIZON_MS).toISOString(),
        status: 'INVITATIONS_SENT',
        limit: '20',
      }),
    [],
  );
  return (
    <Page title={{ zh: '今日待办', en: 'Today' }}>
      <p>
        {session.name} · <ScopeName session={session} />
      </p>
      <Section id="waiting" title={{ zh: '等待我处理', en: 'Waiting on me' }}>
        <Show loaded={waiting}>
          {({ items, complete }) => (
            <>
              <NoneOr count={items.length} none={{ zh: '暂无待办', en: 'Nothing waits on you' }}>
                <DataTable
                  rows={items}
                  columns={[
                    {
                      title: { zh: '活动', en: 'Activity' },
                      cell: (a) => (
                        <>
                          <a href={link('activities', a.id)}>{a.title}</a>
                          {a.organiserId === session.sub ? (
                            <>
                              {' '}
                              <Pill>
                                <L zh="我安排的" en="Mine" />
                              </Pill>
                            </>
                          ) : null}
                        </>
                      ),
                    },
                    {
                      title: { zh: '状态', en: 'Status' },
                      cell: (a) => nameOf(NAMES.status, a.status),
                    },
                    {
                      title: { zh: '需要的操作', en: 'Action needed' },
                      cell: (a) =>
                        a.pendingTask?.action ? (
                          <a class="todo" href={link('activities', a.id)}>
                            {nameOf(ACTIONS, a.pendingTask.action.code)}
                          </a>
                        ) : (
                          '—'
                        ),
                    },
                    {
                      title: { zh: '期限', en: 'Deadline' },
                      cell: (a) => when(a.pendingTask?.deadline),
                    },
                  ]}
                />
              </NoneOr>
              {complete ? null : (
                <p class="hint">
                  <L
                    zh={`仅显示前 ${items.length} 项，请在活动列表中筛选`}
                    en={`The first ${items.length} only: filter the activities list`}
                  />
                </p>
              )}
            </>
          )}
        </Show>
      </Section>
      <Section id="overdue" title={{ zh: '逾期督办件', en: 'Overdue referrals' }}>
        <Show loaded={overdue}>
          {([page, departments]) => (
            <Bullets
              items={page.items}
              none={{ zh: '没有逾期的转办件', en: 'No referral is overdue' }}
            >
              {(r) => (
                <>
                  <a href={link('referrals', r.id)}>
                    {departments.items.find((d) => d.id === r.departmentId)?.name ?? r.departmentId}
                  </a>{' '}
                  · {r.dueDate} · {nameOf(NAMES.referral, r.status)}
                </>
              )}
            </Bullets>
          )}
        </Show>
      </Section>
      <Section id="upcoming" title={{ zh: '即将开始', en: 'Upcoming' }}>
        <Show loaded={upcoming}>
          {(page) => (
            <Bullets
              items={page.items}
              none={{ zh: '暂无即将开始的活动', en: 'No activity coming up' }}
            >
              {(a) => (
                <>
                  {when(a.startsAt)} · <a href={link('activities', a.id)}>{a.title}</a> ·{' '}
                  {nameOf(NAMES.type, a.type)}
                </>
              )}
            </Bullets>
          )}
        </Show>
      </Section>
    </Page>
  );
}
