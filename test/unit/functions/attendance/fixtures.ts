// unit test fixtures for the attendance tests (used with the in-memory table of dynamodb-fake.ts)
import { beforeEach } from 'vitest';
import type { AuditEvent } from '../../../../functions/shared/data/audit.js';
import { documentClient } from '../../../support/aws.js';
import { asCaller } from '../../../support/callers.js';
import { fakeTable } from '../../../support/dynamodb-fake.js';
import { TABLE } from '../../../support/env.js';
import { invitationItem as storedInvitation } from '../../../support/items.js';

export { TABLE };
export const ID = '01J5ZQ8V6W7X8Y9Z0ABCDEFGHJ';
export const SECRET = 'test-check-in-code-secret-0123456789abcdef';
export const NOW = new Date('2030-08-18T02:00:00.000Z');

/** What the attendance functions take, on the in-memory table (`fakeTable()`), at `now()`. */
export const attendanceDeps = (now: () => Date = () => NOW) => ({
  db: documentClient(),
  tableName: TABLE,
  now,
  checkInCodeKey: async () => SECRET,
});

export const deputy = (deputyId: string) => asCaller('deputy', deputyId);
export const organiser = asCaller('organiser', 'org-1');

export const activityItem = (overrides: Record<string, unknown> = {}) => ({
  pk: `ACTIVITY#${ID}`,
  sk: 'ACTIVITY',
  entity: 'ACTIVITY',
  id: ID,
  title: '人居环境整治交叉检查',
  type: 'CROSS_INSPECTION',
  street: 'WENCHONG',
  location: '番禺区市桥街',
  startsAt: '2030-08-18T09:00:00+08:00',
  endsAt: '2030-08-18T17:00:00+08:00',
  language: 'zh',
  organiserId: 'org-1',
  status: 'CHECK_IN_OPEN',
  phase: 'ATTENDANCE',
  invitedCount: 3,
  createdAt: 'x',
  updatedAt: 'y',
  auditSeq: 4,
  auditHash: 'a'.repeat(64),
  ...overrides,
});

export const invitationItem = (deputyId: string, overrides: Record<string, unknown> = {}) =>
  storedInvitation(ID, deputyId, { invitedAt: 'x', ...overrides });

export const deputyItem = (id: string, levels: string[]) => ({
  pk: `DEPUTY#${id}`,
  sk: 'PROFILE',
  entity: 'DEPUTY',
  id,
  name: `代表${id}`,
  email: `${id}@example.org`,
  seats: levels.map((level) => ({ level, body: `${level} congress` })),
  active: true,
});

/** What `attendanceTable` holds before each test: the activity and its invitees, by deputy id. */
export interface AttendanceSeed {
  /** Overrides of `activityItem()`. */
  activity?: Record<string, unknown>;
  /** Each invited deputy, with the overrides of their invitation. */
  invitations: Record<string, Record<string, unknown>>;
  /** The deputies stored with a profile, with the levels of their seats. */
  deputies: Record<string, string[]>;
}

/**
 * The attendance tests' table: the in-memory table emptied and seeded with `seed` before each
 * test, the attendance functions' deps on it at `now()`, and what the tests read of it.
 */
export function attendanceTable(seed: AttendanceSeed, now: () => Date = () => NOW) {
  const table = fakeTable();
  beforeEach(() => {
    table.reset();
    table.put(activityItem(seed.activity));
    for (const [deputyId, overrides] of Object.entries(seed.invitations)) {
      table.put(invitationItem(deputyId, overrides));
    }
    for (const [deputyId, levels] of Object.entries(seed.deputies)) {
      table.put(deputyItem(deputyId, levels));
    }
  });
  const pk = `ACTIVITY#${ID}`;
  return {
    table,
    deps: attendanceDeps(now),
    activity: () => table.get(pk, 'ACTIVITY')!,
    invitation: (deputyId: string) => table.get(pk, `INVITATION#${deputyId}`)!,
    /** The activity's chained audit events, in order. */
    audit: () => table.list('AUDIT#') as unknown as AuditEvent[],
  };
}
