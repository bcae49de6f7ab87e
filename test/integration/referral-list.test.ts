// Integration (local cloud): `GET /referrals`, the 督办 list (issue 15), and the invitee
// picker's filters of `GET /deputies`. Referrals of a committee of the test's own, seeded in
// every state (overdue, returned, closed, another street): the order (open first, overdue
// first, by due), each filter, pages, the street scope. Then a referral driven by the real
// workflow and the committee's closure: its list entry follows each write.
import { beforeAll, describe, expect, it } from 'vitest';
import { chinaDateOf } from '../../functions/shared/domain/deadlines';
import { api, type ApiClient, deputyApi } from './support/api';
import { eventually, referralAtDepartment } from './support/activity';
import { department, seedReferral, startReferral } from './support/referral';
import { cursorParam, readAllPages } from '../support/pages';

const RUN = Date.now().toString(36);
const district = api({ role: 'organiser', sub: `org-rl-${RUN}`, street: 'DISTRICT' });
const wenchong = api({ role: 'organiser', sub: `org-rl-wc-${RUN}`, street: 'WENCHONG' });
const auditor = api({ role: 'auditor', sub: `aud-rl-${RUN}` });
const deputy = deputyApi('dep-0001');

interface ReferralListItem {
  id: string;
  activityId: string;
  departmentId: string;
  committeeId: string | null;
  street: string | null;
  status: string;
  dueDate: string | null;
  overdue: boolean;
  waitingOn: { party: string; code: string; path: string | null } | null;
}
interface ReferralListJson {
  items: ReferralListItem[];
  nextCursor?: string;
}

const DAY = 86_400_000;
const inDays = (days: number) => chinaDateOf(new Date(Date.now() + days * DAY));
const r: Record<string, { referralId: string; activityId: string; departmentId: string }> = {};
let committeeId = '';

const list = async (client: ApiClient, query: string) => {
  const res = await client.get<ReferralListJson>(`/referrals?${query}`);
  expect(res.status, res.text).toBe(200);
  return res.json;
};

/** Every page of a query, following `nextCursor`. */
const readAll = async (client: ApiClient, query: string) =>
  (await readAllPages((cursor) => list(client, `${query}${cursorParam(cursor)}`))).flatMap(
    (page) => page.items,
  );
const idsOf = (items: ReferralListItem[]) => items.map((item) => item.id);

beforeAll(async () => {
  const created = await district.post<{ committee: { id: string } }>('/committees', {
    name: `督办测试工委 ${RUN}`,
    emails: [`rl-${RUN}@example.org`],
  });
  expect(created.status, created.text).toBe(201);
  committeeId = created.json.committee.id;
  const seed = (referral: Record<string, unknown>, street = 'WENCHONG') =>
    seedReferral({ referral: { committeeId, round: 1, ...referral }, street, text: RUN });
  Object.assign(r, {
    overdue: await seed({
      status: 'SENT',
      dueAt: new Date(Date.now() - 2 * DAY).toISOString(),
      dueDate: inDays(-2),
    }),
    later: await seed({ status: 'ACKNOWLEDGED', dueDate: inDays(30) }),
    returned: await seed({ status: 'RETURNED', dueDate: inDays(10) }),
    closed: await seed({
      status: 'CLOSED',
      dueDate: inDays(5),
      closedAt: new Date().toISOString(),
    }),
    huangpu: await seed({ status: 'SENT', dueDate: inDays(20) }, 'HUANGPU'),
  });
}, 60_000);

describe('GET /referrals', () => {
  it('lists a committee’s referrals open first, overdue first, by due date, page by page', async () => {
    const expected = [r.overdue, r.returned, r.huangpu, r.later, r.closed].map(
      (x) => x!.referralId,
    );
    expect(idsOf(await readAll(district, `committeeId=${committeeId}&limit=2`))).toEqual(expected);
    const [overdue, returned, , later, closed] = (
      await list(auditor, `committeeId=${committeeId}&limit=10`)
    ).items;
    expect(overdue).toMatchObject({
      overdue: true,
      status: 'SENT',
      committeeId,
      street: 'WENCHONG',
      dueDate: inDays(-2),
      waitingOn: { party: 'DEPARTMENT', code: 'REPLY', path: null },
    });
    expect(returned).toMatchObject({
      overdue: false,
      waitingOn: {
        party: 'ORGANISER',
        code: 'REROUTE',
        path: `/referrals/${r.returned!.referralId}/reroute`,
      },
    });
    expect(later).toMatchObject({ overdue: false, dueDate: inDays(30) });
    expect(closed).toMatchObject({ status: 'CLOSED', overdue: false, waitingOn: null });
  });

  it('filters by overdue, status, department, activity and due period', async () => {
    const ids = async (query: string) =>
      idsOf(await readAll(district, `committeeId=${committeeId}&${query}`));
    expect(await ids('overdue=true')).toEqual([r.overdue!.referralId]);
    expect(await ids('status=CLOSED')).toEqual([r.closed!.referralId]);
    expect(await ids('status=RETURNED')).toEqual([r.returned!.referralId]);
    expect(await ids(`departmentId=${r.later!.departmentId}`)).toEqual([r.later!.referralId]);
    // Due from the 9th to the 21st day ahead (China days, both included).
    expect(await ids(`from=${inDays(9)}&to=${inDays(21)}`)).toEqual([
      r.returned!.referralId,
      r.huangpu!.referralId,
    ]);
    // One activity's referrals come from its own partition, whatever the committee filter.
    expect(idsOf(await readAll(auditor, `activityId=${r.closed!.activityId}`))).toEqual([
      r.closed!.referralId,
    ]);
    expect(
      idsOf(await readAll(auditor, `activityId=${r.overdue!.activityId}&overdue=true`)),
    ).toEqual([r.overdue!.referralId]);
    expect(idsOf(await readAll(auditor, `activityId=${r.later!.activityId}&overdue=true`))).toEqual(
      [],
    );
  });

  it('merges every committee’s list when none is named, in the same order', async () => {
    const all = idsOf(await readAll(district, 'limit=100'));
    const mine = [r.overdue, r.returned, r.huangpu, r.later, r.closed].map((x) => x!.referralId);
    expect(all.filter((id) => mine.includes(id))).toEqual(mine);
    expect(new Set(all).size).toBe(all.length);
  });

  it('holds a street organiser to its street and refuses deputies and bad queries', async () => {
    expect(idsOf(await readAll(wenchong, `committeeId=${committeeId}`))).toEqual(
      [r.overdue, r.returned, r.later, r.closed].map((x) => x!.referralId),
    );
    expect(idsOf(await readAll(wenchong, `activityId=${r.huangpu!.activityId}`))).toEqual([]);
    expect((await wenchong.get('/referrals?street=HUANGPU')).status).toBe(403);
    expect((await deputy.get('/referrals')).status).toBe(403);
    const bad = await district.get('/referrals?status=SLEEPING&overdue=maybe');
    expect(bad.status, bad.text).toBe(422);
    expect(bad.text).toContain('status');
    expect(bad.text).toContain('overdue');
    const closedOverdue = await district.get('/referrals?status=CLOSED&overdue=true');
    expect(closedOverdue.status, closedOverdue.text).toBe(422);
    // A cursor of the district's list is no cursor of a street organiser's.
    const page = await list(district, `committeeId=${committeeId}&limit=1`);
    const replay = await wenchong.get(
      `/referrals?committeeId=${committeeId}&limit=1&cursor=${encodeURIComponent(page.nextCursor!)}`,
    );
    expect(replay.status, replay.text).toBe(400);
  });

  it('follows the real workflow’s writes: sent, then closed by the committee', async () => {
    const dept = await department(`rl${RUN}`);
    const started = await startReferral(dept.id, { committeeId, street: 'WENCHONG' });
    // The item was put without a list entry: the workflow's first write (SENT) adds it.
    const entry = await eventually(
      () => readAll(district, `committeeId=${committeeId}&departmentId=${dept.id}`),
      (items) => items[0]?.status === 'SENT',
      30_000,
    );
    expect(idsOf(entry)).toEqual([started.id]);
    expect(entry[0]!.waitingOn).toMatchObject({ party: 'DEPARTMENT' });
    await referralAtDepartment(started.id);
    const close = await district.post(`/referrals/${started.id}/close`, {
      reason: `督办工委决定办结 ${RUN}`,
    });
    expect(close.status, close.text).toBe(200);
    const closed = await eventually(
      () => readAll(district, `committeeId=${committeeId}&status=CLOSED_BY_COMMITTEE`),
      (items) => idsOf(items).includes(started.id),
      30_000,
    );
    expect(closed.find((item) => item.id === started.id)).toMatchObject({
      waitingOn: null,
      overdue: false,
    });
    // And it has left the open part of the list.
    const open = await readAll(district, `committeeId=${committeeId}&status=SENT`);
    expect(idsOf(open)).not.toContain(started.id);
  }, 90_000);
});

describe('GET /deputies (the invitee picker)', () => {
  const name = `联动${RUN}`;
  const group = `测试联组${RUN}`;
  let townDeputy = '';
  let districtDeputy = '';

  beforeAll(async () => {
    const create = async (suffix: string, level: string, street: string, mailbox: string) => {
      const res = await district.post<{ deputy: { id: string } }>('/deputies', {
        name: `${name}${suffix}`,
        email: `rl-${mailbox}-${RUN}@example.org`,
        seats: [{ level, body: '广州市黄埔区人民代表大会' }],
        group,
        street,
      });
      expect(res.status, res.text).toBe(201);
      return res.json.deputy.id;
    };
    townDeputy = await create('甲', 'TOWN', 'WENCHONG', 'town');
    districtDeputy = await create('乙', 'DISTRICT', 'HUANGPU', 'district');
  });

  type DeputyListItem = { id: string; street?: string; group?: string; seats: { level: string }[] };
  const deputies = async (query: string) =>
    (
      await readAllPages(async (cursor) => {
        const res = await auditor.get<{ items: DeputyListItem[]; nextCursor?: string }>(
          `/deputies?${query}${cursorParam(cursor)}`,
        );
        expect(res.status, res.text).toBe(200);
        return res.json;
      })
    ).flatMap((page) => page.items);

  it('finds deputies by the start of their name, group, street and seat level', async () => {
    // By name as the index sorts it (code points): 乙 (U+4E59) before 甲 (U+7532).
    expect((await deputies(`name=${encodeURIComponent(name)}`)).map((d) => d.id)).toEqual([
      districtDeputy,
      townDeputy,
    ]);
    expect((await deputies(`group=${encodeURIComponent(group)}`)).map((d) => d.id)).toEqual([
      districtDeputy,
      townDeputy,
    ]);
    const named = `name=${encodeURIComponent(name)}`;
    expect((await deputies(`${named}&level=DISTRICT`)).map((d) => d.id)).toEqual([districtDeputy]);
    expect((await deputies(`${named}&street=WENCHONG`)).map((d) => d.id)).toEqual([townDeputy]);
    expect(await deputies(`${named}&street=WENCHONG&level=DISTRICT`)).toEqual([]);
    expect((await deputies(`${named}&level=TOWN&active=true`)).map((d) => d.id)).toEqual([
      townDeputy,
    ]);
    // Over the whole roster: every deputy listed has what was asked for.
    const wenchongDistrict = await deputies('street=WENCHONG&level=DISTRICT&limit=100');
    expect(wenchongDistrict.length).toBeGreaterThan(0);
    for (const d of wenchongDistrict) {
      expect(d.street).toBe('WENCHONG');
      expect(d.seats.map((seat) => seat.level)).toContain('DISTRICT');
    }
  });

  it('refuses a level or street it does not know, and a name with #', async () => {
    for (const query of ['level=MAYOR', 'street=MARS', `name=${encodeURIComponent('a#b')}`]) {
      const res = await district.get(`/deputies?${query}`);
      expect(res.status, `${query}: ${res.text}`).toBe(422);
    }
  });
});
