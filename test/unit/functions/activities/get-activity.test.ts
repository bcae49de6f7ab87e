// unit test: SDK mocked with aws-sdk-client-mock
import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { BatchGetCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { mockAws } from '../../../support/aws.js';
import { invitationItem } from '../../../support/items.js';
import { invitationListSchema } from '../../../../functions/activities/answers.js';
import { httpEvent, lambdaContext, setTestEnv } from '../helpers.js';

setTestEnv();

const { handler } = await import('../../../../functions/activities/get-activity.js');

const { doc, sfn } = mockAws('doc', 'sfn');
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

const inspectionItem = {
  ...activityItem,
  title: '交叉检查',
  type: 'CROSS_INSPECTION',
  status: 'CHECK_IN_OPEN',
};

const invitation = (deputyId: string, fields: Record<string, unknown> = {}) =>
  invitationItem(ID, deputyId, {
    invitedAt: '2030-07-01T00:00:00.000Z',
    emailMessageId: 'ses-message-id',
    pageLink: { linkId: 'LINK-ID-SECRET', expiresAt: 1 },
    ...fields,
  });

const invitations = [
  invitation('dep-0001', {
    response: 'ACCEPTED',
    respondedAt: '2030-07-02T01:00:00.000Z',
    responseNote: '准时到',
    checkedInAt: '2030-07-10T01:05:00.000Z',
    checkInMethod: 'QR',
  }),
  invitation('dep-0002', {
    response: 'DECLINED',
    respondedAt: '2030-07-03T01:00:00.000Z',
  }),
  invitation('dep-0003', {
    checkedInAt: '2030-07-10T08:00:00.000Z',
    checkInMethod: 'MAKE_UP',
    makeUpReason: '手机没电',
    checkedInBy: 'org-sub',
  }),
  invitation('dep-gone'),
];

const deputies = [
  {
    id: 'dep-0001',
    name: '陈代表',
    email: 'chen@example.org',
    phone: '13800000000',
    seats: [
      { level: 'DISTRICT', body: '区人大' },
      { level: 'MUNICIPAL', body: '市人大' },
    ],
  },
  { id: 'dep-0002', name: '李代表', seats: [{ level: 'TOWN', body: '镇人大' }] },
  {
    id: 'dep-0003',
    name: '王代表',
    seats: [{ level: 'DISTRICT', body: '外区人大' }],
    guest: { district: 'BAIYUN' },
  },
];

const list = async (claims: Record<string, unknown>, activityId = ID) => {
  const event = httpEvent({
    method: 'GET',
    path: `/activities/${activityId}/invitations`,
    pathParameters: { activityId },
    claims,
  });
  event.routeKey = 'GET /activities/{activityId}/invitations';
  const result = await handler(event as never, lambdaContext());
  return { statusCode: result.statusCode, json: JSON.parse(result.body ?? 'null') };
};

const districtOrganiser = {
  sub: 'o',
  'cognito:groups': '[organiser]',
  'custom:street': 'DISTRICT',
};

// GET /activities/{activityId}/invitations: the same function, its own fixtures.
describe('invitations', () => {
  // After the outer beforeEach (env set, mocks reset): this activity and its invitations.
  beforeEach(() => {
    doc
      .on(GetCommand)
      .callsFake((input) => (input.Key.sk === 'ACTIVITY' ? { Item: inspectionItem } : {}));
    doc.on(QueryCommand).resolves({ Items: invitations });
    // Answer with what the projection asks for, as DynamoDB does.
    doc.on(BatchGetCommand).callsFake((input) => {
      const [table, request] = Object.entries(input.RequestItems as Record<string, never>)[0] as [
        string,
        { Keys: { pk: string }[]; ExpressionAttributeNames: Record<string, string> },
      ];
      const wanted = Object.values(request.ExpressionAttributeNames);
      const ids = request.Keys.map((key) => key.pk.replace(/^DEPUTY#/, ''));
      return {
        Responses: {
          [table]: deputies
            .filter((deputy) => ids.includes(deputy.id))
            .map((deputy) =>
              Object.fromEntries(Object.entries(deputy).filter(([name]) => wanted.includes(name))),
            ),
        },
      };
    });
  });

  describe('GET /activities/{activityId}/invitations', () => {
    it('shows each deputy with levels, answer and check-in, and nothing personal or secret', async () => {
      const { statusCode, json } = await list(districtOrganiser);
      expect(statusCode).toBe(200);
      expect(invitationListSchema.safeParse(json).success).toBe(true);
      expect(json).toEqual({
        activityId: ID,
        items: [
          {
            deputyId: 'dep-0001',
            name: '陈代表',
            levels: ['DISTRICT', 'MUNICIPAL'],
            guest: false,
            answer: { response: 'ACCEPTED', note: '准时到', at: '2030-07-02T01:00:00.000Z' },
            checkIn: { method: 'QR', at: '2030-07-10T01:05:00.000Z' },
          },
          {
            deputyId: 'dep-0002',
            name: '李代表',
            levels: ['TOWN'],
            guest: false,
            answer: { response: 'DECLINED', note: null, at: '2030-07-03T01:00:00.000Z' },
            checkIn: null,
          },
          {
            deputyId: 'dep-0003',
            name: '王代表',
            levels: ['DISTRICT'],
            guest: true,
            answer: null,
            checkIn: { method: 'MAKE_UP', at: '2030-07-10T08:00:00.000Z' },
          },
          {
            deputyId: 'dep-gone',
            name: null,
            levels: [],
            guest: false,
            answer: null,
            checkIn: null,
          },
        ],
      });
      const text = JSON.stringify(json);
      for (const secret of [
        'LINK-ID-SECRET',
        'chen@example.org',
        '13800000000',
        'ses-message-id',
      ]) {
        expect(text).not.toContain(secret);
      }
    });

    it('never asks DynamoDB for contact data', async () => {
      await list(districtOrganiser);
      const asked = doc
        .commandCalls(BatchGetCommand)
        .flatMap((call) =>
          Object.values(call.args[0].input.RequestItems ?? {}).flatMap((request) =>
            Object.values(request.ExpressionAttributeNames ?? {}),
          ),
        );
      expect(asked).toContain('name');
      expect(asked).not.toContain('email');
      expect(asked).not.toContain('phone');
    });

    it('lets auditors and the street organiser read, and answers 404 to another street', async () => {
      expect((await list({ sub: 'a', 'cognito:groups': '[auditor]' })).statusCode).toBe(200);
      const street = { sub: 'o', 'cognito:groups': '[organiser]' };
      expect((await list({ ...street, 'custom:street': 'WENCHONG' })).statusCode).toBe(200);
      const other = await list({ ...street, 'custom:street': 'HUANGPU' });
      expect(other.statusCode).toBe(404);
      expect(other.json.items).toBeUndefined();
    });

    it('refuses deputies (403) and answers 404 for an unknown activity', async () => {
      expect((await list({ sub: 'dep-0001', 'cognito:groups': '[deputy]' })).statusCode).toBe(403);
      doc.on(GetCommand).resolves({});
      expect((await list(districtOrganiser)).statusCode).toBe(404);
      expect(doc.commandCalls(QueryCommand)).toHaveLength(0);
    });

    it('answers 422 for a malformed activity id', async () => {
      expect((await list(districtOrganiser, 'not an id')).statusCode).toBe(422);
    });
  });
});
