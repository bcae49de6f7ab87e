// The step that sets a final status also writes the audit listing entries, in its transaction:
// RecordFailure (FAILED) here; COMPLETED and CANCELLED run on the local cloud
// (test/integration/audit-trail.test.ts).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, expect, it } from 'vitest';
import { recordFailure } from '../../../../functions/activity-workflow/domain';
import { GENESIS_HASH } from '../../../../functions/shared/data/audit';
import { keys } from '../../../../functions/shared/data/keys';

const ID = '01J5ZQ8V6W7X8Y9Z0ABCDEFGHJ';
const doc = mockClient(DynamoDBDocumentClient);
afterEach(() => doc.reset());

it('RecordFailure puts one FAILED listing entry per dimension with the status change', async () => {
  doc.on(GetCommand).resolves({
    Item: {
      ...keys.activity(ID),
      entity: 'ACTIVITY',
      id: ID,
      title: '专题调研',
      type: 'THEMATIC_RESEARCH',
      street: 'WENCHONG',
      location: '文冲',
      startsAt: '2026-07-01T01:00:00.000Z',
      endsAt: '2026-07-01T03:00:00.000Z',
      language: 'zh',
      organiserId: 'org-1',
      status: 'FINDINGS_OPEN',
      phase: 'FINDINGS',
      invitedCount: 2,
      createdAt: 'x',
      updatedAt: 'x',
      auditSeq: 3,
      auditHash: GENESIS_HASH,
    },
  });
  doc.on(TransactWriteCommand).resolves({});
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'cn-north-1' }));
  await recordFailure(
    { db, tableName: 'T', now: () => new Date('2026-07-31T23:30:00.000Z') } as never,
    { activityId: ID, error: { Error: 'States.TaskFailed', Cause: 'boom' } },
  );
  const items = doc.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
  const entries = items.flatMap((item) =>
    item.Put?.Item?.entity === 'AUDIT_LISTING' ? [item.Put.Item] : [],
  );
  expect(entries.map((e) => e.listPk)).toEqual([
    'ENDED#FAILED#2026-07',
    'ENDED#FAILED#2026-07#STREET#WENCHONG',
    'ENDED#FAILED#2026-07#TYPE#THEMATIC_RESEARCH',
    'ENDED#FAILED#2026-07#ORGANISER#org-1',
  ]);
  expect(entries[0]).toMatchObject({
    pk: `ACTIVITY#${ID}`,
    sk: 'AUDIT_LISTING#ALL',
    listSk: `2026-07-31T23:30:00.000Z#${ID}`,
    status: 'FAILED',
    reason: 'States.TaskFailed',
  });
});
