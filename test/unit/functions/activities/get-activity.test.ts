// unit test: SDK mocked with aws-sdk-client-mock
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { httpEvent, lambdaContext, setTestEnv } from '../helpers.js';

await vi.hoisted(async () => {
  const { setTestEnv } = await import('../../../support/env');
  setTestEnv();
});

const { handler } = await import('../../../../functions/activities/get-activity.js');

const doc = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);
const ID = '01J5ZQ8V6W7X8Y9Z0ABCDEFGHJ';

const activityItem = {
  pk: `ACTIVITY#${ID}`,
  sk: 'ACTIVITY',
  id: ID,
  title: '代表接待日',
  type: 'RECEPTION_DAY',
  street: 'WENCHONG',
  location: '文冲人大代表联络站',
  startsAt: '2030-07-10T09:00:00+08:00',
  endsAt: '2030-07-10T12:00:00+08:00',
  language: 'zh',
  organiserId: 'org',
  status: 'INVITATIONS_SENT',
  phase: 'START',
  pendingTask: { phase: 'START', token: 'SECRET-TOKEN', since: '2030-07-01T00:00:00.000Z' },
  invitedCount: 6,
  emailsSent: 6,
  createdAt: 'x',
  updatedAt: 'y',
  auditSeq: 3,
  auditHash: 'h',
};

const get = async (claims: Record<string, unknown> | null, activityId = ID) => {
  const event = httpEvent({
    method: 'GET',
    path: `/activities/${activityId}`,
    pathParameters: { activityId },
    claims,
  });
  // The function serves two routes: API Gateway names the matched one.
  event.routeKey = 'GET /activities/{activityId}';
  const result = await handler(event as never, lambdaContext());
  return { statusCode: result.statusCode, json: JSON.parse(result.body ?? 'null') };
};

beforeEach(() => {
  setTestEnv();
  doc.reset();
  sfn.reset();
  doc
    .on(GetCommand)
    .callsFake((input) =>
      input.Key.sk === 'ACTIVITY'
        ? { Item: activityItem }
        : input.Key.sk === 'INVITATION#dep-0001'
          ? { Item: { ...input.Key } }
          : {},
    );
  sfn.on(DescribeExecutionCommand).resolves({
    status: 'RUNNING',
    startDate: new Date('2030-07-01T00:00:00Z'),
  });
});

describe('GET /activities/{activityId}', () => {
  it('shows status, counts and workflow state to an organiser, never the task token', async () => {
    const { statusCode, json } = await get({
      sub: 'o',
      'cognito:groups': '[organiser]',
      'custom:street': 'DISTRICT',
    });
    expect(statusCode).toBe(200);
    expect(json.activity).toMatchObject({
      status: 'INVITATIONS_SENT',
      phase: 'START',
      counts: { invited: 6, emailsSent: 6 },
    });
    expect(json.workflow).toEqual({
      status: 'RUNNING',
      executionArn: `arn:aws:states:ap-east-1:000000000000:execution:ActivityWorkflowStateMachine:${ID}`,
      startDate: '2030-07-01T00:00:00.000Z',
      stopDate: null,
    });
    expect(JSON.stringify(json)).not.toContain('SECRET-TOKEN');
  });

  it('shows workflow null when there is no execution', async () => {
    sfn
      .on(DescribeExecutionCommand)
      .rejects(Object.assign(new Error('no'), { name: 'ExecutionDoesNotExist' }));
    expect((await get({ sub: 'a', 'cognito:groups': '[auditor]' })).json.workflow).toBeNull();
  });

  it('lets an invited deputy read, and answers 404 to any other deputy', async () => {
    expect((await get({ sub: 'dep-0001', 'cognito:groups': '[deputy]' })).statusCode).toBe(200);
    expect((await get({ sub: 'dep-0002', 'cognito:groups': '[deputy]' })).statusCode).toBe(404);
  });

  it('counts emails live while invitations go out', async () => {
    doc
      .on(GetCommand)
      .resolves({ Item: { ...activityItem, status: 'SCHEDULED', emailsSent: undefined } });
    doc.on(QueryCommand).resolves({ Count: 4 });
    expect(
      (await get({ sub: 'o', 'cognito:groups': '[organiser]', 'custom:street': 'DISTRICT' })).json
        .activity.counts,
    ).toEqual({
      invited: 6,
      emailsSent: 4,
    });
  });

  it('counts attendance by level live while check-in is open, for organisers only', async () => {
    doc.on(GetCommand).resolves({
      Item: { ...activityItem, status: 'CHECK_IN_OPEN', phase: 'ATTENDANCE' },
    });
    doc.on(QueryCommand).resolves({
      Items: [
        { deputyId: 'dep-0001', response: 'ACCEPTED', checkedInAt: '2030-07-10T01:05:00.000Z' },
        { deputyId: 'dep-0002', response: 'ACCEPTED' },
        { deputyId: 'dep-0003', response: 'DECLINED' },
      ],
    });
    doc.on(BatchGetCommand).resolves({
      Responses: {
        [process.env.TABLE_NAME!]: [
          {
            id: 'dep-0001',
            seats: [
              { level: 'MUNICIPAL', body: '市' },
              { level: 'DISTRICT', body: '区' },
            ],
          },
        ],
      },
    });
    const attendance = (
      await get({ sub: 'o', 'cognito:groups': '[organiser]', 'custom:street': 'DISTRICT' })
    ).json.activity.attendance;
    expect(attendance).toMatchObject({
      invited: 3,
      accepted: 2,
      declined: 1,
      attended: 1,
      personTimesByLevel: { MUNICIPAL: 1, DISTRICT: 1, TOWN: 0 },
      personTimesTotal: 1,
    });
    // An invited deputy reads the activity without anyone else's attendance.
    doc.on(GetCommand).resolves({
      Item: { ...activityItem, status: 'CHECK_IN_OPEN', deputyId: 'dep-0001' },
    });
    expect(
      (await get({ sub: 'dep-0001', 'cognito:groups': '[deputy]' })).json.activity.attendance,
    ).toBeUndefined();
  });

  it('answers 404, 422 and 401 as it should', async () => {
    doc.on(GetCommand).resolves({});
    expect(
      (await get({ sub: 'o', 'cognito:groups': '[organiser]', 'custom:street': 'DISTRICT' }))
        .statusCode,
    ).toBe(404);
    expect(
      (
        await get(
          { sub: 'o', 'cognito:groups': '[organiser]', 'custom:street': 'DISTRICT' },
          'bad id',
        )
      ).statusCode,
    ).toBe(422);
    expect((await get(null)).statusCode).toBe(401);
  });
});
