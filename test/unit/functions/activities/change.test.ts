// unit test: PATCH /activities/{id} domain (SDK mocked with aws-sdk-client-mock): when a change
// is allowed, what its one transaction holds, and when it ends the workflow's start wait
import { SFNClient, SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import {
  BatchGetCommand,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { changeActivitySchedule } from '../../../../functions/activities/change.js';
import type { ActivityItem } from '../../../../functions/shared/data/items.js';
import { keys } from '../../../../functions/shared/data/keys.js';
import { documentClient, mockAws } from '../../../support/aws.js';
import { activityItem } from '../../../support/items.js';
import { TABLE } from '../helpers.js';

const { doc, sfn: sfnMock } = mockAws('doc', 'sfn');
const deps = {
  db: documentClient(),
  sfn: new SFNClient({}),
  tableName: TABLE,
  now: () => new Date('2020-08-10T00:00:00.000Z'),
};
const ID = '01J5ZQ8V6W7X8Y9Z0ABCDEFGHJ';
const organiser = { sub: 'org-1', roles: ['organiser' as const], deputyId: 'org-1' };

const activity = (overrides: Partial<ActivityItem> = {}): ActivityItem =>
  activityItem(ID, {
    ...keys.activityListing('INVITATIONS_SENT', '2020-08-18T01:00:00.000Z', ID),
    ...keys.activityOwnership('org-1', '2020-08-18T01:00:00.000Z', ID),
    startsAt: '2020-08-18T01:00:00.000Z',
    endsAt: '2020-08-18T04:00:00.000Z',
    organiserId: 'org-1',
    invitedCount: 2,
    pendingTask: { phase: 'START', token: 'token-1', since: 'x', revision: 0 },
    auditSeq: 4,
    ...overrides,
  });

let stored: ActivityItem;
beforeEach(() => {
  stored = activity();
  doc.on(GetCommand).callsFake(() => ({ Item: stored }));
  doc.on(QueryCommand).resolves({
    Items: [{ deputyId: 'dep-0001' }, { deputyId: 'dep-0041' }],
  });
  doc.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [{ id: 'dep-0030', active: true }] } });
  doc.on(TransactWriteCommand).callsFake(() => {
    // What the transaction wrote, as the next read sees it.
    stored = { ...stored, revision: (stored.revision ?? 0) + 1 };
    return {};
  });
  sfnMock.on(SendTaskSuccessCommand).resolves({});
});

describe('changeActivitySchedule', () => {
  it('writes the change, its event, its change item and the invitations in one transaction', async () => {
    const result = await changeActivitySchedule(deps, {
      activityId: ID,
      body: {
        startsAt: '2020-08-19T01:00:00.000Z',
        endsAt: '2020-08-19T04:00:00.000Z',
        addDeputyIds: ['dep-0030'],
        removeDeputyIds: ['dep-0041'],
      },
      caller: organiser,
    });
    expect(result).toMatchObject({
      activity: { revision: 1, invitedCount: 2 },
      changed: ['startsAt', 'endsAt'],
      added: ['dep-0030'],
      removed: ['dep-0041'],
    });
    const items = doc.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    const update = items.find((i) => i.Update)!.Update!;
    expect(update.ConditionExpression).toMatch(/#auditSeq = :prevSeq AND/);
    expect(Object.values(update.ExpressionAttributeValues!)).toEqual(
      expect.arrayContaining([
        '2020-08-19T01:00:00.000Z',
        1,
        keys.activityListing('INVITATIONS_SENT', '2020-08-19T01:00:00.000Z', ID).listSk,
      ]),
    );
    const puts = items.flatMap((i) => (i.Put ? [i.Put.Item!] : []));
    expect(puts.map((p) => p.sk ?? p.entity)).toEqual(
      expect.arrayContaining(['CHANGE#00000001', 'INVITATION#dep-0030']),
    );
    expect(puts.find((p) => p.action === 'ACTIVITY_CHANGED')).toMatchObject({
      actor: 'org-1',
      after: { revision: 1, addedDeputyIds: ['dep-0030'], removedDeputyIds: ['dep-0041'] },
    });
    expect(items.find((i) => i.Delete)!.Delete!.Key).toEqual(keys.invitation(ID, 'dep-0041'));
    // The wait planned from revision 0 is ended so the workflow plans from revision 1.
    expect(sfnMock.commandCalls(SendTaskSuccessCommand)[0]!.args[0].input).toEqual({
      taskToken: 'token-1',
      output: JSON.stringify({ rescheduled: 1 }),
    });
  });

  it('leaves a wait already planned from the current revision alone', async () => {
    stored = activity({
      revision: 2,
      pendingTask: { phase: 'START', token: 't', since: 'x', revision: 2 },
    });
    const result = await changeActivitySchedule(deps, {
      activityId: ID,
      body: { location: '文冲街道文冲村' },
      caller: organiser,
    });
    expect(result.changed).toEqual([]);
    expect(doc.commandCalls(TransactWriteCommand)).toHaveLength(0);
    expect(sfnMock.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
  });

  it('refuses a change after the start or while invitations go out, and writes nothing', async () => {
    const refused = [
      ...(['CHECK_IN_OPEN', 'SCHEDULED', 'CANCELLED'] as const).map((status) =>
        activity({ status }),
      ),
      activity({ startsAt: '2020-08-09T00:00:00.000Z' }),
    ];
    for (const item of refused) {
      stored = item;
      await expect(
        changeActivitySchedule(deps, {
          activityId: ID,
          body: { location: '别处' },
          caller: organiser,
        }),
      ).rejects.toMatchObject({ name: 'ConflictError' });
    }
    expect(doc.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('hides the activity from an organiser of another street', async () => {
    await expect(
      changeActivitySchedule(deps, {
        activityId: ID,
        body: { location: '别处' },
        caller: { ...organiser, street: 'HUANGPU' },
      }),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
  });
});
