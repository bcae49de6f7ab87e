// unit test: SDK mocked with aws-sdk-client-mock
import { DEMO_JURISDICTION } from '../../../../infra/local/demo-jurisdiction';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import {
  AccountSendingPausedException,
  MessageRejected,
  SESServiceException,
  SendRawEmailCommand,
} from '@aws-sdk/client-ses';
import { simpleParser } from 'mailparser';
import { parseCalendar } from '../../../support/calendar.js';
import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { mailDeps, mockAws, sentRawEmails } from '../../../support/aws.js';
import { sendInvitations, secondsUntil } from '../../../../functions/activity-workflow/domain.js';
import type { ActivityItem, InvitationItem } from '../../../../functions/shared/data/items.js';
import { renderInvitationEmail } from '../../../../functions/shared/email/invitation.js';
import { TransientError } from '../../../../functions/shared/errors.js';
import { FOLLOW_UP_DAYS } from '../../../../functions/shared/domain/deputy-links.js';
import { MAX_DAYS_AHEAD } from '../../../../functions/activities/schemas.js';
import { TABLE, lambdaContext, setTestEnv } from '../helpers.js';

setTestEnv({ PUBLIC_BASE_URL: 'https://liandong.example.org' });

const { handler } = await import('../../../../functions/activity-workflow/send-invitations.js');

const { doc, ses, secrets } = mockAws('doc', 'ses', 'secrets');
const SIGNING_KEY = 'k'.repeat(64);

const ACTIVITY_ID = '01J5ZQ8V6W7X8Y9Z0ABCDEFGHJ';
const NOW = new Date('2020-08-10T00:00:00.000Z');

const activity = (overrides: Partial<ActivityItem> = {}): ActivityItem => ({
  pk: `ACTIVITY#${ACTIVITY_ID}`,
  sk: 'ACTIVITY',
  listPk: 'ACTIVITIES#SCHEDULED',
  listSk: 'x',
  ownerPk: 'ORGANISER#org',
  ownerSk: 'x',
  entity: 'ACTIVITY',
  id: ACTIVITY_ID,
  title: '人居环境整治交叉检查',
  type: 'CROSS_INSPECTION',
  street: 'WENCHONG',
  location: '文冲街道',
  startsAt: '2020-08-18T09:00:00+08:00',
  endsAt: '2020-08-18T17:00:00+08:00',
  language: 'zh',
  organiserId: 'org',
  status: 'SCHEDULED',
  phase: 'INVITATIONS',
  invitedCount: 3,
  createdAt: NOW.toISOString(),
  updatedAt: NOW.toISOString(),
  auditSeq: 1,
  auditHash: 'a'.repeat(64),
  ...overrides,
});

const invitation = (deputyId: string, extra: Partial<InvitationItem> = {}): InvitationItem => ({
  pk: `ACTIVITY#${ACTIVITY_ID}`,
  sk: `INVITATION#${deputyId}`,
  ownerPk: `DEPUTY#${deputyId}`,
  ownerSk: 'x',
  entity: 'INVITATION',
  activityId: ACTIVITY_ID,
  deputyId,
  invitedAt: NOW.toISOString(),
  ...extra,
});

let invitations: Map<string, InvitationItem>;
let current: ActivityItem;
/** Deputies whose record prefers English (the others name no language). */
let englishDeputies: Set<string>;

const deps = () => ({
  ...mailDeps(),
  now: () => NOW,
  concurrency: 1,
  signingKey: async () => SIGNING_KEY,
  publicBaseUrl: 'https://liandong.example.org',
  sleep: async () => undefined,
});

/** The email claims of sendEmailOnce (`EMAIL#<claimKey>`), as the fake table holds them. */
let claims: Map<string, Record<string, unknown>>;
let links: Map<string, Record<string, unknown>>;
const conditionFailed = () =>
  Object.assign(new Error('conditional'), { name: 'ConditionalCheckFailedException' });
/** The activity's own transactions (its status change and audit event), not the claims'. */
const activityTransactions = () =>
  doc
    .commandCalls(TransactWriteCommand)
    .filter((call) =>
      call.args[0].input.TransactItems!.some((entry) =>
        String(entry.Update?.Key?.pk ?? '').startsWith('ACTIVITY#'),
      ),
    );

beforeEach(() => {
  setTestEnv();
  current = activity();
  englishDeputies = new Set();
  invitations = new Map(['dep-0001', 'dep-0015', 'dep-0041'].map((id) => [id, invitation(id)]));
  claims = new Map();
  links = new Map();
  secrets.on(GetSecretValueCommand).resolves({ SecretString: SIGNING_KEY });
  doc.on(GetCommand).callsFake((input) => {
    const pk = String(input.Key.pk);
    if (pk.startsWith('EMAIL#')) return { Item: claims.get(pk) };
    if (String(input.Key.sk).startsWith('INVITATION#')) {
      return { Item: invitations.get(String(input.Key.sk).replace('INVITATION#', '')) };
    }
    return { Item: current };
  });
  doc
    .on(QueryCommand)
    .callsFake(() => ({ Items: [...invitations.values()].map((i) => ({ ...i })) }));
  doc.on(PutCommand).callsFake((input) => {
    links.set(String(input.Item.pk), input.Item);
    return {};
  });
  doc.on(BatchGetCommand).callsFake((input) => ({
    Responses: {
      [TABLE]: input.RequestItems[TABLE].Keys.map((key: { pk: string }) => {
        const id = key.pk.replace('DEPUTY#', '');
        return {
          id,
          name: `代表${id.slice(-2)}`,
          email: `${id}@deputies.liandong.example.org`,
          active: true,
          ...(englishDeputies.has(id) ? { language: 'en' } : {}),
        };
      }),
    },
  }));
  // A faithful enough stand-in for the claim of sendEmailOnce and the invitation's updates.
  doc.on(UpdateCommand).callsFake((input) => {
    const values = input.ExpressionAttributeValues ?? {};
    const pk = String(input.Key.pk);
    if (pk.startsWith('EMAIL#')) {
      const claim = claims.get(pk) ?? {};
      if (input.UpdateExpression.startsWith('SET claimKey')) {
        const free =
          !claim.messageId &&
          (!claim.claimedAt || String(claim.claimedAt) < String(values[':stale']));
        if (!free) throw conditionFailed();
        claims.set(pk, {
          ...claim,
          claimKey: values[':claimKey'],
          claimedAt: values[':claimedAt'],
        });
      } else if (input.UpdateExpression.startsWith('REMOVE claimedAt')) {
        delete claim.claimedAt;
        claims.set(pk, { ...claim, lastError: values[':lastError'] });
      }
      return {};
    }
    const id = input.Key.sk.replace('INVITATION#', '');
    const item = invitations.get(id)!;
    if (input.UpdateExpression.startsWith('SET pageLink')) {
      if (item.pageLink) throw conditionFailed();
      item.pageLink = values[':link'];
    } else if (input.UpdateExpression.startsWith('SET emailMessageId')) {
      item.emailMessageId = values[':messageId'];
    } else if (input.UpdateExpression.startsWith('SET emailFailure')) {
      if (item.emailMessageId) throw conditionFailed();
      item.emailFailure = values[':reason'];
    }
    return {};
  });
  doc.on(TransactWriteCommand).callsFake((input) => {
    for (const entry of input.TransactItems) {
      const pk = String(entry.Update?.Key?.pk ?? '');
      if (pk.startsWith('EMAIL#')) {
        const values = entry.Update.ExpressionAttributeValues;
        claims.set(pk, { ...claims.get(pk), messageId: values[':messageId'] });
      }
    }
    return {};
  });
  let n = 0;
  ses.on(SendRawEmailCommand).callsFake(() => ({ MessageId: `msg-${++n}` }));
});

describe('sendInvitations', () => {
  it('emails every invited deputy once, then records INVITATIONS_SENT with its audit event', async () => {
    const result = await sendInvitations(deps(), ACTIVITY_ID);
    expect(result).toMatchObject({ activityId: ACTIVITY_ID, sentNow: 3, failed: 0 });
    expect(result.secondsUntilStart).toBe(
      Math.floor((Date.parse('2020-08-18T09:00:00+08:00') - NOW.getTime()) / 1000),
    );

    const sends = ses.commandCalls(SendRawEmailCommand).map((call) => call.args[0].input);
    expect(sends.map((send) => send.Destinations)).toEqual([
      ['dep-0001@deputies.liandong.example.org'],
      ['dep-0015@deputies.liandong.example.org'],
      ['dep-0041@deputies.liandong.example.org'],
    ]);
    expect(sends[0]).toMatchObject({
      Source: 'noreply@liandong.example.org',
      ConfigurationSetName: 'LiandongMail',
    });
    // The invitation carries the activity's calendar event for that deputy (METHOD:REQUEST).
    const mail = await simpleParser(Buffer.from(sends[0]!.RawMessage!.Data!));
    expect(mail.subject).toBe('【黄埔区人大】活动邀请：人居环境整治交叉检查');
    const ics = mail.attachments.find((a) => a.filename === 'invite.ics');
    expect(parseCalendar(ics!.content.toString('utf8'))).toMatchObject({
      method: 'REQUEST',
      uid: `${ACTIVITY_ID}@liandong.activities`,
      sequence: 0,
      summary: '人居环境整治交叉检查',
      start: '2020-08-18T01:00:00.000Z',
      attendee: 'mailto:dep-0001@deputies.liandong.example.org',
    });
    expect([...invitations.values()].map((i) => i.emailMessageId)).toEqual([
      'msg-1',
      'msg-2',
      'msg-3',
    ]);

    // Each email through the at-most-once path, with its owner for bounce marking.
    expect([...claims.keys()].sort()).toEqual(
      ['dep-0001', 'dep-0015', 'dep-0041'].map((id) => `EMAIL#INVITATION#${ACTIVITY_ID}#${id}`),
    );
    // Each deputy's own link: its record names the deputy and activity; the URL only a token.
    const text = mail.text ?? '';
    const token = /https:\/\/liandong\.example\.org\/deputy\/([A-Za-z0-9_.-]+)/.exec(text)?.[1];
    expect(token).toBeDefined();
    expect(text).not.toContain('请登录');
    expect(token).not.toContain('dep-0001');
    expect([...links.values()].map((link) => [link.purpose, link.deputyId])).toEqual([
      ['DEPUTY_ACTIVITY', 'dep-0001'],
      ['DEPUTY_ACTIVITY', 'dep-0015'],
      ['DEPUTY_ACTIVITY', 'dep-0041'],
    ]);
    expect(invitations.get('dep-0001')!.pageLink?.linkId).toBe(token!.split('.')[0]);

    const transactions = activityTransactions();
    expect(transactions).toHaveLength(1);
    const [update, audit] = transactions[0]!.args[0].input.TransactItems!;
    expect(update!.Update!.ConditionExpression).toBe(
      '#auditSeq = :prevSeq AND (#expectedStatus = :expectedStatus)',
    );
    expect(update!.Update!.ExpressionAttributeValues).toMatchObject({
      ':prevSeq': 1,
      ':s0': 'INVITATIONS_SENT',
    });
    expect(audit!.Put!.Item).toMatchObject({
      sk: 'AUDIT#00000002',
      action: 'INVITATIONS_SENT',
      actor: 'workflow',
      after: { status: 'INVITATIONS_SENT', counts: { invited: 3, sent: 3, failed: 0, sentNow: 3 } },
    });
  });

  it('skips invitations already sent (retry / redrive)', async () => {
    invitations.get('dep-0001')!.emailMessageId = 'old-1';
    invitations.get('dep-0015')!.emailMessageId = 'old-2';
    const result = await sendInvitations(deps(), ACTIVITY_ID);
    expect(result.sentNow).toBe(1);
    expect(ses.commandCalls(SendRawEmailCommand)).toHaveLength(1);
    expect(ses.commandCalls(SendRawEmailCommand)[0]!.args[0].input.Destinations).toEqual([
      'dep-0041@deputies.liandong.example.org',
    ]);
  });

  it('leaves a live claim of another attempt alone and asks for a retry', async () => {
    claims.set(`EMAIL#INVITATION#${ACTIVITY_ID}#dep-0015`, {
      claimedAt: new Date(NOW.getTime() - 60_000).toISOString(),
    });
    await expect(sendInvitations(deps(), ACTIVITY_ID)).rejects.toBeInstanceOf(TransientError);
    expect(ses.commandCalls(SendRawEmailCommand)).toHaveLength(2);
    expect(activityTransactions()).toHaveLength(0);
  });

  it('takes over a stale claim', async () => {
    claims.set(`EMAIL#INVITATION#${ACTIVITY_ID}#dep-0015`, {
      claimedAt: '2020-08-09T00:00:00.000Z',
    });
    expect((await sendInvitations(deps(), ACTIVITY_ID)).sentNow).toBe(3);
  });

  it('gives each personal link FOLLOW_UP_DAYS after findings close, however far ahead', async () => {
    const expiryOf = async (overrides: Partial<ActivityItem>) => {
      current = activity(overrides);
      invitations = new Map([['dep-0001', invitation('dep-0001')]]);
      links = new Map();
      await sendInvitations(deps(), ACTIVITY_ID);
      const [link] = [...links.values()];
      expect(invitations.get('dep-0001')!.pageLink?.expiresAt).toBe(link!.expiresAt);
      return new Date(Number(link!.expiresAt) * 1000).toISOString();
    };
    const days = (n: number) => n * 86_400_000;
    // Findings close by default a week after the end (2020-08-18T17:00+08:00).
    expect(await expiryOf({})).toBe(
      new Date(Date.parse('2020-08-25T09:00:00.000Z') + days(FOLLOW_UP_DAYS)).toISOString(),
    );
    expect(FOLLOW_UP_DAYS).toBe(224);
    // The farthest an activity may lie: 300 days ahead, findings closing 300 days after the
    // start. The link still lives its whole follow-up, not cut short by the links' bound.
    const startsAt = new Date(NOW.getTime() + days(MAX_DAYS_AHEAD)).toISOString();
    const findingsCloseAt = new Date(Date.parse(startsAt) + days(MAX_DAYS_AHEAD)).toISOString();
    expect(
      await expiryOf({
        startsAt,
        endsAt: new Date(Date.parse(startsAt) + 3_600_000).toISOString(),
        findingsCloseAt,
      } as Partial<ActivityItem>),
    ).toBe(new Date(Date.parse(findingsCloseAt) + days(FOLLOW_UP_DAYS)).toISOString());
  });

  it('emails the same personal link again when a retry sends what an earlier attempt did not', async () => {
    invitations.get('dep-0015')!.pageLink = { linkId: 'A'.repeat(22), expiresAt: 2_000_000_000 };
    await sendInvitations(deps(), ACTIVITY_ID);
    const mails = await sentRawEmails(ses);
    const text = mails.map((mail) => mail.text ?? '').find((body) => body.includes('代表15'))!;
    expect(text).toContain(`/deputy/${'A'.repeat(22)}.`);
    expect(links.size).toBe(2);
  });

  it('marks an invitation SES rejected for good as failed, and sends the others', async () => {
    ses.on(SendRawEmailCommand).callsFake((input) => {
      if (input.Destinations[0].startsWith('dep-0015')) {
        throw Object.assign(new Error('Address blacklisted'), {
          name: 'MessageRejected',
          $metadata: { httpStatusCode: 400 },
        });
      }
      return { MessageId: 'ok' };
    });
    const result = await sendInvitations(deps(), ACTIVITY_ID);
    expect(result).toMatchObject({ sentNow: 2, failed: 1 });
    expect(invitations.get('dep-0015')!.emailFailure).toBe('REJECTED_BY_SES');
  });

  it('turns SES throttling into TransientError, frees the claim, and a retry sends only the rest', async () => {
    let calls = 0;
    ses.on(SendRawEmailCommand).callsFake(() => {
      calls++;
      if (calls === 2) {
        throw Object.assign(new Error('Maximum sending rate exceeded.'), {
          name: 'Throttling',
          $metadata: { httpStatusCode: 400 },
        });
      }
      return { MessageId: `msg-${calls}` };
    });
    await expect(sendInvitations({ ...deps(), maxAttempts: 1 }, ACTIVITY_ID)).rejects.toThrow(
      TransientError,
    );
    expect(invitations.get('dep-0001')!.emailMessageId).toBe('msg-1');
    expect(claims.get(`EMAIL#INVITATION#${ACTIVITY_ID}#dep-0015`)?.claimedAt).toBeUndefined();
    expect(activityTransactions()).toHaveLength(0);

    // The state machine retries: deputy 1 is not emailed again.
    await sendInvitations(deps(), ACTIVITY_ID);
    const recipients = ses
      .commandCalls(SendRawEmailCommand)
      .map((call) => call.args[0].input.Destinations![0]);
    expect(recipients.filter((to) => to!.startsWith('dep-0001'))).toHaveLength(1);
    expect(invitations.get('dep-0015')!.emailMessageId).toBeDefined();
    expect(invitations.get('dep-0041')!.emailMessageId).toBeDefined();
  });

  it('treats an SES 5xx as transient too', async () => {
    ses.on(SendRawEmailCommand).rejects(
      Object.assign(new Error('oops'), {
        name: 'InternalFailure',
        $metadata: { httpStatusCode: 500 },
      }),
    );
    await expect(sendInvitations(deps(), ACTIVITY_ID)).rejects.toThrow(TransientError);
  });

  it('an SES answer of a code it does not know (the attack\'s "Error") is retried, not a rejection', async () => {
    ses.on(SendRawEmailCommand).rejects(
      new SESServiceException({
        name: 'Error',
        message: 'Bad Request',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    await expect(sendInvitations(deps(), ACTIVITY_ID)).rejects.toThrow(TransientError);
    expect(invitations.get('dep-0001')!.emailFailure).toBeUndefined();
    expect(claims.get(`EMAIL#INVITATION#${ACTIVITY_ID}#dep-0001`)?.claimedAt).toBeUndefined();
  });

  it('MessageRejected fails that one invitation; the others are sent', async () => {
    ses
      .on(SendRawEmailCommand)
      .rejectsOnce(
        new MessageRejected({
          message: 'Email address is not verified.',
          $metadata: { httpStatusCode: 400 },
        }),
      )
      .resolves({ MessageId: 'msg-x' });
    await sendInvitations(deps(), ACTIVITY_ID);
    expect([...invitations.values()].map((i) => i.emailFailure ?? i.emailMessageId)).toEqual([
      'REJECTED_BY_SES',
      'msg-x',
      'msg-x',
    ]);
  });

  it('a permanent code for every send (the account paused) stops the step with what to fix; the claim freed', async () => {
    ses.on(SendRawEmailCommand).rejects(
      new AccountSendingPausedException({
        message: 'Email sending is disabled for this account.',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    await expect(sendInvitations(deps(), ACTIVITY_ID)).rejects.toMatchObject({
      name: 'EmailRejectedError',
      message:
        'SES rejected the email (AccountSendingPausedException): Email sending is disabled for this account.',
    });
    expect(ses.commandCalls(SendRawEmailCommand)).toHaveLength(1);
    expect(invitations.get('dep-0001')!.emailFailure).toBeUndefined();
    expect(claims.get(`EMAIL#INVITATION#${ACTIVITY_ID}#dep-0001`)?.claimedAt).toBeUndefined();
  });

  it('does nothing once the activity is past this step', async () => {
    current = activity({ status: 'INVITATIONS_SENT' });
    const result = await sendInvitations(deps(), ACTIVITY_ID);
    expect(result.sentNow).toBe(0);
    expect(ses.commandCalls(SendRawEmailCommand)).toHaveLength(0);
    expect(activityTransactions()).toHaveLength(0);
  });

  it('refuses an activity whose scheduling failed', async () => {
    current = activity({
      status: 'FAILED',
      failure: { stage: 'SCHEDULING', error: 'Error', cause: 'x', at: NOW.toISOString() },
    });
    await expect(sendInvitations(deps(), ACTIVITY_ID)).rejects.toThrow(
      /failed while being scheduled/,
    );
    expect(ses.commandCalls(SendRawEmailCommand)).toHaveLength(0);
  });

  it('returns at least one second until start, as TimeoutSecondsPath needs a positive integer', () => {
    expect(secondsUntil('2020-08-01T00:00:00Z', NOW)).toBe(1);
    expect(secondsUntil('2020-08-10T00:01:00.900Z', NOW)).toBe(60);
  });
});

describe("sendInvitations in each deputy's language", () => {
  it('emails an English-preferring deputy in English, the others in Chinese', async () => {
    englishDeputies = new Set(['dep-0015']);
    await sendInvitations(deps(), ACTIVITY_ID);
    const mails = await sentRawEmails(ses);
    const subjects = new Map(mails.map((m) => [JSON.stringify(m.to).match(/dep-\d+/)![0], m]));
    const english = subjects.get('dep-0015')!;
    expect(english.subject).toBe(
      "[Huangpu District People's Congress] Invitation: 人居环境整治交叉检查",
    );
    expect(english.text).toMatch(/Your personal link: https:\/\/liandong\.example\.org\/deputy\//);
    const ics = english.attachments.find((a) => a.filename === 'invite.ics')!;
    expect(parseCalendar(ics.content.toString('utf8')).organizerName).toBe(
      DEMO_JURISDICTION.district.standingCommittee.en,
    );
    for (const id of ['dep-0001', 'dep-0041']) {
      expect(subjects.get(id)!.subject).toBe('【黄埔区人大】活动邀请：人居环境整治交叉检查');
    }
  });
});

/** The invitation email of `item` to deputy `name` in `language`, with a personal link. */
const invitationEmail = (
  item: Parameters<typeof renderInvitationEmail>[0],
  name: string,
  language: 'zh' | 'en',
) =>
  renderInvitationEmail(
    item,
    { name },
    'https://liandong.example.org/deputy/t',
    language,
    DEMO_JURISDICTION,
  );

describe('invitation email', () => {
  it('escapes HTML and keeps CR/LF out of the subject', () => {
    const email = renderInvitationEmail(
      {
        ...activity(),
        title: '<script>alert("x")</script>\r\nBcc: victim@example.org',
        location: 'A & B <b>',
        description: 'line 1\nline 2 <img src=x onerror=alert(1)>',
      },
      { name: '<i>王</i>' },
      'https://liandong.example.org/deputy/abc"><b>x',
      'zh',
      DEMO_JURISDICTION,
    );
    expect(email.html).toContain('/deputy/abc&quot;&gt;&lt;b&gt;x');
    expect(email.subject).not.toMatch(/[\r\n]/);
    expect(email.subject).toBe(
      '【黄埔区人大】活动邀请：<script>alert("x")</script> Bcc: victim@example.org',
    );
    expect(email.html).not.toContain('<script>');
    expect(email.html).not.toContain('<img');
    expect(email.html).not.toContain('<i>');
    expect(email.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(email.html).toContain('A &amp; B &lt;b&gt;');
    expect(email.html).toContain('line 1<br>line 2 &lt;img');
    expect(email.text).toContain('尊敬的<i>王</i>代表：');
    expect(email.text).toContain('活动类型：交叉检查');
    expect(email.text).toMatch(/2020年8月18日星期二 09:00/);
  });

  it("speaks the deputy's language, whatever the activity's", () => {
    // A Chinese activity to an English-preferring deputy: English throughout.
    const email = invitationEmail(activity({ language: 'zh' }), 'Li', 'en');
    expect(email.text).toContain('Your personal link: https://liandong.example.org/deputy/t');
    expect(email.subject).toMatch(/^\[Huangpu District People's Congress\] Invitation: /);
    expect(email.text).toContain('Dear Deputy Li,');
    expect(email.text).toContain('Type: Cross-district inspection');
    expect(email.text).toContain('(China Standard Time)');
    expect(email.text).toMatch(/Tuesday,? 18 August 2020 at 09:00/);
    expect(email.html).toContain('<html lang="en">');
    // What the organiser wrote stays as written.
    expect(email.text).toContain('Activity: 人居环境整治交叉检查');
    expect(email.text).not.toMatch(/尊敬的|活动邀请|个人链接|北京时间/);
    // An English activity to a deputy of the default language: Chinese throughout.
    const zh = invitationEmail(activity({ language: 'en' }), '李明', 'zh');
    expect(zh.subject).toBe('【黄埔区人大】活动邀请：人居环境整治交叉检查');
    expect(zh.text).toContain('尊敬的李明代表：');
    expect(zh.text).toContain('您的个人链接：https://liandong.example.org/deputy/t');
    expect(zh.html).toContain('<html lang="zh-CN">');
    expect(zh.text).not.toMatch(/Dear|Invitation|personal link/);
  });
});

describe('invitation email of each type', () => {
  it("names a special inspection's regulation and checklist", () => {
    const email = invitationEmail(
      {
        ...activity(),
        type: 'SPECIAL_INSPECTION',
        details: {
          regulation: '《广州市生活垃圾分类管理条例》',
          checklist: ['分类投放点设置', '收运台账'],
        },
      },
      '王',
      'zh',
    );
    expect(email.text).toContain('检查的法律法规：《广州市生活垃圾分类管理条例》');
    expect(email.text).toContain('· 分类投放点设置\n· 收运台账');
    expect(email.html).toContain('· 分类投放点设置<br>· 收运台账');
  });

  it('never emails sealed unannounced-visit items', () => {
    const email = invitationEmail(
      {
        ...activity(),
        details: {
          inspectingDistrict: '白云区',
          inspectedDistrict: '黄埔区',
          unannouncedVisits: {
            revealAt: '2020-08-18T10:00:00+08:00',
            items: [{ place: '秘密地点', focus: '垃圾分类' }],
          },
        },
      },
      '王',
      'zh',
    );
    expect(email.text).toContain('暗访点位：活动当天公布');
    expect(email.text + email.html).not.toContain('秘密地点');
    expect(email.text).not.toContain('10:00');
  });
});

describe('SendInvitations handler', () => {
  it('returns ids and numbers only', async () => {
    const result = await handler({ activityId: ACTIVITY_ID }, lambdaContext());
    expect(Object.keys(result).sort()).toEqual(['activityId', 'secondsUntilStart']);
    expect(result.secondsUntilStart).toBeGreaterThanOrEqual(1);
  });

  it('surfaces throttling as a TransientError for the state machine Retry', async () => {
    ses.on(SendRawEmailCommand).rejects(
      Object.assign(new Error('slow down'), {
        name: 'Throttling',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    await expect(handler({ activityId: ACTIVITY_ID }, lambdaContext())).rejects.toMatchObject({
      name: 'TransientError',
    });
  });

  it('rejects input without a valid activity id', async () => {
    await expect(handler({ activityId: 'x' } as never, lambdaContext())).rejects.toMatchObject({
      name: 'ValidationError',
    });
  });
});
