// Unit (SDK mocked with aws-sdk-client-mock): the step that sets a final status also writes the
// audit listing entries, in its transaction: RecordFailure (FAILED) here, and the redrive that
// takes them away again; COMPLETED and CANCELLED run on the local cloud
// (test/integration/audit-trail.test.ts).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeExecutionCommand, RedriveExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { expect, it } from 'vitest';
import { mockAws } from '../../../support/aws';
import { redriveActivity } from '../../../../functions/activities/redrive';
import { recordFailure } from '../../../../functions/activity-workflow/domain';
import { GENESIS_HASH } from '../../../../functions/shared/data/audit';
import { keys } from '../../../../functions/shared/data/keys';

const ID = '01J5ZQ8V6W7X8Y9Z0ABCDEFGHJ';
const activity = {
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
};
const { doc, sfn: sfnMock } = mockAws('doc', 'sfn');

it('RecordFailure puts one FAILED listing entry per dimension with the status change', async () => {
  doc.on(GetCommand).resolves({
    Item: {
      ...activity,
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

const STATE_MACHINE = 'arn:aws:states:cn-north-1:111122223333:stateMachine:Activity';
const failedActivity = {
  ...activity,
  status: 'FAILED',
  failure: {
    stage: 'WORKFLOW',
    error: 'SimulatedDefect',
    cause: 'x',
    at: '2026-07-31T23:30:00.000Z',
    statusBefore: 'FINDINGS_OPEN',
  },
};
const redriveDeps = () => ({
  db: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'cn-north-1' })),
  sfn: new SFNClient({ region: 'cn-north-1' }),
  tableName: 'T',
  stateMachineArn: STATE_MACHINE,
  now: () => new Date('2026-08-01T02:00:00.000Z'),
});
const allowAll = () => undefined;

it('a redrive puts the activity back as the failed step left it, out of the ended listing', async () => {
  doc.on(GetCommand).resolves({ Item: failedActivity });
  doc.on(TransactWriteCommand).resolves({});
  sfnMock
    .on(DescribeExecutionCommand)
    .resolvesOnce({ status: 'FAILED', redriveCount: 0, redriveStatus: 'REDRIVABLE' })
    .resolves({ status: 'RUNNING', redriveCount: 1 });
  sfnMock.on(RedriveExecutionCommand).resolves({ redriveDate: new Date() });

  const result = await redriveActivity(
    redriveDeps(),
    ID,
    { actor: 'org-1', reason: '已修复' },
    allowAll,
  );
  expect(result).toEqual({
    activityId: ID,
    status: 'FINDINGS_OPEN',
    redriveCount: 1,
    redrivenNow: true,
  });
  const items = doc.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
  const head = items.find((i) => i.Update)!.Update!;
  expect(head.ExpressionAttributeValues).toMatchObject({ ':failed': 'FAILED' });
  expect(JSON.stringify(head)).toContain('FINDINGS_OPEN');
  expect(head.UpdateExpression).toMatch(/ REMOVE #r0$/);
  expect(head.ExpressionAttributeNames).toMatchObject({ '#r0': 'failure' });
  const event = items.find((i) => i.Put?.Item?.action)!.Put!.Item!;
  expect(event).toMatchObject({
    action: 'WORKFLOW_REDRIVEN',
    actor: 'org-1',
    after: { status: 'FINDINGS_OPEN', redriveCount: 1, reason: '已修复' },
  });
  expect(items.flatMap((i) => (i.Delete ? [i.Delete.Key!.sk] : []))).toEqual([
    'AUDIT_LISTING#ALL',
    'AUDIT_LISTING#STREET',
    'AUDIT_LISTING#TYPE',
    'AUDIT_LISTING#ORGANISER',
  ]);
  // Restored before the redrive, so the step finds the activity as it was.
  expect(sfnMock.commandCalls(RedriveExecutionCommand)).toHaveLength(1);
});

it('refuses what cannot be redriven with 409, changing nothing', async () => {
  const cases: [Record<string, unknown>, Record<string, unknown>, RegExp][] = [
    [{ ...activity, status: 'COMPLETED' }, { status: 'SUCCEEDED' }, /COMPLETED/],
    [
      { ...failedActivity, failure: { ...failedActivity.failure, stage: 'SCHEDULING' } },
      { status: 'FAILED' },
      /scheduled/,
    ],
    [
      failedActivity,
      { status: 'FAILED', redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'too old' },
      /too old/,
    ],
    [failedActivity, { status: 'ABORTED' }, /ABORTED/],
  ];
  for (const [item, execution, message] of cases) {
    doc.reset();
    sfnMock.reset();
    doc.on(GetCommand).resolves({ Item: item });
    sfnMock.on(DescribeExecutionCommand).resolves(execution);
    await expect(
      redriveActivity(redriveDeps(), ID, { actor: 'org-1', reason: 'x' }, allowAll),
    ).rejects.toMatchObject({ statusCode: 409, message });
    expect(doc.commandCalls(TransactWriteCommand)).toHaveLength(0);
    expect(sfnMock.commandCalls(RedriveExecutionCommand)).toHaveLength(0);
  }
});
