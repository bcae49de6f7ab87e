import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { listActivities, planActivityList } from '../../../../functions/activities/list';
import {
  listActivitiesQuerySchema,
  type ListActivitiesQuery,
} from '../../../../functions/activities/schemas';
import { keys } from '../../../../functions/shared/data/keys';
import { ForbiddenError, ValidationError } from '../../../../functions/shared/errors';
import type { Caller } from '../../../../functions/shared/http/auth';
import { asCaller } from '../../../support/callers';
import { fakeTable } from '../../../support/dynamodb-fake';

const organiser = asCaller('organiser', 'org-1');
const wenchong = asCaller('organiser', 'org-w', 'WENCHONG');
const auditor = asCaller('auditor', 'aud');

interface Seed {
  id: string;
  status: string;
  startsAt: string;
  street?: string;
  organiserId?: string;
  pendingPhase?: string;
}

const activity = (seed: Seed) => ({
  ...keys.activity(seed.id),
  ...keys.activityListing(seed.status, seed.startsAt, seed.id),
  ...keys.activityOwnership(seed.organiserId ?? 'org-1', seed.startsAt, seed.id),
  entity: 'ACTIVITY',
  id: seed.id,
  title: `活动 ${seed.id}`,
  type: 'COMMUNITY_VISIT',
  street: seed.street ?? 'WENCHONG',
  location: '文冲街道',
  startsAt: seed.startsAt,
  endsAt: '2026-12-31T00:00:00Z',
  organiserId: seed.organiserId ?? 'org-1',
  status: seed.status,
  phase: seed.pendingPhase ?? 'INVITATIONS',
  invitedCount: 2,
  ...(seed.pendingPhase
    ? {
        pendingTask: {
          phase: seed.pendingPhase,
          token: 'secret-token',
          since: '2026-07-01T00:00:00.000Z',
          deadline: '2026-07-09T00:00:00.000Z',
        },
      }
    : {}),
});

const query = (raw: Record<string, string> = {}): ListActivitiesQuery =>
  listActivitiesQuerySchema.parse(raw);

const seeds: Seed[] = [
  { id: 'A1', status: 'SCHEDULED', startsAt: '2026-07-08T09:00:00+08:00' }, // 01:00Z
  { id: 'A2', status: 'INVITATIONS_SENT', startsAt: '2026-07-08T00:30:00Z', pendingPhase: 'START' },
  { id: 'A3', status: 'COMPLETED', startsAt: '2026-07-01T00:00:00Z' },
  {
    id: 'A4',
    status: 'IN_REVIEW',
    startsAt: '2026-07-09T00:00:00Z',
    pendingPhase: 'REVIEW',
    organiserId: 'org-2',
  },
  { id: 'A5', status: 'CHECK_IN_OPEN', startsAt: '2026-07-08T02:00:00Z', street: 'XINLONG' },
  { id: 'A6', status: 'SCHEDULED', startsAt: '2026-07-20T00:00:00Z', street: 'XINLONG' },
  { id: 'A7', status: 'IN_REVIEW', startsAt: '2026-07-10T00:00:00Z' }, // token not stored yet
];

let table: ReturnType<typeof fakeTable> | undefined;
afterEach(() => table?.doc.restore());

const deps = () => {
  table = fakeTable(seeds.map(activity));
  return { db: table.db, tableName: 'T' };
};

const readAll = async (caller: Caller, raw: Record<string, string>) => {
  const d = deps();
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 20; pages++) {
    const page = await listActivities(d, caller, query({ ...raw, ...(cursor ? { cursor } : {}) }));
    ids.push(...page.items.map((item) => item.id));
    cursor = page.nextCursor;
    if (!cursor) return ids;
  }
  throw new Error('no end of pages');
};

describe('GET /activities', () => {
  it('merges every status by the start instant, whatever the offset, a page at a time, each once', async () => {
    expect(await readAll(organiser, { limit: '2' })).toEqual([
      'A3',
      'A2',
      'A1',
      'A5',
      'A4',
      'A7',
      'A6',
    ]);
  });

  it('bounds the start time by the period (a day is China time)', async () => {
    // 2026-07-08 China time is 2026-07-07T16:00Z .. 2026-07-08T15:59:59.999Z.
    expect(await readAll(auditor, { from: '2026-07-08', to: '2026-07-08', limit: '10' })).toEqual([
      'A2',
      'A1',
      'A5',
    ]);
  });

  it('lists what waits on an organiser, with the step, its deadline and the action', async () => {
    const page = await listActivities(deps(), organiser, query({ waiting: 'true' }));
    expect(page.items.map((item) => item.id)).toEqual(['A2', 'A4']);
    expect(page.items[0]!.pendingTask).toEqual({
      phase: 'START',
      since: '2026-07-01T00:00:00.000Z',
      deadline: '2026-07-09T00:00:00.000Z',
      action: {
        code: 'OPEN_CHECK_IN',
        method: 'POST',
        path: '/activities/A2/check-in/open',
        endsAtDeadline: true,
      },
    });
    expect(page.items[1]!.pendingTask!.action!.code).toBe('DECIDE_AND_APPROVE');
    expect(JSON.stringify(page)).not.toContain('secret-token');
    // Only the partitions of the statuses a human step waits in are read.
    const partitions = table!.doc
      .commandCalls(QueryCommand)
      .map((call) => call.args[0].input.ExpressionAttributeValues?.[':pk']);
    expect(new Set(partitions)).toEqual(
      new Set([
        'ACTIVITIES#INVITATIONS_SENT',
        'ACTIVITIES#CHECK_IN_OPEN',
        'ACTIVITIES#FINDINGS_OPEN',
        'ACTIVITIES#IN_REVIEW',
      ]),
    );
  });

  it("reads one organiser's activities from the ownership index, status a filter", async () => {
    const page = await listActivities(
      deps(),
      organiser,
      query({ mine: 'true', status: 'SCHEDULED' }),
    );
    expect(page.items.map((item) => item.id)).toEqual(['A1', 'A6']);
    const calls = table!.doc.commandCalls(QueryCommand);
    expect(calls.map((call) => call.args[0].input.IndexName)).toEqual(['ownership']);
    expect(calls[0]!.args[0].input.ExpressionAttributeValues?.[':pk']).toBe('ORGANISER#org-1');
    expect(await readAll(auditor, { organiserId: 'org-2' })).toEqual(['A4']);
  });

  it('holds a street organiser to their street, fails closed, refuses deputies', async () => {
    expect(await readAll(wenchong, { limit: '3' })).toEqual(['A3', 'A2', 'A1', 'A4', 'A7']);
    expect(() => planActivityList(wenchong, query({ street: 'XINLONG' }))).toThrow(ForbiddenError);
    expect(() => planActivityList({ ...wenchong, street: '火星' }, query({}))).toThrow(
      ForbiddenError,
    );
    expect(() =>
      planActivityList({ sub: 'd', roles: ['deputy'], deputyId: 'd' }, query({})),
    ).toThrow(ForbiddenError);
    expect(await readAll(auditor, { street: 'XINLONG' })).toEqual(['A5', 'A6']);
  });

  it('refuses a cursor edited, or made by another query or scope, with 400', async () => {
    const d = deps();
    const first = await listActivities(d, organiser, query({ limit: '2' }));
    const cursor = first.nextCursor!;
    const other = listActivities(d, wenchong, query({ limit: '2', cursor }));
    await expect(other).rejects.toMatchObject({ statusCode: 400 });
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
      p: Record<string, unknown>;
    };
    // A position moved to a partition of this query but outside its period, or a new source.
    for (const p of [
      { ...decoded.p, SCHEDULED: 'ZZZ#A1' },
      { ...decoded.p, NOPE: true },
    ]) {
      const edited = Buffer.from(JSON.stringify({ ...decoded, p }), 'utf8').toString('base64url');
      const periodQuery = query({ limit: '2', cursor: edited });
      await expect(listActivities(d, organiser, periodQuery)).rejects.toBeInstanceOf(
        ValidationError,
      );
    }
    const bounded = await listActivities(d, organiser, query({ limit: '1', to: '2026-07-08' }));
    const moved = JSON.parse(Buffer.from(bounded.nextCursor!, 'base64url').toString('utf8')) as {
      p: Record<string, unknown>;
    };
    moved.p = { ...moved.p, SCHEDULED: '2026-07-20T00:00:00.000Z#A6' };
    const edited = Buffer.from(JSON.stringify(moved), 'utf8').toString('base64url');
    await expect(
      listActivities(d, organiser, query({ limit: '1', to: '2026-07-08', cursor: edited })),
    ).rejects.toMatchObject({ statusCode: 400 });
  });

  it('names every invalid parameter', () => {
    const parsed = listActivitiesQuerySchema.safeParse({
      status: 'RUNNING',
      mine: 'yes',
      limit: '0',
      from: '2026-08-01',
      to: '2026-07-01',
    });
    expect(parsed.success).toBe(false);
    const paths = parsed.error!.issues.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['status', 'mine', 'limit']));
    expect(listActivitiesQuerySchema.safeParse({ mine: 'true', organiserId: 'x' }).success).toBe(
      false,
    );
  });
});
