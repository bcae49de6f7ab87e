// unit test: the SendActivityReport step and the report route's handler, SDK mocked with
// aws-sdk-client-mock (the real sendEmailOnce runs against the mocked table and SES)
import { SendEmailCommand } from '@aws-sdk/client-ses';
import {
  BatchGetCommand,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  organiserMailboxes,
  reportClaimKey,
  sendActivityReport,
} from '../../../../functions/audit-report/send.js';
import { keys } from '../../../../functions/shared/data/keys.js';
import { ConflictError, TransientError } from '../../../../functions/shared/errors.js';
import type { HttpEvent, HttpResult } from '../../../../functions/shared/http/types.js';
import { mailDeps, mockAws } from '../../../support/aws.js';
import { TABLE, httpEvent, lambdaContext, setTestEnv } from '../helpers.js';
import { ACTIVITY_ID, REFERRAL_A, REFERRAL_B, referrals, report } from './fixtures.js';

const { doc, ses: sesMock } = mockAws('doc', 'ses');

const activityItem = (overrides: Record<string, unknown> = {}) => ({
  ...keys.activity(ACTIVITY_ID),
  entity: 'ACTIVITY',
  id: ACTIVITY_ID,
  title: '河涌整治专题调研',
  type: 'THEMATIC_RESEARCH',
  street: 'WENCHONG',
  location: '文冲村',
  startsAt: '2026-07-12T01:30:00.000Z',
  endsAt: '2026-07-12T05:30:00.000Z',
  status: 'COMPLETED',
  completedAt: '2026-07-12T09:00:00.000Z',
  approvedReferralIds: [REFERRAL_A, REFERRAL_B],
  report: report(),
  ...overrides,
});

/** Claims as the mocked table holds them: a claim that has a message id blocks a resend. */
let claims: Map<string, { messageId?: string; claimedAt?: string }>;
let activity: Record<string, unknown> | undefined;

const mockTable = () => {
  doc.on(GetCommand).callsFake((input: { Key: { pk: string } }) => {
    if (input.Key.pk === keys.activity(ACTIVITY_ID).pk) return { Item: activity };
    const claim = claims.get(input.Key.pk);
    return { Item: claim ? { ...input.Key, ...claim } : undefined };
  });
  doc
    .on(BatchGetCommand)
    .callsFake((input: { RequestItems: Record<string, { Keys: { pk: string }[] }> }) => {
      const requested = input.RequestItems[TABLE]!.Keys.map((key) => key.pk);
      const items = [
        ...referrals().map((r) => ({ ...keys.referral(r.id), ...r })),
        { ...keys.department('dept-water'), id: 'dept-water', name: '区水务局' },
        { ...keys.department('dept-education'), id: 'dept-education', name: '区教育局' },
      ].filter((item) => requested.includes(item.pk));
      return { Responses: { [TABLE]: items } };
    });
  doc
    .on(UpdateCommand)
    .callsFake(
      (input: { Key: { pk: string }; ExpressionAttributeValues: Record<string, string> }) => {
        const claim = claims.get(input.Key.pk);
        if (input.ExpressionAttributeValues[':claimKey'] !== undefined) {
          if (claim?.messageId || claim?.claimedAt) {
            throw Object.assign(new Error('conditional'), {
              name: 'ConditionalCheckFailedException',
            });
          }
          claims.set(input.Key.pk, { claimedAt: input.ExpressionAttributeValues[':claimedAt'] });
        } else {
          // Release after a refusal: the claim is free again.
          claims.delete(input.Key.pk);
        }
        return {};
      },
    );
  doc.on(TransactWriteCommand).callsFake(
    (input: {
      TransactItems: {
        Update?: { Key: { pk: string }; ExpressionAttributeValues: Record<string, string> };
      }[];
    }) => {
      for (const item of input.TransactItems) {
        if (item.Update) {
          claims.set(item.Update.Key.pk, {
            messageId: item.Update.ExpressionAttributeValues[':messageId'],
          });
        }
      }
      return {};
    },
  );
};

// The district the report names (its streets), as every handler's container has it.
setTestEnv();

const deps = (organiserEmails: string[]) => ({
  ...mailDeps(),
  organiserEmails,
  now: () => new Date('2026-08-20T02:00:00.000Z'),
  emailOptions: { maxAttempts: 2, sleep: async () => undefined },
});

const OFFICES = ['office@liandong.example.org', 'wenchong@liandong.example.org'];

beforeEach(() => {
  claims = new Map();
  activity = activityItem();
  mockTable();
  let n = 0;
  sesMock.on(SendEmailCommand).callsFake(() => ({ MessageId: `msg-${++n}` }));
});

describe('sendActivityReport', () => {
  it('emails each organiser mailbox once, one recipient an email, with the report', async () => {
    const result = await sendActivityReport(deps(OFFICES), ACTIVITY_ID);
    expect(result).toEqual({
      activityId: ACTIVITY_ID,
      recipients: 2,
      sentNow: 2,
      alreadySent: 0,
      rejected: 0,
    });
    const sent = sesMock.commandCalls(SendEmailCommand).map((call) => call.args[0].input);
    expect(sent.map((input) => input.Destination?.ToAddresses)).toEqual(OFFICES.map((a) => [a]));
    const first = sent[0]!;
    expect(first.Message?.Subject?.Data).toBe('【情况报告】河涌整治专题调研（专题调研）');
    expect(first.Message?.Body?.Html?.Data).toContain('区水务局');
    expect(first.Message?.Body?.Text?.Data).toContain('满意率66.7%');
    expect(first.ConfigurationSetName).toBe('LiandongMail');
    // Claims are per activity and recipient, and name no address.
    expect([...claims.keys()].sort()).toEqual(
      OFFICES.map((a) => keys.emailClaim(reportClaimKey(ACTIVITY_ID, a)).pk).sort(),
    );
    for (const pk of claims.keys()) expect(pk).not.toContain('@');
  });

  it('sends nothing new when run again (retry, redrive or a manual re-run)', async () => {
    await sendActivityReport(deps(OFFICES), ACTIVITY_ID);
    const again = await sendActivityReport(deps(OFFICES), ACTIVITY_ID);
    expect(again).toMatchObject({ sentNow: 0, alreadySent: 2 });
    expect(sesMock.commandCalls(SendEmailCommand)).toHaveLength(2);
  });

  it('skips a mailbox SES refuses for good and still sends the others', async () => {
    sesMock
      .on(SendEmailCommand, { Destination: { ToAddresses: [OFFICES[0]!] } })
      .rejects(Object.assign(new Error('rejected'), { name: 'MessageRejected', $fault: 'client' }));
    const result = await sendActivityReport(deps(OFFICES), ACTIVITY_ID);
    expect(result).toMatchObject({ sentNow: 1, rejected: 1 });
  });

  it('raises TransientError after trying every mailbox when SES throttles one', async () => {
    sesMock
      .on(SendEmailCommand, { Destination: { ToAddresses: [OFFICES[0]!] } })
      .rejects(Object.assign(new Error('slow down'), { name: 'Throttling', $fault: 'server' }));
    await expect(sendActivityReport(deps(OFFICES), ACTIVITY_ID)).rejects.toBeInstanceOf(
      TransientError,
    );
    // The other mailbox got its email; the retry sends only the missing one.
    sesMock.on(SendEmailCommand).resolves({ MessageId: 'msg-retry' });
    const retry = await sendActivityReport(deps(OFFICES), ACTIVITY_ID);
    expect(retry).toMatchObject({ sentNow: 1, alreadySent: 1 });
  });

  it('refuses an activity that is not COMPLETED, and sends nothing without mailboxes', async () => {
    activity = activityItem({ status: 'IN_REVIEW' });
    await expect(sendActivityReport(deps(OFFICES), ACTIVITY_ID)).rejects.toBeInstanceOf(
      ConflictError,
    );
    activity = activityItem();
    expect(await sendActivityReport(deps([]), ACTIVITY_ID)).toMatchObject({ recipients: 0 });
    expect(sesMock.commandCalls(SendEmailCommand)).toHaveLength(0);
  });

  it('parses ORGANISER_EMAILS leniently: trimmed, once each, unsafe addresses dropped', () => {
    expect(
      organiserMailboxes(
        ' office@liandong.example.org, OFFICE@liandong.example.org,,x\r\n@evil ,a@b.cn',
      ),
    ).toEqual(['office@liandong.example.org', 'a@b.cn']);
    expect(organiserMailboxes(undefined)).toEqual([]);
  });
});

describe('GET /audit/activities/{activityId}/report handler', () => {
  let handler: (event: HttpEvent, context: ReturnType<typeof lambdaContext>) => Promise<HttpResult>;
  beforeAll(async () => {
    setTestEnv();
    ({ handler } = (await import('../../../../functions/audit-report/get-report.js')) as never);
  });

  const get = (claims: Record<string, unknown>, activityId = ACTIVITY_ID) =>
    handler(
      httpEvent({
        method: 'GET',
        path: `/audit/activities/${activityId}/report`,
        pathParameters: { activityId },
        claims,
      }),
      lambdaContext(),
    );

  it('answers the auditor with the HTML page, reading by key only', async () => {
    const res = await get({ sub: 'aud-1', 'cognito:groups': '[auditor]' });
    expect(res.statusCode).toBe(200);
    expect(res.headers?.['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('河涌整治专题调研');
    const commands = doc.calls().map((call) => call.args[0].constructor.name);
    expect(new Set(commands)).toEqual(new Set(['GetCommand', 'BatchGetCommand']));
  });

  it('answers an organiser of the street, and 404 to one of another street', async () => {
    expect(
      (await get({ sub: 'o', 'cognito:groups': '[organiser]', 'custom:street': '文冲' }))
        .statusCode,
    ).toBe(200);
    const other = await get({
      sub: 'o2',
      'cognito:groups': '[organiser]',
      'custom:street': '夏港',
    });
    expect(other.statusCode).toBe(404);
    expect(other.body).not.toContain('河涌整治专题调研');
    expect(doc.commandCalls(BatchGetCommand)).toHaveLength(2);
  });

  it('refuses a deputy (403), and 404 while the activity is not COMPLETED', async () => {
    expect((await get({ sub: 'dep-0001', 'cognito:groups': '[deputy]' })).statusCode).toBe(403);
    activity = activityItem({ status: 'IN_REVIEW', report: undefined });
    const res = await get({ sub: 'aud-1', 'cognito:groups': '[auditor]' });
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('IN_REVIEW');
  });

  it('answers 422 for a path that is not an activity id', async () => {
    expect((await get({ sub: 'aud-1', 'cognito:groups': '[auditor]' }, 'nope')).statusCode).toBe(
      422,
    );
  });
});
