// Integration: a burst of concurrent invitation responses on the local cloud. Each answer writes
// its own unchained audit record (no contention on the activity's chain head, so no 503), and
// OpenCheckIn seals them all into the activity's chain with one event.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  sealOfInvitationResponseRecords,
  type InvitationResponseAuditRecord,
} from '../../functions/attendance/statistics';
import { verifyChain } from '../../functions/shared/data/audit';
import { keys, toQueryParams } from '../../functions/shared/data/keys';
import { api, deputyApi } from './support/api';
import {
  activityAtStep,
  activityItem,
  auditEvents,
  openCheckIn,
  rawItem,
} from './support/activity';
import { ddbDoc } from './support/aws';
import { tableName } from './support/cloud';

const organiser = api('organiser');

// 30 active demo deputies (infra/local/seed.ts: dep-0001 … dep-0350, dep-0350 inactive).
const DEPUTIES = Array.from({ length: 30 }, (_, i) => `dep-${String(101 + i).padStart(4, '0')}`);
const answerOf = (index: number) => (index % 3 === 0 ? 'DECLINED' : 'ACCEPTED');

const responseRecords = async (activityId: string) => {
  const { Items } = await ddbDoc().send(
    new QueryCommand({
      TableName: tableName(),
      ...toQueryParams(keys.invitationResponseAuditRecordsOfActivity(activityId)),
      ConsistentRead: true,
    }),
  );
  return (Items ?? []) as InvitationResponseAuditRecord[];
};

describe('invitation responses on the local cloud', () => {
  it('30 deputies answer at once: all 200, then OpenCheckIn seals them into the chain', async () => {
    const id = await activityAtStep(organiser, 'START', { invitedDeputyIds: DEPUTIES });

    const answers = await Promise.all(
      DEPUTIES.map((deputyId, index) =>
        deputyApi(deputyId).post(`/activities/${id}/invitation/response`, {
          response: answerOf(index),
          ...(index % 5 === 0 ? { note: `代表${deputyId}的备注` } : {}),
        }),
      ),
    );
    expect(answers.map((res) => res.status)).toEqual(DEPUTIES.map(() => 200));

    for (const [index, deputyId] of DEPUTIES.entries()) {
      expect(await rawItem(keys.invitation(id, deputyId))).toMatchObject({
        response: answerOf(index),
        respondedAt: expect.any(String),
      });
    }
    const records = await responseRecords(id);
    expect(records).toHaveLength(30);
    // The notes stay on the invitations.
    expect(JSON.stringify(records)).not.toContain('备注');

    await openCheckIn(organiser, id);

    const events = await auditEvents(id);
    expect(verifyChain(events)).toMatchObject({ ok: true });
    const seals = events.filter((event) => event.action === 'INVITATION_RESPONSES_SEALED');
    expect(seals).toHaveLength(1);
    const seal = sealOfInvitationResponseRecords(records);
    expect(seal.count).toBe(30);
    expect((seals[0]!.after as { seal: unknown }).seal).toEqual(seal);
    expect(await activityItem(id)).toMatchObject({
      status: 'CHECK_IN_OPEN',
      invitationResponsesSeal: { count: 30, digest: seal.digest },
    });

    // After check-in opened an answer is refused and nothing is written.
    const late = await deputyApi(DEPUTIES[1]!).post(`/activities/${id}/invitation/response`, {
      response: 'DECLINED',
    });
    expect(late.status).toBe(409);
    expect(await responseRecords(id)).toHaveLength(30);
  });
});
