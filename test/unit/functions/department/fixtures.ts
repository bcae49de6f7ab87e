// unit test helper: an in-memory table (the attendance fake plus Put and the calls it saw), a
// mocked Step Functions client, and a referral as the referral workflow leaves it waiting.
import { SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import {
  DeleteCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
  BatchWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { keys } from '../../../../functions/shared/data/keys';
import { beforeEach, expect } from 'vitest';
import type { AuditEvent } from '../../../../functions/shared/data/audit';
import { InvalidLinkError } from '../../../../functions/shared/data/links';
import { fakeTable } from '../../../support/dynamodb-fake';
import { referralItem } from '../../../support/items';
import { httpEvent, lambdaContext, setTestEnv, TABLE } from '../helpers';

export const SIGNING_KEY = 'unit-test-signing-key-0123456789abcdef';
export const ACTIVITY_ID = '01JCZ8Q0000000000000000001';
export const REFERRAL_ID = '01JCZ8Q000AAAAAAAAAAAAAAAA';
export const OTHER_REFERRAL_ID = '01JCZ8Q000BBBBBBBBBBBBBBBB';
export const TASK_TOKEN = 'task-token-department-round-1';
export const REFERRAL_STATE_MACHINE_ARN =
  'arn:aws:states:ap-east-1:000000000000:stateMachine:ReferralWorkflowStateMachine';

export const XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>';

/** Environment of the page and API handlers (set before importing them). */
export const setPageEnv = () =>
  setTestEnv({
    LINK_SIGNING_SECRET_ARN: 'arn:aws:secretsmanager:ap-east-1:000000000000:secret:LinkKey',
    REFERRAL_STATE_MACHINE_ARN:
      'arn:aws:states:ap-east-1:000000000000:stateMachine:ReferralWorkflowStateMachine',
  });

export const referralTable = () => {
  const table = fakeTable();
  const baseInstall = table.install;
  const install = () => {
    baseInstall();
    table.doc.on(PutCommand).callsFake((input) => {
      const item = input.Item as Record<string, unknown>;
      if (
        input.ConditionExpression === 'attribute_not_exists(pk)' &&
        table.get(String(item.pk), String(item.sk))
      ) {
        throw Object.assign(new Error('failed'), { name: 'ConditionalCheckFailedException' });
      }
      table.put(item);
      return {};
    });
  };
  /** Every call that would change anything, on the table or the workflow. */
  const writes = (sfn: { calls: () => unknown[] }) =>
    table.doc.commandCalls(PutCommand).length +
    table.doc.commandCalls(UpdateCommand).length +
    table.doc.commandCalls(DeleteCommand).length +
    table.doc.commandCalls(BatchWriteCommand).length +
    table.doc.commandCalls(TransactWriteCommand).length +
    sfn.calls().length;
  return { ...table, install, writes };
};

export const sfnMock = () => {
  const sfn = mockClient(SFNClient);
  const install = () => {
    sfn.reset();
    sfn.on(SendTaskSuccessCommand).resolves({});
  };
  const outputs = () =>
    sfn.commandCalls(SendTaskSuccessCommand).map((call) => ({
      token: call.args[0].input.taskToken,
      output: JSON.parse(call.args[0].input.output ?? '{}') as Record<string, unknown>,
    }));
  return { sfn, install, outputs };
};

export const seedReferral = (
  table: ReturnType<typeof referralTable>,
  overrides: Record<string, unknown> = {},
) => {
  table.put({
    ...keys.activity(ACTIVITY_ID),
    entity: 'ACTIVITY',
    id: ACTIVITY_ID,
    title: `黄埔区代表进社区 ${XSS}`,
    street: 'WENCHONG',
  });
  table.put({
    ...keys.department('dept-water'),
    entity: 'DEPARTMENT',
    id: 'dept-water',
    name: `区水务局 ${XSS}`,
    emails: ['water@example.org'],
    active: true,
  });
  table.put({
    ...keys.department('dept-housing'),
    entity: 'DEPARTMENT',
    id: 'dept-housing',
    name: '区住房和城乡建设局',
    emails: ['housing@example.org'],
    active: true,
  });
  table.put({
    ...keys.committee('wenchong'),
    entity: 'COMMITTEE',
    id: 'wenchong',
    name: '文冲街道人大工委',
    emails: ['wc@example.org'],
    active: true,
  });
  table.put({
    ...keys.finding(ACTIVITY_ID, 'F1'),
    entity: 'FINDING',
    id: 'F1',
    activityId: ACTIVITY_ID,
    kind: 'PROBLEM',
    category: 'DRAINAGE',
    description: `文冲村雨后积水严重 ${XSS}`,
    place: `文冲村口 ${XSS}`,
    raisedBy: {
      deputyId: 'dep-0001',
      resident: { name: '居民王某某', contact: '13800000000', consentToContact: true },
    },
  });
  table.put(
    referralItem(REFERRAL_ID, ACTIVITY_ID, {
      committeeId: 'wenchong',
      dueDate: '2026-12-31',
      status: 'SENT',
      round: 1,
      createdAt: '2026-11-01T00:00:00.000Z',
      updatedAt: '2026-11-01T00:00:00.000Z',
      dispatchedAt: '2026-11-01T00:00:00.000Z',
      pendingTask: {
        phase: 'DEPARTMENT',
        token: TASK_TOKEN,
        since: '2026-11-01T00:00:01.000Z',
        round: 1,
      },
      auditSeq: 0,
      ...overrides,
    }),
  );
};

/**
 * The referral tests' in-memory table and workflow mock, the referral seeded afresh before each
 * test; `referral()` and `auditEvents()` read back what the test changed.
 */
export function seededReferral() {
  const table = referralTable();
  const workflow = sfnMock();
  beforeEach(() => {
    table.items.clear();
    table.install();
    workflow.install();
    seedReferral(table);
  });
  const referral = () => table.get(`REFERRAL#${REFERRAL_ID}`, 'REFERRAL')!;
  const auditEvents = () =>
    table
      .list('AUDIT#')
      .filter((item) => item.pk === `REFERRAL#${REFERRAL_ID}`) as unknown as AuditEvent[];
  return { table, workflow, referral, auditEvents };
}

export const pageEvent = (
  method: 'GET' | 'POST',
  page: 'respond' | 'rate',
  token: string,
  form?: Record<string, string>,
) =>
  httpEvent({
    method,
    path: `/${page}/${token}`,
    pathParameters: { token },
    claims: null,
    ...(form
      ? {
          rawBody: new URLSearchParams(form).toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }
      : {}),
  });

export { lambdaContext, TABLE };

/** When the link tests start: their clock is moved from here. */
export const LINK_TEST_NOW = new Date('2026-11-29T00:00:00.000Z');

/**
 * An in-memory referral table and a link store on it whose clock the test sets (`clock.now = …`;
 * `clock.reset()` in a beforeEach puts it back at LINK_TEST_NOW, and clears and installs the table).
 */
export function linkTestStore() {
  const table = referralTable();
  const clock = {
    now: LINK_TEST_NOW,
    reset() {
      table.items.clear();
      table.install();
      clock.now = LINK_TEST_NOW;
    },
  };
  const store = () => ({ db: table.doc as never, tableName: TABLE, now: () => clock.now });
  return { table, clock, store };
}

/** The InvalidLinkError `promise` is refused with; fails the test if it is not refused. */
export async function linkRefusal(promise: Promise<unknown>): Promise<InvalidLinkError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidLinkError);
    return error as InvalidLinkError;
  }
  throw new Error('expected the link to be refused');
}
