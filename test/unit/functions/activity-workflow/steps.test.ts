// unit test: SDK mocked with aws-sdk-client-mock
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  awaitPhase,
  openCheckIn,
  recordFailure,
} from '../../../../functions/activity-workflow/domain.js';
import type { ActivityItem } from '../../../../functions/shared/data/items.js';
import { ConflictError } from '../../../../functions/shared/errors.js';
import { failureForOrganisers } from '../../../../functions/shared/workflow/failure-cause.js';
import { documentClient, mockAws } from '../../../support/aws.js';
import { TABLE } from '../helpers.js';

const { doc } = mockAws('doc');
const db = documentClient();
const NOW = new Date('2020-08-18T01:00:00.000Z');
const deps = { db, tableName: TABLE, now: () => NOW };
const ID = '01J5ZQ8V6W7X8Y9Z0ABCDEFGHJ';

let current: ActivityItem | undefined;

const activity = (overrides: Partial<ActivityItem> = {}): ActivityItem =>
  ({
    pk: `ACTIVITY#${ID}`,
    sk: 'ACTIVITY',
    id: ID,
    status: 'INVITATIONS_SENT',
    phase: 'INVITATIONS',
    startsAt: '2020-08-18T09:00:00+08:00',
    auditSeq: 2,
    auditHash: 'b'.repeat(64),
    ...overrides,
  }) as ActivityItem;

const transactItems = (index = 0) =>
  doc.commandCalls(TransactWriteCommand)[index]!.args[0].input.TransactItems!;

beforeEach(() => {
  current = activity();
  doc.on(GetCommand).callsFake(() => ({ Item: current }));
  doc.on(TransactWriteCommand).resolves({});
});

describe('awaitPhase', () => {
  it('stores the task token server-side with an audit event that omits it', async () => {
    expect(await awaitPhase(deps, { activityId: ID, phase: 'START', taskToken: 'tok-1' })).toEqual(
      {},
    );
    const [update, audit] = transactItems();
    expect(update!.Update!.ExpressionAttributeValues).toMatchObject({
      ':s0': {
        phase: 'START',
        token: 'tok-1',
        since: NOW.toISOString(),
        deadline: '2020-08-18T09:00:00+08:00',
      },
      ':s1': 'START',
    });
    expect(audit!.Put!.Item).toMatchObject({ action: 'AWAITING_START', sk: 'AUDIT#00000003' });
    expect(JSON.stringify(audit)).not.toContain('tok-1');
  });

  it('is idempotent for the same token', async () => {
    current = activity({
      pendingTask: { phase: 'START', token: 'tok-1', since: NOW.toISOString() },
    });
    await awaitPhase(deps, { activityId: ID, phase: 'START', taskToken: 'tok-1' });
    expect(doc.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('retries after losing a race on the audit stream head', async () => {
    doc
      .on(TransactWriteCommand)
      .rejectsOnce(
        Object.assign(new Error('cancelled'), {
          name: 'TransactionCanceledException',
          CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
        }),
      )
      .resolves({});
    await awaitPhase(deps, { activityId: ID, phase: 'START', taskToken: 'tok-2' });
    expect(doc.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });
});

describe('openCheckIn', () => {
  beforeEach(() => {
    doc.on(QueryCommand).resolves({ Items: [] });
    // The first transaction opens check-in; the stub activity follows it.
    doc.on(TransactWriteCommand).callsFake(() => {
      if (current)
        current = { ...current, status: 'CHECK_IN_OPEN', auditSeq: current.auditSeq + 1 };
      return {};
    });
  });

  it('opens check-in, clears the pending task, writes the audit event, then seals', async () => {
    current = activity({ pendingTask: { phase: 'START', token: 't', since: 'x' } });
    expect(await openCheckIn(deps, ID)).toEqual({
      activityId: ID,
      secondsUntilAttendanceDeadline: 1,
    });
    const [update, audit] = transactItems();
    expect(update!.Update!.UpdateExpression).toMatch(/REMOVE #r0, #r1$/);
    expect(update!.Update!.ExpressionAttributeNames).toMatchObject({ '#r0': 'pendingTask' });
    expect(update!.Update!.ExpressionAttributeValues).toMatchObject({ ':s0': 'CHECK_IN_OPEN' });
    expect(audit!.Put!.Item).toMatchObject({ action: 'CHECK_IN_OPENED' });
    expect(transactItems(1)[1]!.Put!.Item).toMatchObject({
      action: 'INVITATION_RESPONSES_SEALED',
      after: { seal: { count: 0 } },
    });
  });

  it('changes nothing on a retry after success', async () => {
    current = activity({
      status: 'CHECK_IN_OPEN',
      phase: 'CHECK_IN',
      invitationResponsesSeal: { count: 0, digest: 'd', sealedAt: 'x' },
    } as Partial<ActivityItem>);
    expect(await openCheckIn(deps, ID)).toEqual({
      activityId: ID,
      secondsUntilAttendanceDeadline: 1,
    });
    expect(doc.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('only seals on a retry after check-in opened but before the seal', async () => {
    current = activity({ status: 'CHECK_IN_OPEN', phase: 'CHECK_IN' });
    await openCheckIn(deps, ID);
    expect(doc.commandCalls(TransactWriteCommand)).toHaveLength(1);
    expect(transactItems()[1]!.Put!.Item).toMatchObject({ action: 'INVITATION_RESPONSES_SEALED' });
  });

  it('refuses a cancelled activity', async () => {
    current = activity({ status: 'CANCELLED' });
    await expect(openCheckIn(deps, ID)).rejects.toBeInstanceOf(ConflictError);
  });
});

/** Step Functions' Cause of a Lambda error: the message, and the trace with server paths. */
const LAMBDA_CAUSE = JSON.stringify({
  errorType: 'URIError',
  errorMessage: 'URI malformed',
  trace: [
    'URIError: URI malformed',
    '    at encodeURIComponent (<anonymous>)',
    '    at buildQuery (/var/task/node_modules/@smithy/core/dist-cjs/index.js:812:21)',
    '    at sendInvitation (file:///var/task/index.mjs:4121:17)',
  ],
});

describe('recordFailure', () => {
  it('marks the activity FAILED with a bounded cause', async () => {
    const input = {
      activityId: ID,
      error: { Error: 'States.TaskFailed', Cause: 'x'.repeat(5000) },
    };
    await recordFailure(deps, input);
    const [update, audit] = transactItems();
    const failure = update!.Update!.ExpressionAttributeValues![':s1'];
    expect(update!.Update!.ExpressionAttributeValues![':s0']).toBe('FAILED');
    expect(failure).toMatchObject({ stage: 'WORKFLOW', error: 'States.TaskFailed' });
    expect(failure.cause.length).toBeLessThan(700);
    expect(audit!.Put!.Item).toMatchObject({ action: 'WORKFLOW_FAILED' });
  });

  it('keeps the stack trace out of the failure and its audit event, with the request id of the full one (issue 12 item 4)', async () => {
    await recordFailure(deps, {
      activityId: ID,
      error: { Error: 'URIError', Cause: LAMBDA_CAUSE },
      requestId: 'req-7f3a',
    });
    const [update, audit] = transactItems();
    const failure = update!.Update!.ExpressionAttributeValues![':s1'];
    expect(failure).toMatchObject({
      error: 'URIError',
      cause: expect.stringMatching(/^URI malformed — An unexpected error; tell the operators/),
      requestId: 'req-7f3a',
    });
    for (const text of [JSON.stringify(failure), JSON.stringify(audit!.Put!.Item)]) {
      expect(text).not.toMatch(/\/var\/task|node_modules|\bat [\w.<>]+ \(|\.js:\d+/);
    }
  });

  it('records the same failure only once', async () => {
    current = activity({
      status: 'FAILED',
      failure: {
        stage: 'WORKFLOW',
        ...failureForOrganisers({ Error: 'E', Cause: 'C' }),
        at: 'x',
      },
    });
    await recordFailure(deps, { activityId: ID, error: { Error: 'E', Cause: 'C' } });
    expect(doc.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('does not throw for an unknown activity', async () => {
    current = undefined;
    expect(await recordFailure(deps, { activityId: ID, error: { Error: 'E', Cause: '' } })).toEqual(
      {
        activityId: ID,
      },
    );
  });
});
