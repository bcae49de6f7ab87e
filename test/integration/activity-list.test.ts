// Integration (local cloud): `GET /activities` (issue 15). Three activities of one organiser, in
// two streets, on three days far ahead: the filters (organiser, street, type, status, period,
// waiting with the step, its deadline and the action), a street organiser of another street who
// sees none of them, a deputy refused, and pages that come in start order with a cursor that
// cannot be edited or replayed in another scope.
import { beforeAll, describe, expect, it } from 'vitest';
import { api, deputyApi } from './support/api';
import { scheduleActivity, waitForPhase } from './support/activity';
import { cursorParam, readAllPages } from '../support/pages';

const RUN = Date.now().toString(36);
const ORGANISER = `org-list-${RUN}`;
const organiser = api({ role: 'organiser', sub: ORGANISER });
const xinlongOrganiser = api({ role: 'organiser', sub: `org-xl-${RUN}`, street: '新龙' });
const wenchongOrganiser = api({ role: 'organiser', sub: `org-wc-${RUN}`, street: 'WENCHONG' });
const auditor = api({ role: 'auditor', sub: `aud-list-${RUN}` });
const deputy = deputyApi('dep-0001');

interface ListItem {
  id: string;
  street: string;
  type: string;
  status: string;
  startsAt: string;
  pendingTask?: {
    phase: string;
    deadline: string | null;
    action: { code: string; method: string; path: string } | null;
  };
}
interface ListJson {
  items: ListItem[];
  nextCursor?: string;
}

// Three days far ahead (random minutes so reruns on one cloud do not collide in order).
const dayAhead = (days: number, minutes: number) =>
  new Date(
    Math.floor(Date.now() / 86_400_000) * 86_400_000 + days * 86_400_000 + minutes * 60_000,
  ).toISOString();
const minute = Math.floor(Math.random() * 50);
const starts = {
  a: dayAhead(200, 120 + minute), // 10:00+ China time
  b: dayAhead(201, 120 + minute),
  c: dayAhead(202, 120 + minute),
};
const chinaDay = (iso: string) =>
  new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);
const ids = { a: '', b: '', c: '' };
const period = () => `from=${chinaDay(starts.a)}&to=${chinaDay(starts.c)}`;

const list = async (client: typeof organiser, query: string) => {
  const res = await client.get<ListJson>(`/activities?${query}`);
  expect(res.status, res.text).toBe(200);
  return res.json;
};
const idsOf = (page: ListJson) => page.items.map((item) => item.id);

beforeAll(async () => {
  const schedule = (street: string, type: string, startsAt: string) =>
    scheduleActivity(organiser, {
      title: `列表 ${RUN}`,
      street,
      type,
      startsAt,
      endsAt: new Date(Date.parse(startsAt) + 3 * 3_600_000).toISOString(),
    });
  ids.a = await schedule('WENCHONG', 'THEMATIC_RESEARCH', starts.a);
  ids.b = await schedule('XINLONG', 'THEMATIC_RESEARCH', starts.b);
  ids.c = await schedule('WENCHONG', 'SYMPOSIUM', starts.c);
  // Each workflow sends its invitations and parks on its START step.
  for (const id of Object.values(ids)) await waitForPhase(organiser, id, 'START');
}, 120_000);

describe('GET /activities', () => {
  it('filters by organiser, street, type, status and period, in start order', async () => {
    expect(idsOf(await list(organiser, 'mine=true'))).toEqual([ids.a, ids.b, ids.c]);
    expect(idsOf(await list(auditor, `organiserId=${ORGANISER}&street=WENCHONG`))).toEqual([
      ids.a,
      ids.c,
    ]);
    expect(idsOf(await list(organiser, 'mine=true&type=SYMPOSIUM'))).toEqual([ids.c]);
    expect(idsOf(await list(organiser, 'mine=true&status=COMPLETED'))).toEqual([]);
    const day = chinaDay(starts.b);
    expect(idsOf(await list(organiser, `mine=true&from=${day}&to=${day}`))).toEqual([ids.b]);
    // Without an organiser: the status partitions, merged by start time (others' activities
    // of these days may be there too; ours come in order).
    const all = idsOf(await list(auditor, `status=INVITATIONS_SENT&${period()}&limit=100`));
    expect(all.filter((id) => Object.values(ids).includes(id))).toEqual([ids.a, ids.b, ids.c]);
  });

  it('lists what waits on an organiser, with the step, its deadline and the action', async () => {
    const page = await list(organiser, 'mine=true&waiting=true');
    expect(idsOf(page)).toEqual([ids.a, ids.b, ids.c]);
    const first = page.items[0]!;
    expect(first.pendingTask?.phase).toBe('START');
    // START ends by itself at the start time; the organiser may open check-in earlier.
    expect(Date.parse(first.pendingTask!.deadline!)).toBe(Date.parse(starts.a));
    expect(first.pendingTask!.action).toMatchObject({
      code: 'OPEN_CHECK_IN',
      method: 'POST',
      path: `/activities/${ids.a}/check-in/open`,
    });
    expect(JSON.stringify(page)).not.toMatch(/token/i);
  });

  it('holds a street organiser to their street: another street sees nothing of it', async () => {
    const xinlong = await list(xinlongOrganiser, `${period()}&limit=100`);
    const mine = idsOf(xinlong).filter((id) => Object.values(ids).includes(id));
    expect(mine).toEqual([ids.b]);
    expect(xinlong.items.every((item) => item.street === 'XINLONG')).toBe(true);
    expect(idsOf(await list(xinlongOrganiser, `organiserId=${ORGANISER}`))).toEqual([ids.b]);
    const wenchong = await list(wenchongOrganiser, `organiserId=${ORGANISER}`);
    expect(idsOf(wenchong)).toEqual([ids.a, ids.c]);
    const refused = await xinlongOrganiser.get(`/activities?street=WENCHONG`);
    expect(refused.status, refused.text).toBe(403);
    expect(refused.text).not.toContain(ids.a);
  });

  it('refuses deputies (403) and names a bad parameter (422)', async () => {
    const refused = await deputy.get('/activities');
    expect(refused.status, refused.text).toBe(403);
    const bad = await organiser.get<{ issues: { path: string }[] }>('/activities?status=RUNNING');
    expect(bad.status, bad.text).toBe(422);
    expect(bad.json.issues.map((issue) => issue.path)).toContain('status');
  });

  it('pages in start order; an edited or replayed cursor is 400', async () => {
    const pages = await readAllPages(
      (cursor) => list(organiser, `mine=true&limit=1${cursorParam(cursor)}`),
      10,
    );
    expect(pages.flatMap(idsOf)).toEqual([ids.a, ids.b, ids.c]);

    const first = await list(organiser, 'mine=true&limit=1');
    const decoded = JSON.parse(Buffer.from(first.nextCursor!, 'base64url').toString('utf8')) as {
      p: Record<string, unknown>;
    };
    const edited = Buffer.from(
      JSON.stringify({ ...decoded, p: { organiser: 'ACTIVITY#2000-01-01T00:00:00.000Z#X#Y' } }),
      'utf8',
    ).toString('base64url');
    const tampered = await organiser.get(`/activities?mine=true&limit=1&cursor=${edited}`);
    expect(tampered.status, tampered.text).toBe(400);
    const garbage = await organiser.get('/activities?mine=true&limit=1&cursor=not-a-cursor');
    expect(garbage.status, garbage.text).toBe(400);
    const replayed = await xinlongOrganiser.get(
      `/activities?organiserId=${ORGANISER}&limit=1&cursor=${first.nextCursor}`,
    );
    expect(replayed.status, replayed.text).toBe(400);
  });
});
