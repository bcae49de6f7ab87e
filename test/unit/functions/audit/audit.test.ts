import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { listEndedActivities } from '../../../../functions/audit/activities';
import { auditActivitiesCsv, BOM, csvField } from '../../../../functions/audit/csv';
import { DEMO_JURISDICTION } from '../../../../infra/local/demo-jurisdiction';
import { decodeCursor, encodeCursor } from '../../../../functions/shared/data/cursor';
import { endedActivityEntries, summarize } from '../../../../functions/audit/listing';
import { auditActivitiesQuerySchema } from '../../../../functions/audit/schemas';
import { toTrailEvent, verifyStream, verifyTrail } from '../../../../functions/audit/trail';
import { keys } from '../../../../functions/shared/data/keys';
import {
  buildAuditEvent,
  GENESIS_HASH,
  type AuditEvent,
} from '../../../../functions/shared/data/audit';
import { ValidationError, ForbiddenError } from '../../../../functions/shared/errors';
import type { Caller } from '../../../../functions/shared/http/auth';
import { asCaller } from '../../../support/callers';
import { fakeTable } from '../../../support/dynamodb-fake';
import { readAllPages } from '../../../support/pages';

const activity = (id: string, street: string, type = 'THEMATIC_RESEARCH', organiserId = 'org-1') =>
  ({
    id,
    title: `活动 ${id}`,
    type,
    street,
    organiserId,
    startsAt: '2026-06-30T01:00:00.000Z',
    endsAt: '2026-06-30T03:00:00.000Z',
    invitedCount: 3,
    attendance: { attended: 2, personTimesTotal: 2, personTimesByLevel: { DISTRICT: 2 } },
  }) as never;

const report = {
  personTimes: { byLevel: { DISTRICT: 2, MUNICIPAL: 1 }, total: 2 },
  attendance: { invited: 3, checkedIn: 2 },
  findings: { total: 3, byKind: { PROBLEM: 3 }, byCategory: { DRAINAGE: 3 }, referred: 2 },
  referrals: { byDepartment: [{ referralId: 'R1' }, { referralId: 'R2' }] },
};

const auditor = asCaller('auditor', 'aud');
const xinlong = asCaller('organiser', 'org-x', 'XINLONG');
const deputy = asCaller('deputy', 'dep-0001');

const query = (params: Record<string, string>) => auditActivitiesQuerySchema.parse(params);

describe('listing entries', () => {
  it('one entry per dimension, keyed by status, month and end time', () => {
    const entries = endedActivityEntries(
      activity('A1', 'WENCHONG'),
      'COMPLETED',
      '2026-07-02T08:00:00.000Z',
      { report },
    );
    expect(entries.map((e) => [e.sk, e.listPk, e.listSk])).toEqual([
      ['AUDIT_LISTING#ALL', 'ENDED#COMPLETED#2026-07', '2026-07-02T08:00:00.000Z#A1'],
      [
        'AUDIT_LISTING#STREET',
        'ENDED#COMPLETED#2026-07#STREET#WENCHONG',
        '2026-07-02T08:00:00.000Z#A1',
      ],
      [
        'AUDIT_LISTING#TYPE',
        'ENDED#COMPLETED#2026-07#TYPE#THEMATIC_RESEARCH',
        '2026-07-02T08:00:00.000Z#A1',
      ],
      [
        'AUDIT_LISTING#ORGANISER',
        'ENDED#COMPLETED#2026-07#ORGANISER#org-1',
        '2026-07-02T08:00:00.000Z#A1',
      ],
    ]);
    expect(entries.every((e) => e.pk === 'ACTIVITY#A1')).toBe(true);
    expect(entries[0]!.summary).toEqual({
      attendance: {
        invited: 3,
        checkedIn: 2,
        personTimesTotal: 2,
        personTimesByLevel: { DISTRICT: 2, MUNICIPAL: 1 },
      },
      findings: { total: 3, byKind: { PROBLEM: 3 }, byCategory: { DRAINAGE: 3 }, referred: 2 },
      referralIds: ['R1', 'R2'],
    });
  });

  it('without a report: attendance from the item, no findings; a bad dimension is skipped', () => {
    expect(summarize(activity('A2', 'WENCHONG'))).toMatchObject({
      attendance: { invited: 3, checkedIn: 2, personTimesTotal: 2 },
      findings: null,
      referralIds: [],
    });
    const entries = endedActivityEntries(activity('A3', ''), 'FAILED', '2026-07-02T08:00:00.000Z', {
      reason: 'x',
    });
    expect(entries.map((e) => e.dimension)).toEqual(['ALL', 'TYPE', 'ORGANISER']);
    expect(entries[0]!.reason).toBe('x');
  });
});

describe('GET /audit/activities (domain)', () => {
  let table: ReturnType<typeof fakeTable> | undefined;
  afterEach(() => table?.doc.restore());

  const seed = () => {
    const items: object[] = [
      ...endedActivityEntries(activity('A1', 'WENCHONG'), 'COMPLETED', '2026-05-31T23:00:00.000Z', {
        report,
      }),
      ...endedActivityEntries(activity('A2', 'XINLONG'), 'COMPLETED', '2026-06-10T08:00:00.000Z'),
      ...endedActivityEntries(
        activity('A3', 'XINLONG', 'SYMPOSIUM'),
        'COMPLETED',
        '2026-07-02T08:00:00.000Z',
      ),
      ...endedActivityEntries(
        activity('A4', 'XINLONG', 'THEMATIC_RESEARCH', 'org-2'),
        'CANCELLED',
        '2026-07-03T08:00:00.000Z',
        { reason: '天气' },
      ),
      { pk: 'REFERRAL#R1', sk: 'REFERRAL', status: 'SENT' },
      { pk: 'REFERRAL#R2', sk: 'REFERRAL', status: 'RESOLVED' },
    ];
    table = fakeTable(items);
    return { db: table.db, tableName: 'T', now: () => new Date('2026-08-01T00:00:00.000Z') };
  };

  const all = async (
    deps: ReturnType<typeof seed>,
    caller: Caller,
    params: Record<string, string>,
  ) => {
    const pages = await readAllPages(
      (cursor) =>
        listEndedActivities(deps, caller, query({ ...params, ...(cursor ? { cursor } : {}) })),
      20,
    );
    return { ids: pages.flatMap((page) => page.items.map((i) => i.id)), pages: pages.length };
  };

  it('pages with limit=1 across month partitions, oldest first, from Queries only', async () => {
    const deps = seed();
    const { ids, pages } = await all(deps, auditor, {
      from: '2026-05-01',
      to: '2026-07-31',
      limit: '1',
    });
    expect(ids).toEqual(['A1', 'A2', 'A3']);
    expect(pages).toBe(3);
    expect(table!.doc.commandCalls(ScanCommand)).toHaveLength(0);
    for (const call of table!.doc.commandCalls(QueryCommand)) {
      expect(call.args[0].input.IndexName).toBe('listing');
    }
  });

  it('shows attendance, findings and the current referral outcomes', async () => {
    const deps = seed();
    const page = await listEndedActivities(
      deps,
      auditor,
      query({ from: '2026-05-01', to: '2026-06-01' }),
    );
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({
      id: 'A1',
      attendance: { invited: 3, checkedIn: 2, personTimesTotal: 2 },
      findings: { total: 3, referred: 2 },
      referrals: { total: 2, byStatus: { RESOLVED: 1, SENT: 1 } },
    });
    expect(page.nextCursor).toBeUndefined();
  });

  it('filters by street, type, organiser and status', async () => {
    const deps = seed();
    const period = { from: '2026-05-01', to: '2026-07-31' };
    expect((await all(deps, auditor, { ...period, street: 'XINLONG' })).ids).toEqual(['A2', 'A3']);
    expect((await all(deps, auditor, { ...period, type: 'SYMPOSIUM' })).ids).toEqual(['A3']);
    expect(
      (await all(deps, auditor, { ...period, street: 'XINLONG', type: 'SYMPOSIUM', limit: '1' }))
        .ids,
    ).toEqual(['A3']);
    expect((await all(deps, auditor, { ...period, status: 'CANCELLED' })).ids).toEqual(['A4']);
    expect(
      (
        await all(deps, auditor, {
          ...period,
          status: 'CANCELLED',
          organiser: 'org-2',
          street: 'WENCHONG',
        })
      ).ids,
    ).toEqual([]);
  });

  it('keeps a street organiser to their street; refuses deputies and foreign streets', async () => {
    const deps = seed();
    const period = { from: '2026-05-01', to: '2026-07-31' };
    expect((await all(deps, xinlong, { ...period, limit: '1' })).ids).toEqual(['A2', 'A3']);
    await expect(
      listEndedActivities(deps, xinlong, query({ ...period, street: 'WENCHONG' })),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(listEndedActivities(deps, deputy, query(period))).rejects.toBeInstanceOf(
      ForbiddenError,
    );
  });

  it('refuses a cursor of another scope or query, and an edited one (400)', async () => {
    const deps = seed();
    const period = { from: '2026-05-01', to: '2026-07-31', limit: '1' };
    const first = await listEndedActivities(deps, auditor, query(period));
    const cursor = first.nextCursor!;
    const refused = (caller: Caller, params: Record<string, string>) =>
      listEndedActivities(deps, caller, query(params)).then(
        () => undefined,
        (error: unknown) => error,
      );
    const stolen = await refused(xinlong, { ...period, cursor });
    expect(stolen).toBeInstanceOf(ValidationError);
    expect((stolen as ValidationError).statusCode).toBe(400);
    expect(await refused(auditor, { ...period, street: 'XINLONG', cursor })).toBeInstanceOf(
      ValidationError,
    );
    expect(await refused(auditor, { ...period, cursor: 'bm90LWEtY3Vyc29y' })).toBeInstanceOf(
      ValidationError,
    );

    const second = await listEndedActivities(deps, auditor, query({ ...period, cursor }));
    const decoded = JSON.parse(Buffer.from(second.nextCursor!, 'base64url').toString()) as {
      p: { k?: Record<string, string>; m: number };
    };
    const edited = structuredClone(decoded);
    edited.p.k = {
      pk: 'ACTIVITY#A4',
      sk: 'AUDIT_LISTING#ALL',
      listPk: 'ENDED#CANCELLED#2026-07',
      listSk: '2026-07-03T08:00:00.000Z#A4',
    };
    const forged = Buffer.from(JSON.stringify(edited)).toString('base64url');
    expect(await refused(auditor, { ...period, cursor: forged })).toBeInstanceOf(ValidationError);
  });

  it('validates the query: period order, length, statuses', () => {
    expect(
      auditActivitiesQuerySchema.safeParse({ from: '2026-07-01', to: '2026-06-01' }).success,
    ).toBe(false);
    expect(auditActivitiesQuerySchema.safeParse({ status: 'IN_REVIEW' }).success).toBe(false);
    expect(auditActivitiesQuerySchema.safeParse({ organiser: 'a#b' }).success).toBe(false);
    expect(query({ from: '2026-07-01' }).from).toBe('2026-06-30T16:00:00.000Z');
  });
});

describe('cursors', () => {
  it('decode only under the same binding', () => {
    const cursor = encodeCursor({ scope: '*' }, { m: 1 });
    expect(decodeCursor(cursor, { scope: '*' })).toEqual({ m: 1 });
    expect(() => decodeCursor(cursor, { scope: 'XINLONG' })).toThrow(ValidationError);
    expect(() => decodeCursor('%%%', { scope: '*' })).toThrow(ValidationError);
  });
});

describe('CSV', () => {
  it('has a BOM, a bilingual header and safe fields', () => {
    const csv = auditActivitiesCsv(
      [
        {
          id: 'A1',
          title: '=HYPERLINK("x"), "引号"',
          type: 'THEMATIC_RESEARCH',
          street: 'WENCHONG',
          organiserId: 'org-1',
          status: 'COMPLETED',
          startsAt: 's',
          endsAt: 'e',
          endedAt: 'x',
          attendance: { invited: 3, checkedIn: 2, personTimesTotal: 2, personTimesByLevel: {} },
          findings: { total: 1, byKind: {}, byCategory: {}, referred: 1 },
          referrals: { total: 1, byStatus: { SENT: 1 } },
        },
      ],
      DEMO_JURISDICTION,
    );
    expect(csv.startsWith(BOM)).toBe(true);
    const [header, row] = csv.slice(1).split('\r\n');
    expect(header).toContain(
      '活动编号 Activity ID,标题 Title,类型 Type,类型代码 Type code,街道 Street,街道代码 Street code',
    );
    expect(header).toContain('状态 Status,状态代码 Status code');
    expect(row).toContain(`"'=HYPERLINK(""x""), ""引号"""`);
    // Names for people, codes beside them for programs.
    expect(row).toContain('专题调研,THEMATIC_RESEARCH,文冲街道,WENCHONG,org-1,已完成,COMPLETED');
    expect(row).toContain('已转交 1,SENT:1');
    expect(csvField(null)).toBe('');
    expect(csvField('-1')).toBe("'-1");
  });
});

describe('chain verification against the head', () => {
  const chain = (n: number): AuditEvent[] => {
    const events: AuditEvent[] = [];
    for (let i = 0; i < n; i++) {
      events.push(
        buildAuditEvent('ACTIVITY#A1', events[i - 1] ?? null, {
          at: `2026-07-01T00:00:0${i}.000Z`,
          actor: 'workflow',
          action: `STEP_${i + 1}`,
          before: { status: 'A' },
          after: { status: 'B', list: [1, 2, 3, 4, 5, 6], nested: { deep: { x: 1 } } },
        }),
      );
    }
    return events;
  };
  const headOf = (events: AuditEvent[]) => ({
    seq: events.length,
    hash: events[events.length - 1]?.hash ?? GENESIS_HASH,
  });

  it('ok for an intact chain, and for an empty stream with an empty head', () => {
    const events = chain(4);
    expect(verifyStream(events, headOf(events))).toMatchObject({ ok: true, checked: 4 });
    expect(verifyStream([], { seq: 0, hash: GENESIS_HASH })).toMatchObject({
      ok: true,
      checked: 0,
    });
  });

  it('an event appended while the trail is read is checked against the head read again', async () => {
    const events = chain(4);
    const stored = (head: { seq: number; hash: string }) => [
      { ...keys.activity('A1'), auditSeq: head.seq, auditHash: head.hash },
      ...events.map((event) => ({ ...keys.auditEvent('ACTIVITY#A1', event.seq), ...event })),
    ];
    // The head was read at seq 3; the workflow has appended seq 4 (with the head) since.
    const live = fakeTable(stored(headOf(events)));
    const stream = {
      kind: 'activity' as const,
      id: 'A1',
      streamId: 'ACTIVITY#A1',
      head: headOf(events.slice(0, 3)),
      headKey: keys.activity('A1'),
    };
    try {
      const result = await verifyTrail({ db: live.db, tableName: 'T' }, stream);
      expect(result).toMatchObject({ ok: true, checked: 4, head: { seq: 4 } });
    } finally {
      live.doc.restore();
    }
    // A trailing event the head never took is still reported.
    const forged = fakeTable(stored(headOf(events.slice(0, 3))));
    try {
      const result = await verifyTrail({ db: forged.db, tableName: 'T' }, stream);
      expect(result).toMatchObject({ ok: false, firstBroken: { reason: 'head-mismatch' } });
    } finally {
      forged.doc.restore();
    }
  });

  it('an edited event fails at its own seq', () => {
    const events = chain(4);
    const head = headOf(events);
    events[2] = { ...events[2]!, actor: 'mallory' };
    expect(verifyStream(events, head).firstBroken).toEqual({ seq: 3, reason: 'hash-mismatch' });
  });

  it('a deleted event is reported at the missing seq: first, middle or last', () => {
    const events = chain(4);
    const head = headOf(events);
    expect(verifyStream(events.slice(1), head).firstBroken).toEqual({
      seq: 1,
      reason: 'missing-event',
    });
    expect(verifyStream([events[0]!, events[2]!, events[3]!], head).firstBroken).toEqual({
      seq: 2,
      reason: 'missing-event',
    });
    expect(verifyStream(events.slice(0, 3), head).firstBroken).toEqual({
      seq: 4,
      reason: 'missing-event',
    });
    expect(verifyStream(events, { seq: 4, hash: 'f'.repeat(64) }).firstBroken).toEqual({
      seq: 4,
      reason: 'head-mismatch',
    });
  });

  it('shows before and after in short', () => {
    const [event] = chain(1);
    expect(toTrailEvent(event!)).toMatchObject({
      seq: 1,
      action: 'STEP_1',
      after: { status: 'B', list: '[6 items]', nested: { deep: '{…}' } },
    });
  });
});
