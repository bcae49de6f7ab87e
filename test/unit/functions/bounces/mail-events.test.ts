// unit test: SDK mocked with aws-sdk-client-mock
import { SendEmailCommand } from '@aws-sdk/client-ses';
import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  ALERT_PURPOSE,
  handleMailEvent,
  parseSesNotification,
  renderAlertEmail,
} from '../../../../functions/bounces/domain.js';
import { keys } from '../../../../functions/shared/data/keys.js';
import { ValidationError } from '../../../../functions/shared/errors.js';
import { mailDeps, mockAws } from '../../../support/aws.js';

const { doc, ses: sesMock } = mockAws('doc', 'ses');

const NOW = new Date('2020-08-21T03:00:00.000Z');
const MESSAGE_ID = '0100017412345678-abcdef01-2345-6789-abcd-ef0123456789-000000';
const REFERRAL_ID = '01J6REFERRAL0000000000000A';

const deps = () => ({
  ...mailDeps(),
  organiserEmails: ['office@liandong.example.org'],
  now: () => NOW,
});

const bounce = (extra: Record<string, unknown> = {}) =>
  parseSesNotification(
    JSON.stringify({
      eventType: 'Bounce',
      mail: { messageId: MESSAGE_ID, timestamp: '2020-08-21T02:59:00.000Z' },
      bounce: {
        bounceType: 'Permanent',
        bounceSubType: 'General',
        bouncedRecipients: [{ emailAddress: 'chengguan@gov.example.cn', status: '5.1.1' }],
        timestamp: '2020-08-21T02:59:30.000Z',
      },
      ...extra,
    }),
  );

const lookup = (extra: Record<string, unknown> = {}) => ({
  ...keys.sesMessage(MESSAGE_ID),
  messageId: MESSAGE_ID,
  claimKey: `REFERRAL#${REFERRAL_ID}#ROUND#1#DEPARTMENT#D1`,
  owner: { kind: 'REFERRAL', id: REFERRAL_ID },
  purpose: 'REFERRAL',
  sentAt: '2020-08-21T02:59:00.000Z',
  ...extra,
});

beforeEach(() => {
  doc.on(UpdateCommand).resolves({});
  doc.on(TransactWriteCommand).resolves({});
  sesMock.on(SendEmailCommand).resolves({ MessageId: 'alert-1' });
  doc
    .on(GetCommand, { Key: keys.referral(REFERRAL_ID) })
    .resolves({ Item: { id: REFERRAL_ID, auditSeq: 4, auditHash: 'b'.repeat(64) } });
});

describe('parseSesNotification', () => {
  it('reads event publishing and identity notifications alike', () => {
    expect(bounce().type).toBe('Bounce');
    const complaint = parseSesNotification(
      JSON.stringify({
        notificationType: 'Complaint',
        mail: { messageId: 'm' },
        complaint: { complainedRecipients: [{ emailAddress: 'a@b.cn' }] },
      }),
    );
    expect(complaint.type).toBe('Complaint');
  });

  it('refuses what is not an SES notification', () => {
    expect(() => parseSesNotification('not json')).toThrow(ValidationError);
    expect(() => parseSesNotification('{"eventType":"Bounce"}')).toThrow(ValidationError);
  });
});

describe('handleMailEvent', () => {
  it('marks the lookup, the claim and the referral with its audit event, then alerts once', async () => {
    doc.on(GetCommand, { Key: keys.sesMessage(MESSAGE_ID) }).resolves({ Item: lookup() });

    const outcome = await handleMailEvent(deps(), bounce());

    expect(outcome).toMatchObject({
      result: 'MARKED',
      status: 'BOUNCED',
      owner: { kind: 'REFERRAL', id: REFERRAL_ID },
      alertMessageId: 'alert-1',
    });
    const items = doc.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items).toHaveLength(4);
    expect(items[0]?.Update).toMatchObject({
      Key: keys.sesMessage(MESSAGE_ID),
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#marker)',
      ExpressionAttributeNames: { '#marker': 'bouncedAt' },
    });
    expect(items[1]?.Update?.Key).toEqual(keys.emailClaim(lookup().claimKey));
    expect(items[2]?.Update?.Key).toEqual(keys.referral(REFERRAL_ID));
    const audit = items[3]?.Put?.Item as Record<string, unknown>;
    expect(audit).toMatchObject({
      pk: keys.auditStreamOfReferral(REFERRAL_ID),
      seq: 5,
      action: 'EMAIL_BOUNCED',
      actor: 'ses',
      after: expect.objectContaining({ emailDelivery: 'BOUNCED', messageId: MESSAGE_ID }),
    });
    // No address in the audit trail.
    expect(JSON.stringify(audit)).not.toContain('chengguan@gov.example.cn');

    const [alert] = sesMock.commandCalls(SendEmailCommand);
    expect(alert?.args[0].input.Destination?.ToAddresses).toEqual(['office@liandong.example.org']);
    expect(alert?.args[0].input.Message?.Subject?.Data).toContain('退信');
    expect(alert?.args[0].input.Message?.Body?.Text?.Data).toContain('chengguan@gov.example.cn');
    const alertClaim = doc.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(alertClaim?.Key).toEqual(keys.emailClaim(`MAILEVENT#${MESSAGE_ID}#BOUNCED`));
    // The alert names no owner: its own bounce must not mark the referral.
    expect(alertClaim?.ExpressionAttributeValues).not.toHaveProperty(':owner');
  });

  it('does not mark twice; the alert is re-tried through its own claim', async () => {
    doc
      .on(GetCommand, { Key: keys.sesMessage(MESSAGE_ID) })
      .resolves({ Item: lookup({ bouncedAt: NOW.toISOString() }) });
    doc
      .on(UpdateCommand, { Key: keys.emailClaim(`MAILEVENT#${MESSAGE_ID}#BOUNCED`) })
      .rejects(Object.assign(new Error('c'), { name: 'ConditionalCheckFailedException' }));
    doc
      .on(GetCommand, { Key: keys.emailClaim(`MAILEVENT#${MESSAGE_ID}#BOUNCED`) })
      .resolves({ Item: { messageId: 'alert-0' } });

    const outcome = await handleMailEvent(deps(), bounce());

    expect(outcome).toMatchObject({ result: 'ALREADY_MARKED', alertMessageId: 'alert-0' });
    expect(doc.commandCalls(TransactWriteCommand)).toHaveLength(0);
    expect(sesMock.commandCalls(SendEmailCommand)).toHaveLength(0);
  });

  it('ignores emails it did not send, and events other than bounces and complaints', async () => {
    doc.on(GetCommand, { Key: keys.sesMessage(MESSAGE_ID) }).resolves({});
    await expect(handleMailEvent(deps(), bounce())).resolves.toEqual({
      result: 'UNKNOWN_MESSAGE',
      messageId: MESSAGE_ID,
    });
    await expect(
      handleMailEvent(deps(), bounce({ eventType: 'Delivery', bounce: undefined })),
    ).resolves.toMatchObject({ result: 'IGNORED' });
    expect(sesMock.calls()).toHaveLength(0);
  });

  it('records a bounce of an alert without alerting about it', async () => {
    doc
      .on(GetCommand, { Key: keys.sesMessage(MESSAGE_ID) })
      .resolves({ Item: lookup({ owner: undefined, purpose: ALERT_PURPOSE }) });

    await expect(handleMailEvent(deps(), bounce())).resolves.toMatchObject({ result: 'MARKED' });
    expect(doc.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems).toHaveLength(2);
    expect(sesMock.calls()).toHaveLength(0);
  });

  it('marks complaints with their own marker', async () => {
    doc.on(GetCommand, { Key: keys.sesMessage(MESSAGE_ID) }).resolves({ Item: lookup() });
    const complaint = parseSesNotification(
      JSON.stringify({
        eventType: 'Complaint',
        mail: { messageId: MESSAGE_ID },
        complaint: {
          complainedRecipients: [{ emailAddress: 'x@gov.example.cn' }],
          complaintFeedbackType: 'abuse',
        },
      }),
    );
    await expect(handleMailEvent(deps(), complaint)).resolves.toMatchObject({
      result: 'MARKED',
      status: 'COMPLAINED',
    });
    const items = doc.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items[0]?.Update?.ExpressionAttributeNames).toEqual({ '#marker': 'complainedAt' });
    expect((items[3]?.Put?.Item as { action: string }).action).toBe('EMAIL_COMPLAINED');
  });
});

describe('renderAlertEmail', () => {
  it('escapes every value and keeps the subject on one line', () => {
    const email = renderAlertEmail(
      {
        status: 'BOUNCED',
        messageId: MESSAGE_ID,
        at: NOW.toISOString(),
        kind: 'Permanent',
        recipients: 1,
        purpose: 'REFERRAL',
      },
      { kind: 'REFERRAL', id: 'R1\r\nBcc: evil@example.com' },
      ['<script>alert(1)</script>@x.cn'],
    );
    expect(email.subject).not.toMatch(/[\r\n]/);
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('&lt;script&gt;');
  });
});
