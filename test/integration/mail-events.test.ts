// integration test: at-most-once email (send-once on DynamoDB Local + local SES), and a bounce
// injected as the SNS notification SES would publish, into the function on the local cloud.
import { randomUUID } from 'node:crypto';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, verifyChain, type AuditEvent } from '../../functions/shared/data/audit';
import { keys, toQueryParams } from '../../functions/shared/data/keys';
import { sendEmailOnce } from '../../functions/shared/email/send-once';
import { TransientError } from '../../functions/shared/errors';
import { ddbDoc, putItem, sentMail, sesClient, waitForMail } from './support/aws';
import { localCloud, tableName } from './support/cloud';

const SENDER = 'noreply@liandong.example.org';

const deps = () => ({ db: ddbDoc(), ses: sesClient(), tableName: tableName(), maxAttempts: 1 });

const message = (claimKey: string, to: string, owner?: { kind: string; id: string }) => ({
  claimKey,
  to,
  subject: `【黄埔区人大】转办函 ${claimKey}`,
  text: '请办理。',
  html: '<p>请办理。</p>',
  from: SENDER,
  configurationSet: 'LiandongMail',
  ...(owner ? { owner, purpose: 'REFERRAL' } : {}),
});

/** The handler of the bounce topic in the synthesized stack. */
const mailEventFunction = (): string => {
  const id = Object.keys(localCloud().functions).find((f) => f.includes('HandleMailEventFunction'));
  if (!id) throw new Error('the stack has no HandleMailEventFunction (MailEvents not wired)');
  return id;
};

/** `POST /_local/invoke/{logicalId}`: the local cloud's test-only Invoke. */
async function invoke(logicalId: string, event: unknown) {
  const res = await fetch(`${localCloud().api}/_local/invoke/${logicalId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(event),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { result?: unknown; errorType?: string; errorMessage?: string };
}

/** What SNS delivers to a Lambda subscriber for one SES bounce event. */
const snsBounce = (messageId: string, address: string) => ({
  Records: [
    {
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: 'arn:aws:sns:ap-east-1:000000000000:MailEventsTopic:local',
      Sns: {
        Type: 'Notification',
        MessageId: randomUUID(),
        TopicArn: 'arn:aws:sns:ap-east-1:000000000000:MailEventsTopic',
        Subject: null,
        Timestamp: new Date().toISOString(),
        Message: JSON.stringify({
          eventType: 'Bounce',
          bounce: {
            feedbackId: randomUUID(),
            bounceType: 'Permanent',
            bounceSubType: 'General',
            bouncedRecipients: [
              {
                emailAddress: address,
                action: 'failed',
                status: '5.1.1',
                diagnosticCode: 'smtp; 550 5.1.1 user unknown',
              },
            ],
            timestamp: new Date().toISOString(),
          },
          mail: {
            timestamp: new Date().toISOString(),
            source: SENDER,
            messageId,
            destination: [address],
          },
        }),
        MessageAttributes: {},
      },
    },
  ],
});

describe('sendEmailOnce on the local engines', () => {
  it('sends once per claim key, however often it is called, and records the message id', async () => {
    const claimKey = `TEST#${randomUUID()}`;
    const to = `dept-${randomUUID().slice(0, 8)}@gov.example.cn`;
    const first = await sendEmailOnce(deps(), message(claimKey, to));
    const again = await sendEmailOnce(deps(), message(claimKey, to));
    const concurrent = await Promise.allSettled(
      Array.from({ length: 5 }, () => sendEmailOnce(deps(), message(claimKey, to))),
    );

    expect(first.sentNow).toBe(true);
    expect(again).toEqual({ messageId: first.messageId, sentNow: false });
    for (const r of concurrent) expect(r).toEqual({ status: 'fulfilled', value: again });
    const mail = (await sentMail()).filter((m) => m.destination.to.includes(to));
    expect(mail).toHaveLength(1);
    expect(mail[0]?.subject).toBe(`【黄埔区人大】转办函 ${claimKey}`);

    const { Item: lookup } = await ddbDoc().send(
      new GetCommand({ TableName: tableName(), Key: keys.sesMessage(first.messageId) }),
    );
    expect(lookup).toMatchObject({ claimKey, messageId: first.messageId });
  });

  it('a live claim without a message id (outcome unknown) blocks a resend with TransientError', async () => {
    const claimKey = `TEST#${randomUUID()}`;
    const to = `dept-${randomUUID().slice(0, 8)}@gov.example.cn`;
    await putItem({ ...keys.emailClaim(claimKey), claimKey, claimedAt: new Date().toISOString() });
    await expect(sendEmailOnce(deps(), message(claimKey, to))).rejects.toBeInstanceOf(
      TransientError,
    );
    // Stale (older than the window): taken over and sent.
    const sent = await sendEmailOnce({ ...deps(), claimStaleAfterMs: 0 }, message(claimKey, to));
    expect(sent.sentNow).toBe(true);
    expect((await sentMail()).filter((m) => m.destination.to.includes(to))).toHaveLength(1);
  });
});

describe('a bounce injected through SNS', () => {
  it("marks the referral's email BOUNCED with an audit event and alerts the organisers once", async () => {
    const fn = mailEventFunction();
    const referralId = `01TESTBOUNCE${randomUUID().replace(/-/g, '').slice(0, 14).toUpperCase()}`;
    await putItem({
      ...keys.referral(referralId),
      entity: 'REFERRAL',
      id: referralId,
      status: 'SENT',
      auditSeq: 0,
      auditHash: GENESIS_HASH,
    });
    const address = `nobody-${randomUUID().slice(0, 8)}@gov.example.cn`;
    const { messageId } = await sendEmailOnce(
      deps(),
      message(`REFERRAL#${referralId}#ROUND#1#DEPARTMENT#D1`, address, {
        kind: 'REFERRAL',
        id: referralId,
      }),
    );

    const first = await invoke(fn, snsBounce(messageId, address));
    expect(first.errorType).toBeUndefined();
    expect(first.result).toMatchObject({
      outcomes: [{ result: 'MARKED', status: 'BOUNCED', messageId }],
    });
    // SNS may deliver twice: nothing changes the second time, no second alert.
    const second = await invoke(fn, snsBounce(messageId, address));
    expect(second.result).toMatchObject({ outcomes: [{ result: 'ALREADY_MARKED' }] });

    const { Item: referral } = await ddbDoc().send(
      new GetCommand({ TableName: tableName(), Key: keys.referral(referralId) }),
    );
    expect(referral).toMatchObject({
      auditSeq: 1,
      emailDelivery: { status: 'BOUNCED', messageId, kind: 'Permanent', purpose: 'REFERRAL' },
    });
    const { Items = [] } = await ddbDoc().send(
      new QueryCommand({
        TableName: tableName(),
        ...toQueryParams(keys.auditEventsOfStream(keys.auditStreamOfReferral(referralId))),
      }),
    );
    const events = Items as AuditEvent[];
    expect(events.map((e) => e.action)).toEqual(['EMAIL_BOUNCED']);
    expect(verifyChain(events).ok).toBe(true);
    expect(JSON.stringify(events)).not.toContain(address);

    const { Item: claim } = await ddbDoc().send(
      new GetCommand({
        TableName: tableName(),
        Key: keys.emailClaim(`REFERRAL#${referralId}#ROUND#1#DEPARTMENT#D1`),
      }),
    );
    expect(claim).toMatchObject({ messageId, delivery: { status: 'BOUNCED' } });

    const alerts = await waitForMail((mail) =>
      mail.some((m) => (m.body.text ?? '').includes(messageId) && m.subject.includes('退信')),
    );
    const mine = alerts.filter((m) => (m.body.text ?? '').includes(messageId));
    expect(mine).toHaveLength(1);
    expect(mine[0]?.body.text).toContain(address);
    expect(mine[0]?.body.text).toContain(referralId);
  });

  it('the invoke route refuses unknown functions', async () => {
    const res = await fetch(`${localCloud().api}/_local/invoke/NoSuchFunction`, {
      method: 'POST',
      body: '{}',
    });
    expect(res.status).toBe(404);
  });
});
