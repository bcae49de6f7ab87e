// The referral workflow's steps on an in-memory table, SES mocked: what each step stores, its
// audit event on the referral's own chain, and that a retried step sends no second email.
import { SendEmailCommand, type SESClient } from '@aws-sdk/client-ses';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { awaitReferral } from '../../../../functions/referrals/states/await';
import { checkReferralDeadlines } from '../../../../functions/referrals/states/check-deadlines';
import { closeReferral } from '../../../../functions/referrals/states/close';
import { recordReferralFailure } from '../../../../functions/referrals/states/record-failure';
import { reopenReferral } from '../../../../functions/referrals/states/reopen';
import { sendReferralEmail } from '../../../../functions/referrals/states/send-email';
import { referralFactsOf } from '../../../../functions/audit-stats/items';
import { sendReferralFeedback } from '../../../../functions/referrals/states/feedback';
import {
  GENESIS_HASH,
  verifyChain,
  type AuditEvent,
} from '../../../../functions/shared/data/audit';
import { keys } from '../../../../functions/shared/data/keys';
import { deadlineConfig } from '../../../../functions/shared/domain/deadlines';
import { fakeTable, keyOf } from '../../../support/dynamodb-fake';
import { mockAws } from '../../../support/aws';
import { referralItem } from '../../../support/items';
import { setTestEnv, TABLE } from '../../../support/env';

// The district the emails name (the demo's), as every handler's container has it.
setTestEnv();

const ACTIVITY = '01J0000000AAAAAAAAAAAAAAAA';
const REFERRAL = '01J0000000BBBBBBBBBBBBBBBB';
const table = fakeTable();
const { ses } = mockAws('ses');
let clock = new Date('2020-09-01T02:00:00Z');
let sent: { to: string[]; subject: string; text: string; html: string }[] = [];

// Email claims and links: conditional updates the generic fake does not evaluate.
const installClaims = () => {
  table.doc.on(UpdateCommand).callsFake((input) => {
    const key = keyOf(input.Key);
    const item = table.items.get(key);
    const values = input.ExpressionAttributeValues ?? {};
    if (String(input.Key.pk).startsWith('EMAIL#')) {
      if (input.UpdateExpression.startsWith('SET claimKey')) {
        if (item?.messageId || (item?.claimedAt && item.claimedAt >= values[':stale'])) {
          throw Object.assign(new Error('c'), { name: 'ConditionalCheckFailedException' });
        }
        table.items.set(key, { ...input.Key, ...item, claimedAt: values[':claimedAt'] });
        return {};
      }
    }
    if (!item) throw Object.assign(new Error('c'), { name: 'ConditionalCheckFailedException' });
    return {};
  });
  table.doc.on(PutCommand).callsFake((input) => {
    table.items.set(keyOf(input.Item as never), structuredClone(input.Item));
    return {};
  });
};

const deps = () => ({
  db: table.doc as unknown as DynamoDBDocumentClient,
  ses: ses as unknown as SESClient,
  tableName: TABLE,
  now: () => clock,
  senderEmail: 'noreply@liandong.example.org',
  configurationSet: 'LiandongMail',
  signingKey: async () => 'k'.repeat(32),
  publicBaseUrl: 'https://liandong.example.org/',
  config: deadlineConfig({}),
  organiserEmails: ['office@liandong.example.org'],
  ratingDays: 14,
  reopenDays: 30,
  sfn: { send: async (command: { input: unknown }) => void signals.push(command.input) },
});
/** SendTaskSuccess calls made by AwaitReferral. */
let signals: unknown[] = [];

const referral = () => table.get(`REFERRAL#${REFERRAL}`, 'REFERRAL')!;
const events = () => table.withPrefix(`REFERRAL#${REFERRAL}`, 'AUDIT#') as unknown as AuditEvent[];
const actions = () => events().map((e) => e.action);

beforeEach(() => {
  signals = [];
  table.reset();
  installClaims();
  sent = [];
  let n = 0;
  ses.on(SendEmailCommand).callsFake((input) => {
    sent.push({
      to: input.Destination.ToAddresses,
      subject: input.Message.Subject.Data,
      text: input.Message.Body.Text.Data,
      html: input.Message.Body.Html.Data,
    });
    return { MessageId: `msg-${++n}` };
  });
  clock = new Date('2020-09-01T02:00:00Z');
  table.put({
    ...keys.activity(ACTIVITY),
    id: ACTIVITY,
    title: '河涌整治<专题调研>',
    language: 'zh',
    status: 'COMPLETED',
    auditSeq: 3,
    auditHash: 'a'.repeat(64),
  });
  table.put({
    ...keys.department('dept-water'),
    id: 'dept-water',
    name: '区水务局',
    emails: ['water@huangpu.example.gov.cn'],
    active: true,
  });
  table.put({
    ...keys.committee('cmte-1'),
    id: 'cmte-1',
    name: '文冲街道工委',
    emails: ['wenchong@huangpu.example.gov.cn'],
    active: true,
  });
  table.put({
    ...keys.finding(ACTIVITY, 'F1'),
    id: 'F1',
    activityId: ACTIVITY,
    category: 'DRAINAGE',
    description: '暴雨后<script>alert(1)</script>积水\r\nBcc: evil@x.cn',
    place: '文冲村',
    raisedBy: {
      deputyId: 'dep-0001',
      resident: { name: '张三', contact: 'zhang@example.cn', consentToContact: true },
    },
  });
  table.put({
    ...keys.deputy('dep-0001'),
    id: 'dep-0001',
    name: '李代表',
    email: 'li@deputies.example.cn',
    active: true,
  });
  table.put(
    referralItem(REFERRAL, ACTIVITY, {
      committeeId: 'cmte-1',
      dueDate: '2020-10-31',
      status: 'DISPATCHED',
      createdAt: '2020-08-30T00:00:00Z',
      updatedAt: '2020-08-30T00:00:00Z',
      dispatchedAt: '2020-09-01T01:00:00Z',
      auditSeq: 1,
    }),
  );
});

describe('SendReferralEmail', () => {
  it('retries (TransientError) while the dispatch step has not yet marked the referral', async () => {
    table.put({ ...referral(), status: 'APPROVED' });
    await expect(sendReferralEmail(deps(), REFERRAL)).rejects.toMatchObject({
      name: 'TransientError',
    });
    expect(sent).toHaveLength(0);
    table.put({ ...referral(), status: 'DISPATCHED' });
    await sendReferralEmail(deps(), REFERRAL);
    expect(sent).toHaveLength(1);
  });

  it('emails the department once with an escaped body and a signed link, and marks SENT', async () => {
    const result = await sendReferralEmail(deps(), REFERRAL);
    // The 7-day reminder: 2020-10-24T16:00Z.
    expect(result).toEqual({
      referralId: REFERRAL,
      secondsUntilCheckpoint: (Date.parse('2020-10-24T16:00:00Z') - clock.getTime()) / 1000,
    });
    expect(sent).toHaveLength(1);
    const [mail] = sent;
    expect(mail!.to).toEqual(['water@huangpu.example.gov.cn']);
    expect(mail!.subject).toBe('【黄埔区人大】代表意见建议转办：河涌整治<专题调研>');
    expect(mail!.html).toContain('&lt;script&gt;');
    expect(mail!.html).not.toContain('<script>');
    expect(mail!.text).toMatch(
      /https:\/\/liandong\.example\.org\/respond\/[\w-]+\.[0-9a-z]+\.[\w-]+/,
    );
    expect(mail!.text).not.toContain('张三');
    expect(mail!.text).not.toContain('zhang@example.cn');
    expect(referral()).toMatchObject({ status: 'SENT', round: 1, sent: { messageId: 'msg-1' } });
    expect(actions()).toEqual(['REFERRAL_SENT']);

    // A retry (or redrive) changes nothing and sends nothing.
    await sendReferralEmail(deps(), REFERRAL);
    expect(sent).toHaveLength(1);
    expect(actions()).toEqual(['REFERRAL_SENT']);
  });

  it('uses the activity language (English)', async () => {
    table.put({ ...table.get(`ACTIVITY#${ACTIVITY}`, 'ACTIVITY')!, language: 'en' });
    await sendReferralEmail(deps(), REFERRAL);
    expect(sent[0]!.subject).toMatch(/^\[Huangpu District People's Congress\] Referral:/);
  });
});

describe('AwaitReferral when the department answered between two waits', () => {
  it('ends the new wait at once with the recorded outcome', async () => {
    await sendReferralEmail(deps(), REFERRAL);
    // The page stored the reply while no wait was open (CheckDeadlines was running).
    table.put({ ...referral(), status: 'REPLIED' });
    await awaitReferral(deps(), { referralId: REFERRAL, phase: 'DEPARTMENT', taskToken: 'tok-2' });
    expect(signals).toEqual([
      { taskToken: 'tok-2', output: JSON.stringify({ outcome: 'REPLIED' }) },
    ]);
  });

  it('waits when nothing was answered yet', async () => {
    await sendReferralEmail(deps(), REFERRAL);
    await awaitReferral(deps(), { referralId: REFERRAL, phase: 'DEPARTMENT', taskToken: 'tok-3' });
    expect(signals).toEqual([]);
  });
});

describe('AwaitReferral and CheckReferralDeadlines', () => {
  it('stores the token with the deadline, reminds, then escalates once', async () => {
    await sendReferralEmail(deps(), REFERRAL);
    await awaitReferral(deps(), { referralId: REFERRAL, phase: 'DEPARTMENT', taskToken: 'tok-1' });
    expect(referral().pendingTask).toMatchObject({
      phase: 'DEPARTMENT',
      token: 'tok-1',
      deadline: '2020-10-31T16:00:00.000Z',
    });
    expect(JSON.stringify(events())).not.toContain('tok-1');
    await awaitReferral(deps(), { referralId: REFERRAL, phase: 'DEPARTMENT', taskToken: 'tok-1' });
    expect(actions()).toEqual(['REFERRAL_SENT', 'AWAITING_DEPARTMENT']);

    clock = new Date('2020-10-24T16:00:05Z');
    const first = await checkReferralDeadlines(deps(), REFERRAL);
    expect(first.secondsUntilCheckpoint).toBe(6 * 86_400 - 5);
    expect(sent.at(-1)!.subject).toContain('办理提醒');
    await checkReferralDeadlines(deps(), REFERRAL);
    expect(sent).toHaveLength(2);

    clock = new Date('2020-10-31T16:00:00Z');
    await checkReferralDeadlines(deps(), REFERRAL); // the 1-day reminder was missed: only due counts
    expect(referral().status).toBe('OVERDUE');
    const escalation = sent.at(-1)!;
    expect(escalation.subject).toContain('已逾期');
    expect(escalation.to).toEqual([
      'wenchong@huangpu.example.gov.cn',
      'office@liandong.example.org',
    ]);
    const again = await checkReferralDeadlines(deps(), REFERRAL);
    expect(again.secondsUntilCheckpoint).toBe(7 * 86_400);
    expect(sent).toHaveLength(3);
    expect(actions()).toEqual([
      'REFERRAL_SENT',
      'AWAITING_DEPARTMENT',
      'REMINDER_SENT',
      'REFERRAL_OVERDUE',
    ]);
    expect(verifyChain(events(), { expectedPrevHash: GENESIS_HASH }).ok).toBe(true);
  });
});

describe('the level a referral is sent at, and an external recipient', () => {
  const water = () => {
    const { pk, sk } = keys.department('dept-water');
    return table.get(pk, sk)!;
  };
  it('records the department level at sending; a later change of the department keeps it', async () => {
    table.put({ ...water(), level: 'TOWN' });
    await sendReferralEmail(deps(), REFERRAL);
    expect(referral().sent).toMatchObject({ departmentId: 'dept-water', departmentLevel: 'TOWN' });
    expect(events()[0]).toMatchObject({ after: { departmentLevel: 'TOWN' } });
    table.put({ ...water(), level: 'MUNICIPAL' });
    await sendReferralEmail(deps(), REFERRAL); // a retry: sends nothing, rewrites nothing
    expect(referral().sent).toMatchObject({ departmentLevel: 'TOWN' });
    expect(referralFactsOf(referral() as never).departmentLevel).toBe('TOWN');
  });

  it('counts a department stored without a level as DISTRICT', async () => {
    await sendReferralEmail(deps(), REFERRAL);
    expect(referral().sent).toMatchObject({ departmentLevel: 'DISTRICT' });
  });

  it('emails an external recipient once, and neither reminds nor escalates it', async () => {
    table.put({
      ...water(),
      name: '番禺区人大常委会',
      emails: ['congress@panyu.example.gov.cn'],
      kind: 'EXTERNAL',
    });
    await sendReferralEmail(deps(), REFERRAL);
    expect(sent.map((email) => email.to)).toEqual([['congress@panyu.example.gov.cn']]);
    expect(referral().sent).toMatchObject({ departmentLevel: 'EXTERNAL' });
    await awaitReferral(deps(), { referralId: REFERRAL, phase: 'DEPARTMENT', taskToken: 'tok-1' });

    // Where a district department is reminded (see above), nothing is sent; it looks again
    // at the due date (2020-10-31, China time).
    clock = new Date('2020-10-24T16:00:05Z');
    const before = await checkReferralDeadlines(deps(), REFERRAL);
    expect(before.secondsUntilCheckpoint).toBe(7 * 86_400 - 5);
    clock = new Date('2020-11-02T00:00:00Z');
    const after = await checkReferralDeadlines(deps(), REFERRAL);
    expect(after.secondsUntilCheckpoint).toBe(7 * 86_400);
    expect(sent).toHaveLength(1);
    expect(referral().status).toBe('SENT');
    expect(actions()).toEqual(['REFERRAL_SENT', 'AWAITING_DEPARTMENT']);
  });
});

describe('feedback, reopening and closing', () => {
  const reply = (result: string, at: string) =>
    table.put({
      ...referral(),
      status: 'REPLIED',
      reply: { result, text: '已完成<b>清淤</b>', at },
    });

  it("feeds back to a deputy in the deputy's language, to a resident in the activity's", async () => {
    const deputyKey = keys.deputy('dep-0001');
    table.put({ ...table.get(deputyKey.pk, deputyKey.sk)!, language: 'en' });
    await sendReferralEmail(deps(), REFERRAL);
    reply('RESOLVED', clock.toISOString());
    await sendReferralFeedback(deps(), REFERRAL);
    const subjectTo = (address: string) => sent.find((m) => m.to[0] === address)?.subject;
    expect(subjectTo('li@deputies.example.cn')).toMatch(
      /^\[Huangpu District People's Congress\] The problem you raised has been answered: /,
    );
    expect(subjectTo('zhang@example.cn')).toMatch(/^【黄埔区人大】您反映的问题已有答复：/);
  });

  it('feeds back to the deputy and the consenting resident, reopens once, then closes', async () => {
    await sendReferralEmail(deps(), REFERRAL);
    clock = new Date('2020-09-10T02:00:00Z');
    reply('PARTLY_RESOLVED', clock.toISOString());
    const feedback = await sendReferralFeedback(deps(), REFERRAL);
    expect(feedback).toEqual({
      referralId: REFERRAL,
      secondsUntilRatingDeadline: 14 * 86_400,
      timesReopened: 0,
    });
    const feedbackMail = sent.slice(1);
    expect(feedbackMail.map((m) => m.to[0]).sort()).toEqual([
      'li@deputies.example.cn',
      'zhang@example.cn',
    ]);
    expect(feedbackMail[0]!.html).toContain('&lt;b&gt;清淤&lt;/b&gt;');
    expect(feedbackMail[0]!.text).toMatch(/\/rate\//);
    expect(referral().feedback).toMatchObject({ round: 1, raiserRefs: ['D.dep-0001', 'R.F1'] });
    await sendReferralFeedback(deps(), REFERRAL);
    expect(sent).toHaveLength(3);

    await reopenReferral(deps(), REFERRAL);
    expect(referral()).toMatchObject({
      status: 'REOPENED',
      round: 2,
      reopened: true,
      dueDate: '2020-10-10',
    });
    expect(referral().reply).toBeUndefined();
    await reopenReferral(deps(), REFERRAL);

    await sendReferralEmail(deps(), REFERRAL);
    expect(sent).toHaveLength(4);
    expect(referral()).toMatchObject({ status: 'SENT', round: 2 });

    clock = new Date('2020-10-01T02:00:00Z');
    reply('RESOLVED', clock.toISOString());
    expect((await sendReferralFeedback(deps(), REFERRAL)).timesReopened).toBe(1);
    table.put({ ...keys.referralRating(REFERRAL, 2, 'D.dep-0001'), rating: 'SATISFIED' });
    await closeReferral(deps(), { referralId: REFERRAL, decision: { outcome: 'SATISFIED' } });
    expect(referral()).toMatchObject({
      status: 'CLOSED',
      outcome: {
        status: 'CLOSED',
        result: 'RESOLVED',
        answeredOnTime: true,
        reopened: true,
        rounds: 2,
        ratings: { SATISFIED: 1, BASICALLY_SATISFIED: 0, NOT_SATISFIED: 0 },
      },
    });
    const activity = table.get(`ACTIVITY#${ACTIVITY}`, 'ACTIVITY')!;
    expect(activity.referralOutcomes).toMatchObject({
      closed: 1,
      answeredOnTime: 1,
      reopened: 1,
      byResult: { RESOLVED: 1 },
      ratings: { SATISFIED: 1 },
      referralIds: [REFERRAL],
    });
    expect(activity.auditSeq).toBe(4);
    expect(table.get(`ACTIVITY#${ACTIVITY}`, 'AUDIT#00000004')).toMatchObject({
      action: 'REFERRAL_CLOSED',
    });
    // Closing again changes nothing (retry / redrive).
    await closeReferral(deps(), { referralId: REFERRAL });
    expect(table.get(`ACTIVITY#${ACTIVITY}`, 'ACTIVITY')!.auditSeq).toBe(4);
    expect(actions().at(-1)).toBe('REFERRAL_CLOSED');
    expect(verifyChain(events(), { expectedPrevHash: GENESIS_HASH }).ok).toBe(true);
  });

  it('closes on the committee’s word as CLOSED_BY_COMMITTEE', async () => {
    await sendReferralEmail(deps(), REFERRAL);
    await closeReferral(deps(), {
      referralId: REFERRAL,
      decision: { outcome: 'CLOSED_BY_COMMITTEE' },
    });
    expect(referral()).toMatchObject({
      status: 'CLOSED_BY_COMMITTEE',
      outcome: { answeredAt: null, answeredOnTime: null },
    });
    expect(table.get(`ACTIVITY#${ACTIVITY}`, 'ACTIVITY')!.referralOutcomes).toMatchObject({
      closedByCommittee: 1,
      closed: 0,
    });
  });
});

describe('RecordReferralFailure', () => {
  it('records the failure with its audit event; the next step clears it', async () => {
    await recordReferralFailure(deps(), {
      referralId: REFERRAL,
      error: { Error: 'ConflictError', Cause: 'x'.repeat(5000) },
    });
    expect(referral()).toMatchObject({ status: 'DISPATCHED', failure: { error: 'ConflictError' } });
    expect((referral().failure as { cause: string }).cause.length).toBeLessThan(700);
    await sendReferralEmail(deps(), REFERRAL);
    expect(referral().failure).toBeUndefined();
    expect(actions()).toEqual(['REFERRAL_FAILED', 'REFERRAL_SENT']);
  });

  it('fails a department without a usable address as a conflict', async () => {
    table.put({ ...table.get('DEPARTMENT#dept-water', 'PROFILE')!, emails: ['bad address'] });
    await expect(sendReferralEmail(deps(), REFERRAL)).rejects.toMatchObject({
      name: 'ConflictError',
    });
    expect(sent).toHaveLength(0);
  });
});
