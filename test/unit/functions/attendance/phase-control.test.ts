// unit test: SDK mocked with aws-sdk-client-mock
import { SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../../functions/shared/data/audit.js';
import { endHumanStep } from '../../../../functions/shared/workflow/phase-control.js';
import { activityItem, ID, NOW, TABLE } from './fixtures.js';
import { fakeTable } from '../../../support/dynamodb-fake';
import { documentClient, mockAws } from '../../../support/aws';

const table = fakeTable();
const { sfn: sfnMock } = mockAws('sfn');
const deps = {
  db: documentClient(),
  sfn: new SFNClient({}),
  tableName: TABLE,
  now: () => NOW,
};
const PK = `ACTIVITY#${ID}`;
const audit = () => table.list('AUDIT#') as unknown as AuditEvent[];

beforeEach(() => {
  table.reset();
  sfnMock.on(SendTaskSuccessCommand).resolves({});
  table.put(
    activityItem({
      status: 'INVITATIONS_SENT',
      phase: 'START',
      pendingTask: { phase: 'START', token: 'TOKEN-1', since: '2030-08-10T00:00:00.000Z' },
    }),
  );
});

describe('endHumanStep', () => {
  it('sends the stored token and records who ended the step', async () => {
    const result = await endHumanStep(deps, { activityId: ID, phase: 'START', actor: 'org-1' });
    expect(result).toEqual({ activityId: ID, phase: 'START', endedAt: NOW.toISOString() });
    expect(sfnMock.commandCalls(SendTaskSuccessCommand)[0]!.args[0].input).toEqual({
      taskToken: 'TOKEN-1',
      output: '{}',
    });
    expect(audit()).toEqual([
      expect.objectContaining({ action: 'START_ENDED_BY_ORGANISER', actor: 'org-1' }),
    ]);
    expect(JSON.stringify(audit())).not.toContain('TOKEN-1');
  });

  it('409 naming the current phase when the activity waits for another step', async () => {
    await expect(
      endHumanStep(deps, { activityId: ID, phase: 'ATTENDANCE', actor: 'org-1' }),
    ).rejects.toMatchObject({
      statusCode: 409,
      message: expect.stringContaining('it is in phase START'),
    });
    expect(sfnMock.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
  });

  it.each(['TaskTimedOut', 'TaskDoesNotExist'])(
    '%s from Step Functions is 409 "already closed", nothing recorded',
    async (name) => {
      sfnMock.on(SendTaskSuccessCommand).rejects(Object.assign(new Error(name), { name }));
      await expect(
        endHumanStep(deps, { activityId: ID, phase: 'START', actor: 'org-1' }),
      ).rejects.toMatchObject({
        statusCode: 409,
        message: expect.stringContaining('already closed'),
      });
      expect(audit()).toHaveLength(0);
      expect(table.get(PK, 'ACTIVITY')!.auditSeq).toBe(4);
    },
  );

  it('404 for a missing activity; the authorize hook may refuse', async () => {
    await expect(
      endHumanStep(deps, { activityId: '01J5ZQ8V6W7X8Y9Z0ABCDEFGHK', phase: 'START', actor: 'o' }),
    ).rejects.toMatchObject({ statusCode: 404 });
    await expect(
      endHumanStep(deps, {
        activityId: ID,
        phase: 'START',
        actor: 'o',
        authorize: () => {
          throw Object.assign(new Error('no'), { statusCode: 404 });
        },
      }),
    ).rejects.toMatchObject({ statusCode: 404 });
    expect(sfnMock.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
  });
});
