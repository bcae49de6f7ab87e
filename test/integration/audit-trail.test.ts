// Integration test on the local cloud (issue 5): the audit list of ended activities (listing
// keys written by the steps that set the final status), its filters, pagination, CSV and scope
// rules; the verified trail of an activity and a referral; tamper evidence (an edited and a
// deleted event found at exactly their seq).
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { keys, type PrimaryKey } from '../../functions/shared/data/keys';
import { DEMO_COMMITTEE_IDS, DEMO_DEPUTY_IDS } from '../../infra/local/seed';
import { api, type ApiClient, deputyApi } from './support/api';
import { cancelledActivity, checkIn, completedActivity, recordFinding } from './support/activity';
import { ddbDoc } from './support/aws';
import { tableName } from './support/cloud';
import { cursorParam, readAllPages } from '../support/pages';

const RUN = Date.now().toString(36);
const ORGANISER_SUB = `org-audit-${RUN}`;
const organiser = api({ role: 'organiser', sub: ORGANISER_SUB });
const xinlongOrganiser = api({ role: 'organiser', sub: `org-xinlong-${RUN}`, street: '新龙' });
const wenchongOrganiser = api({ role: 'organiser', sub: `org-wenchong-${RUN}`, street: '文冲' });
const auditor = api({ role: 'auditor', sub: `aud-${RUN}` });

interface ListJson {
  items: {
    id: string;
    status: string;
    street: string;
    type: string;
    organiserId: string;
    endedAt: string;
    reason?: string;
    attendance: { invited: number; checkedIn: number | null; personTimesTotal: number | null };
    findings: { total: number; referred: number } | null;
    referrals: { total: number; byStatus: Record<string, number> };
  }[];
  nextCursor?: string;
}

interface TrailJson {
  events: { seq: number; at: string; actor: string; action: string }[];
  nextCursor?: string;
  verification: { ok: boolean; checked: number; firstBroken?: { seq: number; reason: string } };
}

interface VerifyJson {
  ok: boolean;
  checked: number;
  head: { seq: number };
  firstBroken?: { seq: number; reason: string };
}

/** Every page of a list query (following nextCursor), and how many pages it took. */
async function allPages(client: ApiClient, query: string) {
  const pages = await readAllPages(async (cursor) => {
    const res = await client.get<ListJson>(`/audit/activities?${query}${cursorParam(cursor)}`);
    expect(res.status, res.text).toBe(200);
    return res.json;
  }, 99);
  return { items: pages.flatMap((page) => page.items), pages: pages.length };
}

const cancelled = (street: string, title: string): Promise<string> =>
  cancelledActivity(organiser, { title, street, invitedDeputyIds: [DEMO_DEPUTY_IDS.wenchong] });

let completedId: string;
let referralId: string;
let xinlongCancelled: string;
let wenchongCancelled: string;

beforeAll(async () => {
  const run = async () => {
    const deputy = deputyApi(DEMO_DEPUTY_IDS.wenchong);
    const { id, review } = await completedActivity(
      organiser,
      DEMO_COMMITTEE_IDS.urbanConstruction,
      {
        title: `审计查询 ${RUN}`,
        invitedDeputyIds: [DEMO_DEPUTY_IDS.wenchong, DEMO_DEPUTY_IDS.national],
      },
      {
        whileOpen: async (openId) => {
          await checkIn([deputy], openId);
          await recordFinding(deputy, openId, { category: 'DRAINAGE' });
        },
      },
    );
    return { id, referralId: review.referrals[0]!.id };
  };
  const [done, xinlong, wenchong] = await Promise.all([
    run(),
    cancelled('XINLONG', `审计取消新龙 ${RUN}`),
    cancelled('WENCHONG', `审计取消文冲 ${RUN}`),
  ]);
  completedId = done.id;
  referralId = done.referralId;
  xinlongCancelled = xinlong;
  wenchongCancelled = wenchong;
}, 180_000);

describe('GET /audit/activities', () => {
  it('lists a completed activity with attendance, findings and referral outcomes', async () => {
    const { items } = await allPages(auditor, `organiser=${ORGANISER_SUB}`);
    expect(items.map((i) => i.id)).toEqual([completedId]);
    expect(items[0]).toMatchObject({
      status: 'COMPLETED',
      street: 'WENCHONG',
      type: 'THEMATIC_RESEARCH',
      organiserId: ORGANISER_SUB,
      attendance: { invited: 2, checkedIn: 1, personTimesTotal: 1 },
      findings: { total: 1, referred: 1 },
      referrals: { total: 1 },
    });
    const outcomes = items[0]!.referrals.byStatus;
    expect(Object.values(outcomes).reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('pages with limit=1 across pages; filters by status, street and type', async () => {
    const byOrganiser = await allPages(
      auditor,
      `status=CANCELLED&organiser=${ORGANISER_SUB}&limit=1`,
    );
    expect(byOrganiser.items.map((i) => i.id).sort()).toEqual(
      [xinlongCancelled, wenchongCancelled].sort(),
    );
    expect(byOrganiser.pages).toBeGreaterThanOrEqual(2);
    expect(byOrganiser.items.every((i) => i.reason === '天气原因')).toBe(true);

    const wenchong = await allPages(
      auditor,
      `status=CANCELLED&organiser=${ORGANISER_SUB}&street=WENCHONG&limit=1`,
    );
    expect(wenchong.items.map((i) => i.id)).toEqual([wenchongCancelled]);

    const byStreet = await allPages(auditor, 'status=CANCELLED&street=XINLONG&limit=1');
    expect(byStreet.pages).toBeGreaterThanOrEqual(2);
    expect(byStreet.items.map((i) => i.id)).toContain(xinlongCancelled);
    expect(byStreet.items.map((i) => i.id)).not.toContain(wenchongCancelled);
    expect(new Set(byStreet.items.map((i) => i.id)).size).toBe(byStreet.items.length);

    const byType = await allPages(auditor, 'type=THEMATIC_RESEARCH&limit=50');
    expect(byType.items.map((i) => i.id)).toContain(completedId);
    expect(byType.items.every((i) => i.type === 'THEMATIC_RESEARCH')).toBe(true);
    const otherType = await allPages(auditor, `type=SYMPOSIUM&organiser=${ORGANISER_SUB}`);
    expect(otherType.items).toEqual([]);

    const outside = await allPages(
      auditor,
      `organiser=${ORGANISER_SUB}&from=2020-01-01&to=2020-12-31`,
    );
    expect(outside.items).toEqual([]);
  });

  it('keeps a scoped organiser to their street; cursors do not cross scopes', async () => {
    const own = await allPages(xinlongOrganiser, `status=CANCELLED&organiser=${ORGANISER_SUB}`);
    expect(own.items.map((i) => i.id)).toEqual([xinlongCancelled]);
    const streetOnly = await allPages(xinlongOrganiser, 'status=CANCELLED&limit=50');
    expect(streetOnly.items.every((i) => i.street === 'XINLONG')).toBe(true);

    const foreign = await xinlongOrganiser.get('/audit/activities?street=WENCHONG');
    expect(foreign.status, foreign.text).toBe(403);
    expect((await deputyApi(DEMO_DEPUTY_IDS.wenchong).get('/audit/activities')).status).toBe(403);

    // The auditor's cursor (all streets) is refused for a scoped organiser: 400, nothing read.
    const first = await auditor.get<ListJson>(
      `/audit/activities?status=CANCELLED&organiser=${ORGANISER_SUB}&limit=1`,
    );
    const cursor = first.json.nextCursor!;
    expect(cursor).toBeDefined();
    const stolen = await xinlongOrganiser.get(
      `/audit/activities?status=CANCELLED&organiser=${ORGANISER_SUB}&limit=1&cursor=${cursor}`,
    );
    expect(stolen.status, stolen.text).toBe(400);

    // A cursor edited to point into another partition is refused too.
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
      p: { k?: { listPk: string } };
    };
    decoded.p.k!.listPk = decoded.p.k!.listPk.replace('ORGANISER', 'STREET');
    const edited = Buffer.from(JSON.stringify(decoded)).toString('base64url');
    const tampered = await auditor.get(
      `/audit/activities?status=CANCELLED&organiser=${ORGANISER_SUB}&limit=1&cursor=${edited}`,
    );
    expect(tampered.status, tampered.text).toBe(400);
    expect((await auditor.get('/audit/activities?cursor=garbage!')).status).toBe(400);
  });

  it('exports the same list as CSV with a BOM and a bilingual header', async () => {
    const res = await auditor.get(`/audit/activities?organiser=${ORGANISER_SUB}&format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect([...res.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = res.text.trimEnd().split('\r\n');
    expect(lines[0]).toContain('活动编号 Activity ID');
    expect(lines[0]).toContain('签到人数 Checked in');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(completedId);
    expect(lines[1]).toContain('专题调研');
    expect(lines[1]).toContain('文冲街道');
  });
});

describe('audit trails', () => {
  it('pages the activity trail with limit=1, verified on read; verify reports ok', async () => {
    const pages = await readAllPages(async (cursor) => {
      const res = await auditor.get<TrailJson>(
        `/audit/activities/${completedId}/trail?limit=1${cursorParam(cursor)}`,
      );
      expect(res.status, res.text).toBe(200);
      expect(res.json.events).toHaveLength(1);
      expect(res.json.verification.ok).toBe(true);
      return res.json;
    });
    const seqs = pages.map((page) => page.events[0]!.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));

    const verify = await auditor.get<VerifyJson>(`/audit/activities/${completedId}/verify`);
    expect(verify.status, verify.text).toBe(200);
    expect(verify.json).toMatchObject({ ok: true, checked: seqs.length });
    expect(verify.json.head.seq).toBe(seqs.length);

    const all = await auditor.get<TrailJson>(`/audit/activities/${completedId}/trail?limit=200`);
    expect(all.json.events.map((e) => e.action)).toContain('ACTIVITY_COMPLETED');
    expect(all.json.events[0]).toMatchObject({ seq: 1, actor: ORGANISER_SUB });
  });

  it('shows the referral trail, verified', async () => {
    const res = await auditor.get<TrailJson>(`/audit/referrals/${referralId}/trail`);
    expect(res.status, res.text).toBe(200);
    expect(res.json.events[0]).toMatchObject({ seq: 1, action: 'REFERRAL_DISPATCHED' });
    expect(res.json.verification.ok).toBe(true);
    const verify = await auditor.get<VerifyJson>(`/audit/referrals/${referralId}/verify`);
    expect(verify.json.ok).toBe(true);
  });

  it('scope: another street 404, a deputy 403, the auditor and the street organiser 200', async () => {
    for (const path of [
      `/audit/activities/${completedId}/trail`,
      `/audit/activities/${completedId}/verify`,
      `/audit/referrals/${referralId}/trail`,
      `/audit/referrals/${referralId}/verify`,
    ]) {
      const other = await xinlongOrganiser.get(path);
      expect(other.status, path).toBe(404);
      expect(other.text).not.toContain('ACTIVITY_COMPLETED');
      expect((await deputyApi(DEMO_DEPUTY_IDS.wenchong).get(path)).status, path).toBe(403);
      expect((await auditor.get(path)).status, path).toBe(200);
      expect((await wenchongOrganiser.get(path)).status, path).toBe(200);
    }
    // A cursor of one trail does not page another.
    const first = await auditor.get<TrailJson>(`/audit/activities/${completedId}/trail?limit=1`);
    const res = await auditor.get(
      `/audit/activities/${wenchongCancelled}/trail?limit=1&cursor=${first.json.nextCursor}`,
    );
    expect(res.status, res.text).toBe(400);
  });

  it('an event edited in DynamoDB fails verification at exactly that event', async () => {
    const before = await auditor.get<VerifyJson>(`/audit/activities/${xinlongCancelled}/verify`);
    expect(before.json.ok).toBe(true);
    expect(before.json.checked).toBeGreaterThanOrEqual(3);
    const edited = keys.auditEvent(keys.auditStreamOfActivity(xinlongCancelled), 2);
    await restoreWhenDone(edited);
    await ddbDoc().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: edited,
        UpdateExpression: 'SET #actor = :actor',
        ExpressionAttributeNames: { '#actor': 'actor' },
        ExpressionAttributeValues: { ':actor': 'someone-else' },
      }),
    );
    const verify = await auditor.get<VerifyJson>(`/audit/activities/${xinlongCancelled}/verify`);
    expect(verify.json).toMatchObject({
      ok: false,
      firstBroken: { seq: 2, reason: 'hash-mismatch' },
    });
    const trail = await auditor.get<TrailJson>(`/audit/activities/${xinlongCancelled}/trail`);
    expect(trail.json.verification).toMatchObject({
      ok: false,
      firstBroken: { seq: 2, reason: 'hash-mismatch' },
    });
  });

  it('a deleted event is detected at its seq', async () => {
    const deleted = keys.auditEvent(keys.auditStreamOfActivity(wenchongCancelled), 2);
    await restoreWhenDone(deleted);
    await ddbDoc().send(new DeleteCommand({ TableName: tableName(), Key: deleted }));
    const verify = await auditor.get<VerifyJson>(`/audit/activities/${wenchongCancelled}/verify`);
    expect(verify.json).toMatchObject({
      ok: false,
      firstBroken: { seq: 2, reason: 'missing-event' },
    });
  });
});

/**
 * Puts an audit event back as it was once the test that edits or deletes it ends: the local
 * cloud is shared by every integration file, and audit-checkpoints verifies whole periods of
 * streams, so a stream broken here would fail it whenever this file runs first.
 */
async function restoreWhenDone(key: PrimaryKey): Promise<void> {
  const { Item } = await ddbDoc().send(new GetCommand({ TableName: tableName(), Key: key }));
  expect(Item, 'the event to tamper with').toBeDefined();
  onTestFinished(async () => {
    await ddbDoc().send(new PutCommand({ TableName: tableName(), Item }));
  });
}
