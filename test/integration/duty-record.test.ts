// Integration test on the local cloud (DynamoDB Local, the HTTP API): a deputy's year of three
// completed activities on two streets, stored as tables held them before CompleteActivity wrote
// duty records; scripts/backfill-duty-records.ts writes the entries and year counters (a second
// run adds nothing); the duty record then pages with a page size of 1, its summary is the whole
// year's, a referral still open is read live until its close moves it into the counters (once),
// and cursors stay inside the scope that made them.
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { settleDutyReferral } from '../../functions/audit-stats/duty';
import type { ReferralFactsSource } from '../../functions/audit-stats/items';
import { keys } from '../../functions/shared/data/keys';
import { backfillDutyRecords } from '../../scripts/backfill-duty-records';
import { rawItem } from './support/activity';
import { api, deputyApi } from './support/api';
import { ddbDoc } from './support/aws';
import { tableName } from './support/cloud';
import { cursorParam, readAllPages } from '../support/pages';

const RUN = Date.now().toString(36);
// A year of its own, decades ahead: no other suite completes activities there.
const YEAR = 2060 + Math.floor(Math.random() * 39);
const DEPUTY = `dep-duty-${RUN}`;
const OTHER_DEPUTY = `dep-duty-other-${RUN}`;
const DEPARTMENT = `dept-duty-${RUN}`;

const auditor = api({ role: 'auditor', sub: `aud-duty-${RUN}` });
const hongshanOrganiser = api({ role: 'organiser', sub: `org-duty-${RUN}`, street: '红山' });

const at = (month: number, day: number, hours = 0) =>
  new Date(
    Date.parse(
      `${YEAR}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T10:00:00+08:00`,
    ) +
      hours * 3_600_000,
  ).toISOString();

interface Planned {
  id: string;
  street: string;
  type: string;
  startsAt: string;
  attended: boolean;
  findings: { id: string; kind: string; category: string; referralId?: string }[];
}

const activityId = (n: number) => `act-duty-${RUN}-${n}`;
const REFERRAL_OPEN = `ref-duty-${RUN}-open`;
const REFERRAL_CLOSED = `ref-duty-${RUN}-closed`;

// In start order: March (Hongshan), June (Xiagang), September (Hongshan, a finding without
// checking in).
const PLANNED: Planned[] = [
  {
    id: activityId(1),
    street: 'HONGSHAN',
    type: 'RECEPTION_DAY',
    startsAt: at(3, 2),
    attended: true,
    findings: [
      {
        id: `fnd-duty-${RUN}-1`,
        kind: 'PROBLEM',
        category: 'TRANSPORT',
        referralId: REFERRAL_OPEN,
      },
      { id: `fnd-duty-${RUN}-2`, kind: 'SUGGESTION', category: 'OTHER' },
    ],
  },
  {
    id: activityId(2),
    street: 'XIAGANG',
    type: 'COMMUNITY_VISIT',
    startsAt: at(6, 15),
    attended: true,
    findings: [
      {
        id: `fnd-duty-${RUN}-3`,
        kind: 'PROBLEM',
        category: 'ELDERLY_LIFTS',
        referralId: REFERRAL_CLOSED,
      },
    ],
  },
  {
    id: activityId(3),
    street: 'HONGSHAN',
    type: 'RECEPTION_DAY',
    startsAt: at(9, 20),
    attended: false,
    findings: [{ id: `fnd-duty-${RUN}-4`, kind: 'CONSULTATION', category: 'OTHER' }],
  },
];

const put = (Item: Record<string, unknown>) =>
  ddbDoc().send(new PutCommand({ TableName: tableName(), Item }));

/** A completed activity as stored before duty records: its item, invitation, findings, statistics. */
const storeCompleted = async (planned: Planned) => {
  const referralIds = planned.findings.flatMap((f) => (f.referralId ? [f.referralId] : []));
  await put({
    ...keys.activity(planned.id),
    entity: 'ACTIVITY',
    id: planned.id,
    title: `履职测试活动 ${planned.id}`,
    type: planned.type,
    street: planned.street,
    startsAt: planned.startsAt,
    status: 'COMPLETED',
    approvedReferralIds: referralIds,
  });
  await put({
    ...keys.invitation(planned.id, DEPUTY),
    entity: 'INVITATION',
    activityId: planned.id,
    deputyId: DEPUTY,
    invitedAt: at(1, 2),
    ...(planned.attended ? { checkedInAt: planned.startsAt, checkInMethod: 'QR' } : {}),
  });
  for (const [i, finding] of planned.findings.entries()) {
    await put({
      ...keys.finding(planned.id, finding.id),
      entity: 'FINDING',
      id: finding.id,
      activityId: planned.id,
      kind: finding.kind,
      category: finding.category,
      description: '测试',
      place: '测试',
      raisedBy: { deputyId: DEPUTY },
      recordedBy: DEPUTY,
      recordedAt: new Date(Date.parse(planned.startsAt) + (i + 1) * 60_000).toISOString(),
      needsReferral: finding.referralId !== undefined,
      ...(finding.referralId ? { referralId: finding.referralId } : {}),
    });
  }
  const month = planned.startsAt.slice(0, 7);
  await put({
    ...keys.statsOfActivity(month, planned.id),
    entity: 'STATS_ACTIVITY',
    activityId: planned.id,
  });
};

const referralItem = (id: string, activity: string, findingId: string, closed: boolean) => ({
  ...keys.referral(id),
  entity: 'REFERRAL',
  id,
  activityId: activity,
  departmentId: DEPARTMENT,
  findingIds: [findingId],
  dispatchedAt: at(3, 3),
  ...(closed
    ? {
        status: 'CLOSED',
        closedAt: at(7, 1),
        reply: { result: 'RESOLVED', at: at(6, 30) },
        outcome: {
          status: 'CLOSED',
          result: 'RESOLVED',
          answeredAt: at(6, 30),
          answeredOnTime: true,
          reopened: false,
          rounds: 1,
          ratings: {},
        },
      }
    : { status: 'SENT' }),
});

interface DutyPage {
  summary: Record<string, unknown>;
  activities: { activityId: string; street: string }[];
  findings: { findingId: string; referralId: string | null }[];
  referrals: { referralId: string; status: string; answeredAt: string | null }[];
  nextCursor?: string;
}

const recordPath = (extra = '') => `/audit/deputies/${DEPUTY}/duty-record?year=${YEAR}${extra}`;

const allPages = (who: ReturnType<typeof api>, limit: number) =>
  readAllPages(async (cursor) => {
    const res = await who.get<{ dutyRecord: DutyPage }>(
      recordPath(`&limit=${limit}${cursorParam(cursor)}`),
    );
    expect(res.status, res.text).toBe(200);
    return res.json.dutyRecord;
  }, 10);

const summaryItem = (street?: string) => rawItem(keys.dutySummary(DEPUTY, YEAR, street));

describe('duty records written at completion, paged on read', () => {
  beforeAll(async () => {
    for (const id of [DEPUTY, OTHER_DEPUTY]) {
      await put({ ...keys.deputy(id), entity: 'DEPUTY', id, name: `测试代表${id.slice(-4)}` });
    }
    for (const planned of PLANNED) await storeCompleted(planned);
    await put(referralItem(REFERRAL_OPEN, activityId(1), `fnd-duty-${RUN}-1`, false));
    await put(referralItem(REFERRAL_CLOSED, activityId(2), `fnd-duty-${RUN}-3`, true));
    const months = PLANNED.map((p) => p.startsAt.slice(0, 7)).sort();
    await backfillDutyRecords(
      { db: ddbDoc(), tableName: tableName() },
      { from: months[0]!, to: months.at(-1)! },
    );
  }, 60_000);

  it('the backfill writes each entry and the year counters once; a second run adds nothing', async () => {
    const all = await summaryItem();
    expect(all).toMatchObject({
      'n#activities': 2,
      'type#RECEPTION_DAY': 1,
      'type#COMMUNITY_VISIT': 1,
      'n#findings': 4,
      'n#referred': 2,
      'n#referrals': 2,
      // The closed referral's outcome is counted; the open one waits in the set.
      'n#answered': 1,
      'n#resolved': 1,
    });
    expect([...(all?.openReferrals as Set<string>)]).toEqual([REFERRAL_OPEN]);
    expect(await summaryItem('HONGSHAN')).toMatchObject({ 'n#activities': 1, 'n#findings': 3 });
    expect(
      await rawItem(keys.dutyEntry(DEPUTY, PLANNED[2]!.startsAt, activityId(3))),
    ).toMatchObject({ attended: false, checkedInAt: null, findings: [{ kind: 'CONSULTATION' }] });

    const before = await Promise.all([
      summaryItem(),
      summaryItem('HONGSHAN'),
      summaryItem('XIAGANG'),
    ]);
    const months = PLANNED.map((p) => p.startsAt.slice(0, 7)).sort();
    const again = await backfillDutyRecords(
      { db: ddbDoc(), tableName: tableName() },
      { from: months[0]!, to: months.at(-1)! },
    );
    expect(again.reduce((n, r) => n + r.activities, 0)).toBe(3);
    expect(
      await Promise.all([summaryItem(), summaryItem('HONGSHAN'), summaryItem('XIAGANG')]),
    ).toEqual(before);
  });

  it('pages of one: every activity once, in start order; the summary is the whole year', async () => {
    const pages = await allPages(auditor, 1);
    expect(pages).toHaveLength(3);
    expect(pages.flatMap((p) => p.activities.map((a) => a.activityId))).toEqual([
      activityId(1),
      activityId(2),
    ]);
    expect(pages.flatMap((p) => p.findings.map((f) => f.findingId))).toEqual(
      PLANNED.flatMap((p) => p.findings.map((f) => f.id)),
    );
    for (const page of pages) {
      expect(page.summary).toEqual({
        activitiesAttended: 2,
        activitiesByType: { COMMUNITY_VISIT: 1, RECEPTION_DAY: 1 },
        findingsRaised: 4,
        findingsByKind: { CONSULTATION: 1, PROBLEM: 2, SUGGESTION: 1 },
        findingsByCategory: { ELDERLY_LIFTS: 1, OTHER: 2, TRANSPORT: 1 },
        findingsReferred: 2,
        referrals: 2,
        referralsAnswered: 1,
        referralsResolved: 1,
      });
    }
    // Each page names the referrals of its own findings, as they stand now.
    expect(pages[0]!.referrals).toEqual([
      expect.objectContaining({ referralId: REFERRAL_OPEN, status: 'SENT', answeredAt: null }),
    ]);
    expect(pages[1]!.referrals).toEqual([
      expect.objectContaining({ referralId: REFERRAL_CLOSED, status: 'CLOSED' }),
    ]);
    expect(pages[2]!.nextCursor).toBeUndefined();

    // The deputy reads their own, the same; the default page holds the whole of this year.
    const own = await deputyApi(DEPUTY).get<{ dutyRecord: DutyPage }>(recordPath());
    expect(own.status, own.text).toBe(200);
    expect(own.json.dutyRecord.activities).toHaveLength(2);
    expect(own.json.dutyRecord.nextCursor).toBeUndefined();
  });

  it('an open referral is read live, then its close moves it into the counters once', async () => {
    const answeredAt = at(4, 1);
    await ddbDoc().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.referral(REFERRAL_OPEN),
        UpdateExpression: 'SET #status = :replied, #reply = :reply',
        ExpressionAttributeNames: { '#status': 'status', '#reply': 'reply' },
        ExpressionAttributeValues: {
          ':replied': 'REPLIED',
          ':reply': { result: 'IN_PROGRESS', at: answeredAt },
        },
      }),
    );
    const live = await auditor.get<{ dutyRecord: DutyPage }>(recordPath());
    expect(live.json.dutyRecord.summary).toMatchObject({
      referralsAnswered: 2,
      referralsResolved: 1,
    });

    // What CloseReferral stores, then its duty move (twice: a retried step).
    const closed = {
      ...referralItem(REFERRAL_OPEN, activityId(1), `fnd-duty-${RUN}-1`, false),
      status: 'CLOSED',
      closedAt: at(4, 10),
      reply: { result: 'RESOLVED', at: answeredAt },
      outcome: {
        status: 'CLOSED',
        result: 'RESOLVED',
        answeredAt,
        answeredOnTime: true,
        reopened: false,
        rounds: 1,
        ratings: {},
      },
    };
    await put(closed);
    const deps = { db: ddbDoc(), tableName: tableName() };
    const activity = { startsAt: PLANNED[0]!.startsAt, street: 'HONGSHAN' };
    const source = closed as unknown as ReferralFactsSource & { findingIds: string[] };
    expect(await settleDutyReferral(deps, source, activity)).toEqual({ settled: 2 });
    expect(await settleDutyReferral(deps, source, activity)).toEqual({ settled: 0 });

    const all = await summaryItem();
    expect(all).toMatchObject({ 'n#answered': 2, 'n#resolved': 2 });
    expect(all).not.toHaveProperty('openReferrals');
    expect(await summaryItem('HONGSHAN')).toMatchObject({ 'n#answered': 1, 'n#resolved': 1 });
    const res = await auditor.get<{ dutyRecord: DutyPage }>(recordPath());
    expect(res.json.dutyRecord.summary).toMatchObject({
      referrals: 2,
      referralsAnswered: 2,
      referralsResolved: 2,
    });
  });

  it('a street’s organiser: that street’s year and pages; cursors stay in their scope', async () => {
    const pages = await allPages(hongshanOrganiser, 1);
    const activities = pages.flatMap((p) => p.activities);
    expect(activities.map((a) => a.activityId)).toEqual([activityId(1)]);
    expect(activities.every((a) => a.street === 'HONGSHAN')).toBe(true);
    expect(JSON.stringify(pages)).not.toContain(activityId(2));
    expect(JSON.stringify(pages)).not.toContain(REFERRAL_CLOSED);
    expect(pages[0]!.summary).toMatchObject({
      activitiesAttended: 1,
      findingsRaised: 3,
      referrals: 1,
    });

    const first = await auditor.get<{ dutyRecord: DutyPage }>(recordPath('&limit=1'));
    const cursor = first.json.dutyRecord.nextCursor!;
    // The auditor's cursor is not the organiser's, nor another deputy's, nor another year's.
    const misused = [
      await hongshanOrganiser.get(recordPath(`&limit=1&cursor=${cursor}`)),
      await auditor.get(
        `/audit/deputies/${OTHER_DEPUTY}/duty-record?year=${YEAR}&limit=1&cursor=${cursor}`,
      ),
      await auditor.get(
        `/audit/deputies/${DEPUTY}/duty-record?year=${YEAR - 1}&limit=1&cursor=${cursor}`,
      ),
    ];
    for (const res of misused) {
      expect(res.status, res.text).toBe(400);
      expect(res.text).toContain('cursor');
    }
    // An edited cursor (its fingerprint kept, its position moved to another deputyApi) too.
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
      p: { pk: string; sk: string };
    };
    decoded.p.pk = keys.dutySummary(OTHER_DEPUTY, YEAR).pk;
    const edited = Buffer.from(JSON.stringify(decoded), 'utf8').toString('base64url');
    const res = await auditor.get(recordPath(`&limit=1&cursor=${edited}`));
    expect(res.status, res.text).toBe(400);
    expect((await auditor.get(recordPath('&limit=0'))).status).toBe(422);
    expect((await auditor.get(recordPath('&limit=101'))).status).toBe(422);
  });

  it('the CSV and the draft report hold the whole year', async () => {
    const csv = await auditor.get(recordPath('&format=csv&limit=1'));
    expect(csv.status, csv.text).toBe(200);
    for (const id of [activityId(1), activityId(2)]) expect(csv.text).toContain(id);
    const report = await deputyApi(DEPUTY).get(
      `/audit/deputies/${DEPUTY}/duty-report?year=${YEAR}`,
    );
    expect(report.status, report.text).toBe(200);
    expect(report.text).toContain(`${YEAR}年度履职报告（草稿）`);
  });
});
