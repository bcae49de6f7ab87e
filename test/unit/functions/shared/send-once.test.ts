// unit test: SDK mocked with aws-sdk-client-mock
import {
  AccountSendingPausedException,
  ConfigurationSetDoesNotExistException,
  ConfigurationSetSendingPausedException,
  MailFromDomainNotVerifiedException,
  MessageRejected,
  SESClient,
  SESServiceException,
  SendEmailCommand,
  SendRawEmailCommand,
} from '@aws-sdk/client-ses';
import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { simpleParser } from 'mailparser';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  EmailRejectedError,
  SES_PERMANENT_ERRORS,
  STORE_RETRY_BUDGET_MS,
  backoffDelay,
  classifySesError,
  sendEmailOnce,
  type SendEmailOnceInput,
} from '../../../../functions/shared/email/send-once.js';
import { keys } from '../../../../functions/shared/data/keys.js';
import { TransientError, ValidationError } from '../../../../functions/shared/errors.js';
import { documentClient as mockedDocumentClient, mockAws } from '../../../support/aws.js';
import { TABLE } from '../helpers.js';
import { buildCalendarEvent } from '../../../../functions/shared/email/calendar.js';
import { calendarEventInput, parseCalendar } from '../../../support/calendar.js';

const { doc, ses: sesMock } = mockAws('doc', 'ses');
const documentClient = mockedDocumentClient();
const sesClient = new SESClient({});

const NOW = new Date('2020-08-20T02:00:00.000Z');

const sesError = (name: string, status?: number, fault?: 'client' | 'server') =>
  Object.assign(new Error(name), {
    name,
    ...(fault ? { $fault: fault } : {}),
    ...(status ? { $metadata: { httpStatusCode: status } } : {}),
  });

const conditionFailed = () =>
  Object.assign(new Error('The conditional request failed'), {
    name: 'ConditionalCheckFailedException',
  });

const message = (extra: Partial<SendEmailOnceInput> = {}): SendEmailOnceInput => ({
  claimKey: 'REFERRAL#R1#ROUND#0#DEPARTMENT',
  to: 'office@gov.example.cn',
  subject: '【黄埔区人大】转办函：文冲街道积水问题',
  text: 'text',
  html: '<p>html</p>',
  configurationSet: 'LiandongMail',
  from: 'noreply@liandong.example.org',
  owner: { kind: 'REFERRAL', id: 'R1' },
  purpose: 'REFERRAL',
  ...extra,
});

let sleeps: number[];
const deps = () => ({
  db: documentClient,
  ses: sesClient,
  tableName: TABLE,
  now: () => NOW,
  sleep: async (ms: number) => {
    sleeps.push(ms);
  },
  random: () => 0.5,
});

beforeEach(() => {
  sleeps = [];
  doc.on(UpdateCommand).resolves({});
  doc.on(TransactWriteCommand).resolves({});
});

describe('sendEmailOnce', () => {
  it('claims, sends, stores the message id with its lookup item', async () => {
    sesMock.on(SendEmailCommand).resolves({ MessageId: 'msg-1' });

    await expect(
      sendEmailOnce(deps(), message({ replyTo: 'org@liandong.example.org' })),
    ).resolves.toEqual({
      messageId: 'msg-1',
      sentNow: true,
    });

    const [claim] = doc.commandCalls(UpdateCommand);
    expect(claim?.args[0].input).toMatchObject({
      Key: keys.emailClaim('REFERRAL#R1#ROUND#0#DEPARTMENT'),
      ConditionExpression: expect.stringContaining('attribute_not_exists(messageId)'),
      ExpressionAttributeValues: expect.objectContaining({
        ':claimedAt': NOW.toISOString(),
        ':stale': new Date(NOW.getTime() - 15 * 60_000).toISOString(),
        ':owner': { kind: 'REFERRAL', id: 'R1' },
      }),
    });
    const [send] = sesMock.commandCalls(SendEmailCommand);
    expect(send?.args[0].input).toMatchObject({
      Source: 'noreply@liandong.example.org',
      Destination: { ToAddresses: ['office@gov.example.cn'] },
      ReplyToAddresses: ['org@liandong.example.org'],
      ConfigurationSetName: 'LiandongMail',
      Message: { Subject: { Data: message().subject, Charset: 'UTF-8' } },
    });
    const items = doc.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items[0]?.Update).toMatchObject({
      Key: keys.emailClaim('REFERRAL#R1#ROUND#0#DEPARTMENT'),
      ConditionExpression: 'claimedAt = :claimedAt',
      ExpressionAttributeValues: expect.objectContaining({ ':messageId': 'msg-1' }),
    });
    expect(items[1]?.Put?.Item).toMatchObject({
      ...keys.sesMessage('msg-1'),
      claimKey: 'REFERRAL#R1#ROUND#0#DEPARTMENT',
      owner: { kind: 'REFERRAL', id: 'R1' },
      purpose: 'REFERRAL',
    });
  });

  it('returns the stored message id without sending when the claim already holds one', async () => {
    doc.on(UpdateCommand).rejects(conditionFailed());
    doc.on(GetCommand).resolves({ Item: { messageId: 'msg-old', claimedAt: 'x' } });

    await expect(sendEmailOnce(deps(), message())).resolves.toEqual({
      messageId: 'msg-old',
      sentNow: false,
    });
    expect(sesMock.commandCalls(SendEmailCommand)).toHaveLength(0);
  });

  it('surfaces TransientError and sends nothing while another attempt holds a live claim', async () => {
    doc.on(UpdateCommand).rejects(conditionFailed());
    doc.on(GetCommand).resolves({ Item: { claimedAt: NOW.toISOString() } });

    await expect(sendEmailOnce(deps(), message())).rejects.toBeInstanceOf(TransientError);
    expect(sesMock.commandCalls(SendEmailCommand)).toHaveLength(0);
  });

  it('retries throttling with jittered exponential backoff, then sends once', async () => {
    sesMock
      .on(SendEmailCommand)
      .rejectsOnce(sesError('Throttling', 400, 'client'))
      .rejectsOnce(sesError('ServiceUnavailable', 503, 'server'))
      .resolves({ MessageId: 'msg-2' });

    await expect(sendEmailOnce(deps(), message())).resolves.toEqual({
      messageId: 'msg-2',
      sentNow: true,
    });
    expect(sesMock.commandCalls(SendEmailCommand)).toHaveLength(3);
    // random() = 0.5 of min(5000, 200·2^n)
    expect(sleeps).toEqual([100, 200]);
  });

  it('after the last throttled attempt releases the claim and throws TransientError', async () => {
    sesMock.on(SendEmailCommand).rejects(sesError('Throttling', 400, 'client'));

    await expect(sendEmailOnce({ ...deps(), maxAttempts: 3 }, message())).rejects.toBeInstanceOf(
      TransientError,
    );
    expect(sesMock.commandCalls(SendEmailCommand)).toHaveLength(3);
    const release = doc.commandCalls(UpdateCommand)[1]?.args[0].input;
    expect(release?.UpdateExpression).toContain('REMOVE claimedAt');
    expect(release?.ConditionExpression).toBe('claimedAt = :claimedAt');
    expect(doc.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('keeps the claim when the outcome is unknown (no answer from SES)', async () => {
    sesMock.on(SendEmailCommand).rejects(sesError('TimeoutError'));

    await expect(sendEmailOnce(deps(), message())).rejects.toBeInstanceOf(TransientError);
    expect(sesMock.commandCalls(SendEmailCommand)).toHaveLength(1);
    // Only the claim itself: no release.
    expect(doc.commandCalls(UpdateCommand)).toHaveLength(1);
  });

  it('releases the claim and throws EmailRejectedError when SES rejects for good', async () => {
    sesMock.on(SendEmailCommand).rejects(sesError('MessageRejected', 400, 'client'));

    await expect(sendEmailOnce(deps(), message())).rejects.toBeInstanceOf(EmailRejectedError);
    expect(sesMock.commandCalls(SendEmailCommand)).toHaveLength(1);
    expect(doc.commandCalls(UpdateCommand)[1]?.args[0].input.UpdateExpression).toContain(
      'REMOVE claimedAt',
    );
  });

  it('still reports the message id when storing it fails after the send', async () => {
    sesMock.on(SendEmailCommand).resolves({ MessageId: 'msg-3' });
    doc
      .on(TransactWriteCommand)
      .rejects(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));

    await expect(sendEmailOnce(deps(), message())).resolves.toEqual({
      messageId: 'msg-3',
      sentNow: true,
    });
    expect(sesMock.commandCalls(SendEmailCommand)).toHaveLength(1);
    // Retried for its time budget (20 s of backoff capped at 2 s), not for a few attempts.
    expect(sleeps.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(STORE_RETRY_BUDGET_MS);
    expect(sleeps.reduce((a, b) => a + b, 0)).toBeLessThan(STORE_RETRY_BUDGET_MS + 2_000);
    expect(doc.commandCalls(TransactWriteCommand).length).toBe(sleeps.length + 1);
  });

  it('stores the message id once the table is back within the budget (a restart)', async () => {
    sesMock.on(SendEmailCommand).resolves({ MessageId: 'msg-4' });
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    doc
      .on(TransactWriteCommand)
      .rejectsOnce(refused)
      .rejectsOnce(refused)
      .rejectsOnce(refused)
      .rejectsOnce(refused)
      .rejectsOnce(refused)
      .resolves({});

    await expect(sendEmailOnce(deps(), message())).resolves.toEqual({
      messageId: 'msg-4',
      sentNow: true,
    });
    expect(doc.commandCalls(TransactWriteCommand)).toHaveLength(6);
    expect(sesMock.commandCalls(SendEmailCommand)).toHaveLength(1);
  });

  it.each([
    ['a CR/LF in the subject', { subject: '转办函\r\nBcc: attacker@evil.example' }],
    ['a LF in a recipient', { to: 'office@gov.example.cn\nBcc: attacker@evil.example' }],
    ['two addresses in one recipient', { to: 'a@gov.example.cn,b@evil.example' }],
    ['a CR in the reply-to', { replyTo: 'org@liandong.example.org\r' }],
    ['a LF in the sender', { from: 'noreply@liandong.example.org\nX-Evil: 1' }],
    ['no recipient', { to: [] }],
  ])('rejects %s before claiming anything', async (_, extra) => {
    await expect(sendEmailOnce(deps(), message(extra))).rejects.toBeInstanceOf(ValidationError);
    expect(doc.calls()).toHaveLength(0);
    expect(sesMock.calls()).toHaveLength(0);
  });
});

/** An SES error answer as the SDK builds it from the query protocol's <Error><Code>. */
const sesAnswer = (name: string, message: string, httpStatusCode = 400) =>
  new SESServiceException({
    name,
    message,
    $fault: httpStatusCode >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode },
  });
const answered = { $metadata: { httpStatusCode: 400 } };

describe('SES error codes (issue 12 item 5): only the permanent ones stop the step', () => {
  it.each([
    [
      'MessageRejected',
      new MessageRejected({
        ...answered,
        message: 'Email address is not verified. The following identities failed the check',
      }),
    ],
    [
      'MailFromDomainNotVerifiedException',
      new MailFromDomainNotVerifiedException({ ...answered, message: 'MAIL FROM not verified' }),
    ],
    [
      'ConfigurationSetDoesNotExistException',
      new ConfigurationSetDoesNotExistException({ ...answered, message: 'no LiandongMail' }),
    ],
    [
      'ConfigurationSetSendingPausedException',
      new ConfigurationSetSendingPausedException({ ...answered, message: 'paused' }),
    ],
    [
      'AccountSendingPausedException',
      new AccountSendingPausedException({ ...answered, message: 'sending is paused' }),
    ],
    ['InvalidParameterValue', sesAnswer('InvalidParameterValue', 'Illegal address')],
    [
      'AccessDeniedException',
      sesAnswer('AccessDeniedException', 'not authorized to ses:SendEmail'),
    ],
  ])(
    "%s: EmailRejectedError with SES's message after one attempt, the claim released",
    async (code, error) => {
      expect(classifySesError(error)).toBe('rejected');
      sesMock.on(SendEmailCommand).rejects(error);

      const thrown = await sendEmailOnce(deps(), message()).catch((e: unknown) => e);
      expect(thrown).toBeInstanceOf(EmailRejectedError);
      expect((thrown as Error).message).toBe(`SES rejected the email (${code}): ${error.message}`);
      expect(sesMock.commandCalls(SendEmailCommand)).toHaveLength(1);
      expect(sleeps).toEqual([]);
      expect(doc.commandCalls(UpdateCommand)[1]?.args[0].input.UpdateExpression).toContain(
        'REMOVE claimedAt',
      );
    },
  );

  it.each([
    // What the attack met under concurrent sends: an answer the SDK could not name.
    ['an unnamed 4xx answer', sesAnswer('Error', 'Bad Request')],
    ['a code SES may add one day', sesAnswer('SendingQuotaRebalancingException', 'later')],
    [
      'Throttling (maximum sending rate)',
      sesAnswer('Throttling', 'Maximum sending rate exceeded.'),
    ],
    ['Throttling (daily quota)', sesAnswer('Throttling', 'Daily message quota exceeded.')],
    ['RequestExpired', sesAnswer('RequestExpired', 'Request has expired')],
    ['InternalFailure', sesAnswer('InternalFailure', 'internal', 500)],
    ['ServiceUnavailable', sesAnswer('ServiceUnavailable', 'unavailable', 503)],
  ])(
    '%s: retried with backoff, then TransientError for the Retry of the state machine',
    async (_, error) => {
      expect(classifySesError(error)).toBe('retry');
      sesMock.on(SendEmailCommand).rejects(error);

      await expect(sendEmailOnce({ ...deps(), maxAttempts: 3 }, message())).rejects.toBeInstanceOf(
        TransientError,
      );
      expect(sesMock.commandCalls(SendEmailCommand)).toHaveLength(3);
      expect(sleeps).toEqual([100, 200]);
      // Nothing went out: the claim is released for the next attempt of the step.
      expect(doc.commandCalls(UpdateCommand)[1]?.args[0].input.UpdateExpression).toContain(
        'REMOVE claimedAt',
      );
    },
  );

  it('an unnamed answer followed by success: the email goes out once', async () => {
    sesMock
      .on(SendEmailCommand)
      .rejectsOnce(sesAnswer('Error', 'Bad Request'))
      .resolves({ MessageId: 'msg-3' });

    await expect(sendEmailOnce(deps(), message())).resolves.toEqual({
      messageId: 'msg-3',
      sentNow: true,
    });
    expect(sesMock.commandCalls(SendEmailCommand)).toHaveLength(2);
  });

  it('holds only documented SES codes, none of them throttling or a 5xx', () => {
    for (const code of [
      'Throttling',
      'ThrottlingException',
      'ServiceUnavailable',
      'InternalFailure',
    ]) {
      expect(SES_PERMANENT_ERRORS.has(code)).toBe(false);
    }
    expect([...SES_PERMANENT_ERRORS]).toContain('MessageRejected');
  });

  it('sends text with a lone surrogate (data stored before inputs were checked) as U+FFFD, never a URIError', async () => {
    sesMock.on(SendEmailCommand).resolves({ MessageId: 'msg-4' });

    await sendEmailOnce(
      deps(),
      message({ subject: '积水\ud800', text: 'a\udc00', html: '<p>\ud800</p>' }),
    );
    const input = sesMock.commandCalls(SendEmailCommand)[0]?.args[0].input;
    expect(input?.Message?.Subject?.Data).toBe('积水\ufffd');
    expect(input?.Message?.Body?.Text?.Data).toBe('a\ufffd');
    expect(input?.Message?.Body?.Html?.Data).toBe('<p>\ufffd</p>');
  });
});

describe('classifySesError and backoffDelay', () => {
  it('tells refusals for now, for good, and unknown outcomes apart', () => {
    expect(classifySesError(sesError('Throttling', 400, 'client'))).toBe('retry');
    expect(classifySesError(sesError('Whatever', 500, 'server'))).toBe('retry');
    expect(classifySesError(sesError('MessageRejected', 400, 'client'))).toBe('rejected');
    expect(classifySesError(sesError('ECONNRESET'))).toBe('unknown');
    expect(classifySesError(sesError('TimeoutError'))).toBe('unknown');
    // No longer "rejected" for any 4xx: only the documented permanent codes are.
    expect(classifySesError(sesError('Error', 400, 'client'))).toBe('retry');
  });

  it('retries a refused connection: the request never reached SES, so nothing was sent', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8005'), {
      code: 'ECONNREFUSED',
      $metadata: { attempts: 3 },
    });
    expect(classifySesError(refused)).toBe('retry');
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(classifySesError(reset)).toBe('unknown');
  });

  it('draws the delay uniformly below the capped exponential ceiling', () => {
    expect(backoffDelay(0, 200, 5000, () => 0.999)).toBeLessThan(200);
    expect(backoffDelay(3, 200, 5000, () => 0.999)).toBe(1598);
    expect(backoffDelay(10, 200, 5000, () => 0.999)).toBe(4995);
    expect(backoffDelay(10, 200, 5000, () => 0)).toBe(0);
  });
});

describe('sendEmailOnce with a calendar event', () => {
  const calendar = buildCalendarEvent(
    calendarEventInput({
      activityId: 'A1',
      sequence: 1,
      attendee: { name: '李明', email: 'office@gov.example.cn' },
      stamp: NOW,
    }),
  );

  it('sends raw MIME in which the Chinese subject, both bodies and the .ics survive', async () => {
    sesMock.on(SendRawEmailCommand).resolves({ MessageId: 'raw-1' });
    const input = message({
      subject: '【黄埔区人大】活动邀请：文冲街道代表接待日',
      text: '尊敬的李明代表：\n诚挚邀请您参加。',
      html: '<p>尊敬的李明代表：</p>',
      calendar: { method: 'REQUEST', content: calendar },
    });

    await expect(sendEmailOnce(deps(), input)).resolves.toEqual({
      messageId: 'raw-1',
      sentNow: true,
    });
    expect(sesMock.commandCalls(SendEmailCommand)).toHaveLength(0);
    const [send] = sesMock.commandCalls(SendRawEmailCommand);
    const request = send!.args[0].input;
    expect(request).toMatchObject({
      Source: 'noreply@liandong.example.org',
      Destinations: ['office@gov.example.cn'],
      ConfigurationSetName: 'LiandongMail',
    });
    const raw = Buffer.from(request.RawMessage!.Data!);
    // 7-bit on the wire: the Chinese text is encoded, never raw UTF-8 in a header.
    expect(raw.toString('latin1')).toMatch(/^Subject: =\?UTF-8\?/m);
    const mail = await simpleParser(raw);
    expect(mail.subject).toBe(input.subject);
    expect(mail.text?.trim()).toBe(input.text);
    expect(mail.html).toContain('尊敬的李明代表');
    // What mail clients show as an invitation: the text/calendar alternative with its method…
    const alternative = mail.attachments.find((a) => a.contentType === 'text/calendar');
    expect(raw.toString('latin1')).toContain(
      'Content-Type: text/calendar; charset=utf-8; method=REQUEST',
    );
    // …and the same event as a file to open.
    const file = mail.attachments.find((a) => a.filename === 'invite.ics');
    expect(file?.contentDisposition).toBe('attachment');
    for (const part of [alternative, file]) {
      expect(parseCalendar(part!.content.toString('utf8'))).toMatchObject({
        method: 'REQUEST',
        uid: 'A1@liandong.activities',
        sequence: 1,
        summary: '文冲街道代表接待日',
      });
    }
    // The claim is stored as for any email.
    expect(doc.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('refuses an injected subject before claiming: nothing is sent raw either', async () => {
    await expect(
      sendEmailOnce(
        deps(),
        message({ subject: 'a\r\nBcc: x@y.z', calendar: { method: 'CANCEL', content: calendar } }),
      ),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(doc.commandCalls(UpdateCommand)).toHaveLength(0);
    expect(sesMock.commandCalls(SendRawEmailCommand)).toHaveLength(0);
  });
});

describe('keys.emailClaim', () => {
  it('accepts claim keys with separators and refuses empty ones', () => {
    expect(keys.emailClaim('REFERRAL#R1#ROUND#2')).toEqual({
      pk: 'EMAIL#REFERRAL#R1#ROUND#2',
      sk: 'EMAIL',
    });
    expect(() => keys.emailClaim('')).toThrow();
  });
});
