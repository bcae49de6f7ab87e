// Chaos (local cloud of its own, real engines): DynamoDB answering 30% of the functions' writes
// (TransactWriteItems, PutItem, UpdateItem, DeleteItem) with the transaction-conflict errors
// AWS answers under contention, over 1,000 API operations: 250 invitation responses, 250
// check-ins, 500 findings. Every acknowledged write must be there exactly once. Figures printed
// (docs/reliability.md, "Faults").
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keys } from '../../functions/shared/data/keys';
import { findingBody, readActivity, waitForPhase } from '../integration/support/activity';
import { api, type ApiResponse } from '../integration/support/api';
import { crowdedActivity, organiser, politely, queryItems, tally, useChaosCloud } from './support';
import { pool } from '../support/load';

const chaos = useChaosCloud();

const anonymous = api(null);

describe('transaction conflicts on 30% of writes over 1,000 operations', () => {
  it('loses no update and duplicates none', async () => {
    const { id, deputies, tokens } = await crowdedActivity(`冲突-${randomUUID().slice(0, 8)}`);
    const as = (i: number) => ({ authorization: `Bearer ${tokens[i]!}` });
    const answers: number[] = [];
    const finals: number[] = [];
    const run = async (send: () => Promise<ApiResponse>) => {
      const r = await politely(send, { attempts: 40 });
      answers.push(...r.answers);
      finals.push(r.final.status);
      return r.final;
    };

    chaos.dynamodbFaults.reset();
    await chaos.dynamodbFaults.configure({ conflictRate: 0.3 });
    // 250 invitation responses: even deputies accept, odd ones decline.
    await pool(
      25,
      deputies.map(
        (_, i) => () =>
          run(() =>
            anonymous.post(
              `/activities/${id}/invitation/response`,
              { response: i % 2 === 0 ? 'ACCEPTED' : 'DECLINED' },
              as(i),
            ),
          ),
      ),
    );
    const opened = await politely(() => organiser.post(`/activities/${id}/check-in/open`));
    expect(opened.final.status, opened.final.text).toBe(202);
    await waitForPhase(organiser, id, 'ATTENDANCE', 120_000);
    // 250 check-ins.
    await pool(
      25,
      deputies.map(
        (_, i) => () => run(() => anonymous.post(`/activities/${id}/check-ins`, undefined, as(i))),
      ),
    );
    const closed = await politely(() => organiser.post(`/activities/${id}/attendance/close`));
    expect(closed.final.status, closed.final.text).toBe(202);
    await waitForPhase(organiser, id, 'FINDINGS', 120_000);
    // 500 findings, two per deputy, each with its own Idempotency-Key (a client resends the
    // same request with the same key after a 503).
    await pool(
      25,
      deputies.flatMap((_, i) =>
        [1, 2].map((n) => {
          const headers = { ...as(i), 'idempotency-key': randomUUID() };
          return () =>
            run(() =>
              anonymous.post(
                `/activities/${id}/findings`,
                findingBody({ description: `冲突测试 ${deputies[i]} 第${n}条` }),
                headers,
              ),
            );
        }),
      ),
    );
    const { injected, forwarded } = chaos.dynamodbFaults.stats;
    await chaos.dynamodbFaults.configure({});

    const invitations = await queryItems(keys.invitationsOfActivity(id));
    const byDeputy = new Map(invitations.map((i) => [i.deputyId as string, i]));
    const wrongResponse = deputies.filter(
      (d, i) => byDeputy.get(d)?.response !== (i % 2 === 0 ? 'ACCEPTED' : 'DECLINED'),
    );
    const notCheckedIn = deputies.filter((d) => !byDeputy.get(d)?.checkedInAt);
    const checkInRecords = await queryItems(keys.checkInAuditRecordsOfActivity(id));
    const findings = (await queryItems({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :f)',
      ExpressionAttributeValues: { ':pk': `ACTIVITY#${id}`, ':f': 'FINDING#' },
    })) as { description: string }[];
    const descriptions = tally(findings.map((f) => f.description));
    const duplicated = Object.values(descriptions).filter((n) => n > 1).length;
    const attendance = (await readActivity(organiser, id)).attendance;
    const injectedTotal = Object.values(injected).reduce((a, b) => a + b, 0);
    const writesTotal =
      injectedTotal +
      ['TransactWriteItems', 'PutItem', 'UpdateItem', 'DeleteItem']
        .map((op) => forwarded[op] ?? 0)
        .reduce((a, b) => a + b, 0);
    const serverErrors = answers.filter((s) => s >= 500 && s !== 503).length;

    console.log(
      `conflicts: 1000 operations (250 responses, 250 check-ins, 500 findings) with ` +
        `${injectedTotal} of ${writesTotal} writes answered with a transaction conflict ` +
        `(${JSON.stringify(injected)}) → answers ${JSON.stringify(tally(answers))}, ` +
        `${serverErrors} 5xx other than 503; final ${JSON.stringify(tally(finals))}; ` +
        `lost: ${wrongResponse.length} responses, ${notCheckedIn.length} check-ins, ` +
        `${500 - Object.keys(descriptions).length} findings; ${duplicated} duplicated findings; ` +
        `attendance accepted ${attendance?.accepted}, declined ${attendance?.declined}, ` +
        `attended ${attendance?.attended}`,
    );
    expect(finals).toHaveLength(1000);
    expect(serverErrors).toBe(0);
    expect(tally(finals)).toEqual({ 201: 750, 200: 250 });
    expect(wrongResponse).toEqual([]);
    expect(notCheckedIn).toEqual([]);
    expect(checkInRecords).toHaveLength(250);
    expect(findings).toHaveLength(500);
    expect(duplicated).toBe(0);
    expect(attendance).toMatchObject({ accepted: 125, declined: 125, attended: 250 });
    expect(injectedTotal / writesTotal).toBeGreaterThan(0.2);
  });
});
