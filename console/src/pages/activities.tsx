import { ACTIVITY_TYPE_CODES } from '../../../functions/shared/domain/reference';
import { optionsOf, streetOptions } from '../forms';
import { ListPage, selectFilter, type Filter } from '../list';
import type { ActivitySummary } from '../types';
import { ACTIVITY_STATUS, L, NAMES, Page, link, nameOf, useConsole, when } from '../ui';

const FILTERS: Filter[] = [
  selectFilter('status', { zh: '状态', en: 'Status' }, optionsOf(ACTIVITY_STATUS)),
  selectFilter('type', { zh: '类型', en: 'Type' }, optionsOf(NAMES.type, ACTIVITY_TYPE_CODES)),
  selectFilter('street', { zh: '街道', en: 'Street' }, () => streetOptions(false)),
  { key: 'from', label: { zh: '开始不早于', en: 'From' }, kind: 'date' },
  { key: 'to', label: { zh: '开始不晚于', en: 'To' }, kind: 'date' },
];

/** Activities: list and search by status, street, type and period (GET /activities). */
export function Activities() {
  const { canWrite } = useConsole();
  return (
    <Page title={{ zh: '活动', en: 'Activities' }}>
      {canWrite ? (
        <p>
          <a class="button primary" href="#/activities/new">
            <L zh="安排活动" en="Schedule an activity" />
          </a>
        </p>
      ) : null}
      <ListPage<ActivitySummary>
        path="/activities"
        filters={FILTERS}
        empty={{ zh: '没有符合条件的活动', en: 'No activity matches' }}
        columns={[
          {
            title: { zh: '活动', en: 'Activity' },
            cell: (a) => <a href={link('activities', a.id)}>{a.title}</a>,
          },
          { title: { zh: '类型', en: 'Type' }, cell: (a) => nameOf(NAMES.type, a.type) },
          {
            title: { zh: '街道', en: 'Street' },
            cell: (a) => NAMES.street[a.street]?.zh ?? a.street,
          },
          { title: { zh: '开始', en: 'Starts' }, cell: (a) => when(a.startsAt) },
          { title: { zh: '状态', en: 'Status' }, cell: (a) => nameOf(NAMES.status, a.status) },
          { title: { zh: '邀请', en: 'Invited' }, cell: (a) => a.invited },
        ]}
      />
    </Page>
  );
}
