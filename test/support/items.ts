// Items as the stores keep them, for the unit tests that seed an in-memory table or a mocked
// DocumentClient: the keys from keys.ts and the fields every such item has, so a test writes only
// the fields its case is about.
import { GENESIS_HASH } from '../../functions/shared/data/audit';
import type { ActivityItem } from '../../functions/shared/data/items';
import { keys } from '../../functions/shared/data/keys';

/**
 * An activity awaiting its start (INVITATIONS_SENT, phase START): a thematic research in
 * Wenchong, in Chinese. `fields` give its times, its listing keys and whatever the test is about.
 */
export const activityItem = (
  id: string,
  fields: Partial<ActivityItem> & Pick<ActivityItem, 'startsAt' | 'endsAt'>,
): ActivityItem => ({
  ...keys.activity(id),
  listPk: 'ACTIVITIES#INVITATIONS_SENT',
  listSk: 'x',
  ownerPk: 'ORGANISER#org',
  ownerSk: 'x',
  entity: 'ACTIVITY',
  id,
  title: '河涌整治专题调研',
  type: 'THEMATIC_RESEARCH',
  street: 'WENCHONG',
  location: '文冲街道文冲村',
  language: 'zh',
  organiserId: 'org',
  status: 'INVITATIONS_SENT',
  phase: 'START',
  invitedCount: 3,
  createdAt: 'x',
  updatedAt: 'x',
  auditSeq: 3,
  auditHash: 'h',
  ...fields,
});

/**
 * A referral of finding F1 to the water authority (dept-water), with its keys, the department's
 * listing and an empty audit chain; `fields` give its state.
 */
export const referralItem = (id: string, activityId: string, fields: Record<string, unknown>) => ({
  ...keys.referral(id),
  ...keys.referralOwnership(activityId, 'dept-water'),
  entity: 'REFERRAL',
  id,
  activityId,
  departmentId: 'dept-water',
  findingIds: ['F1'],
  auditHash: GENESIS_HASH,
  ...fields,
});

/** Deputy `deputyId`'s invitation to activity `activityId`; `fields` give its answer and links. */
export const invitationItem = (
  activityId: string,
  deputyId: string,
  fields: Record<string, unknown>,
) => ({
  pk: `ACTIVITY#${activityId}`,
  sk: `INVITATION#${deputyId}`,
  entity: 'INVITATION',
  activityId,
  deputyId,
  ...fields,
});

/**
 * Deputy 林晓华 as an organiser writes it to the API or a roster row gives it: two seats, one
 * group, Wenchong; `email` as the test needs it (cased, or unique to its run).
 */
export const deputyLinXiaohua = (email: string) => ({
  name: '林晓华',
  email,
  seats: [
    { level: 'MUNICIPAL', body: '广州市人民代表大会' },
    { level: 'DISTRICT', body: '广州市黄埔区人民代表大会' },
  ],
  group: '市人大黄埔联组',
  street: 'WENCHONG',
});
