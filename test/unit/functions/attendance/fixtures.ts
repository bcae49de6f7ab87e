// unit test fixtures for the attendance tests (used with the in-memory table of table.ts)
import { documentClient } from '../../../support/aws.js';
import { asCaller } from '../../../support/callers.js';
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
